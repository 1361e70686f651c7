"""setlinfo and detlcutinfo of a settlement (2101-2103, 2206-2208) as API.md "National interface" fills them:
no pooled fund pays here, acct_pay = own account + family aid, acct_mulaid_pay = family aid, balc = own after."""
from services import masking
from services.clock import CHINA

from .envelope import Yuan

ZERO_FUNDS = ("act_pay_dedc", "hifp_pay", "pool_prop_selfpay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay",
              "maf_pay", "oth_pay", "fund_pay_sumamt", "hifdm_pay", "preselfpay_amt", "hosp_part_amt")
PHARMACY, OUTPATIENT = "41", "11"   # clr_type, also our med_type when the input gives none


def clock(at) -> str:
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if at else ""


def person(profile: dict) -> dict:
    """Who, masked as everywhere at the counter."""
    return {"psn_no": profile["psn_no"], "psn_name": masking.name(profile["name"]), "psn_cert_type": "01",
            "certno": masking.id_number(profile["id_number"]), "gend": profile["gend"], "naty": "",
            "brdy": profile["brdy"], "age": profile["age"], "insutype": profile["insutype"],
            "psn_type": profile["psn_type"], "cvlserv_flag": "0"}


def _split(view: dict) -> dict:
    lines = view["items"]
    ownpay = sum(line["amount_fen"] for line in lines if not line["eligible"])
    account = view["own_account_fen"] + view["mutual_aid_fen"]
    return {"medfee_sumamt": view["total_fen"], "fulamt_ownpay_amt": ownpay,
            "overlmt_selfpay": view["total_fen"] - view["eligible_fen"] - ownpay,
            "inscp_scp_amt": view["eligible_fen"], "psn_part_amt": view["total_fen"], "acct_pay": account,
            "psn_cash_pay": view["cash_fen"], "acct_mulaid_pay": view["mutual_aid_fen"]}


def setlinfo(view: dict, profile: dict, mdtrt_id: str, clr_type: str, cert_type: str | None, med_type: str | None,
             balance_fen: int, reversal=False) -> dict:
    """A settlement (or a preview: no setl_id yet) in the spec's fields; a reversal's amounts negated."""
    sign = -1 if reversal else 1
    cert_type = cert_type if isinstance(cert_type, str) and len(cert_type) <= 3 else ""
    med_type = med_type if isinstance(med_type, str) and 0 < len(med_type) <= 6 else clr_type
    amounts = {k: Yuan(sign * v) for k, v in _split(view).items()}
    return {"setl_id": "" if view["id"] is None else str(view["id"]), "mdtrt_id": mdtrt_id, **person(profile),
            "setl_time": clock(view["reversed_at"] if reversal else view["settled_at"]),
            "mdtrt_cert_type": cert_type, "med_type": med_type, **amounts,
            **{k: Yuan(0) for k in ZERO_FUNDS}, "balc": Yuan(balance_fen), "medins_setl_id": view["order_no"] or "",
            "clr_optins": profile["region_code"], "clr_way": "1", "clr_type": clr_type, "exp_content": ""}


def detlcutinfo(view: dict, lines: list[dict]) -> list[dict]:
    """Per detail line: its amount, outside the catalogue (全自费), above the payment standard, eligible."""
    out = []
    for given, line in zip(lines, view["items"]):
        amount, eligible = line["amount_fen"], line["eligible_fen"]
        ownpay = 0 if line["eligible"] else amount
        out.append({"feedetl_sn": given["feedetl_sn"], "det_item_fee_sumamt": Yuan(amount),
                    "cnt": line["quantity"], "pric": Yuan(line["unit_price_fen"]),
                    "pric_uplmt_amt": Yuan(line["unit_price_fen"]), "selfpay_prop": Yuan(0),
                    "fulamt_ownpay_amt": Yuan(ownpay), "overlmt_amt": Yuan(amount - eligible - ownpay),
                    "preselfpay_amt": Yuan(0), "inscp_scp_amt": Yuan(eligible), "chrgitm_lv": "01" if line["eligible"]
                    else "03", "med_chrgitm_type": "09", "memo": ""})
    return out


def answer(view, profile, lines, mdtrt_id, clr_type, cert_type, med_type, balance_fen, reversal=False) -> dict:
    out = {"setlinfo": setlinfo(view, profile, mdtrt_id, clr_type, cert_type, med_type, balance_fen, reversal),
           "setldetail": []}
    if lines is not None:
        out["detlcutinfo"] = detlcutinfo(view, lines)
    if clr_type == OUTPATIENT:
        out["setlinfo"]["pdn_cash_pay"] = out["setlinfo"]["psn_cash_pay"]
    return out
