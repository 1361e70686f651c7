"""The national interface driven as a pharmacy POS and a hospital HIS do (tests/nhsa_client.py): 1101 -> 2101 ->
2102 -> 2103 by e-voucher, offline code and card; the outpatient visit; two helpers; the same settlements at the
counter API, in the benefactor's statements and in reconciliation."""
import json

import pytest

from . import api, factory
from .api import API
from .counter import Counter, items
from .nhsa_client import Pos, flask_sender


@pytest.fixture(params=["api", "tif"])
def pos(request, client):
    return Pos(flask_sender(client), "ali-pharmacy", scheme=request.param)


def voucher(client, headers):
    return client.post(f"{API}/vouchers", headers=headers).json["payload"]


def person(pos, cert_type, cert_no, card_sn=""):
    answer = pos.call("1101", Pos.person_input(cert_type, cert_no, card_sn))
    assert answer["infcode"] == 0, answer
    return answer["output"]


def test_pharmacy_by_e_voucher(client, as_, family, pos):
    assert pos.call("9001", {"signIn": {"opter_no": "0053", "mac": "", "ip": ""}})["output"]["signinoutb"]["sign_no"]
    payload = voucher(client, as_("drolma"))
    out = person(pos, "01", payload)
    base, insu = out["baseinfo"], out["insuinfo"][0]
    assert base["psn_no"].isdigit() and base["psn_name"] == "卓*" and base["certno"].count("*") == 8
    assert (base["gend"], base["brdy"], insu["balc"], insu["insutype"], insu["psn_type"]) == (
        "2", "1981-07-22", 80.0, "310", "11")
    lines = Pos.lines(("XA0101", 2, "60.00"), ("NX0901", 1, "5.50"))
    bill = Pos.drug_input(base["psn_no"], "01", payload, lines)
    pre = pos.call("2101", bill)["output"]["setlinfo"]
    status, raw = pos.post("2102", bill, msgid="POS-2102-1")
    setl = raw["output"]["setlinfo"]
    assert status == 200 and raw["infcode"] == 0 and raw["err_msg"] == ""
    assert {k: setl[k] for k in ("acct_pay", "acct_mulaid_pay", "psn_cash_pay", "balc")} == {
        k: pre[k] for k in ("acct_pay", "acct_mulaid_pay", "psn_cash_pay", "balc")} == {
        "acct_pay": 80.0, "acct_mulaid_pay": 0.0, "psn_cash_pay": 45.5, "balc": 0.0}
    assert (setl["medfee_sumamt"], setl["fulamt_ownpay_amt"], setl["inscp_scp_amt"], setl["medins_setl_id"],
            setl["clr_type"]) == (125.5, 5.5, 120.0, "POS-2102-1", "41")
    assert [d["fulamt_ownpay_amt"] for d in raw["output"]["detlcutinfo"]] == [0.0, 5.5]
    assert factory.balance(family["drolma"]) == 0
    # the counter API sees the same settlement under the msgid
    shown = Counter(client, "ali-pharmacy").call("GET", "/counter/settlements/POS-2102-1").json
    assert (shown["id"], shown["own_account_fen"], shown["cash_fen"], shown["channel"]) == (
        int(setl["setl_id"]), 8000, 4550, "voucher")
    back = pos.call("2103", {"data": {"setl_id": setl["setl_id"], "mdtrt_id": setl["mdtrt_id"],
                                      "psn_no": base["psn_no"]}})["output"]["setlinfo"]
    assert (back["setl_id"], back["medfee_sumamt"], back["acct_pay"], back["psn_cash_pay"], back["balc"]) == (
        setl["setl_id"], -125.5, -80.0, -45.5, 80.0)
    again = pos.call("2103", {"data": {"setl_id": setl["setl_id"], "psn_no": base["psn_no"]}})["output"]["setlinfo"]
    assert again["acct_pay"] == -80.0 and factory.balance(family["drolma"]) == 8000
    assert pos.call("9002", {"signOut": {}})["infcode"] == 0


def test_amounts_are_written_with_two_decimals(client, as_, family):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    payload = voucher(client, as_("drolma"))
    psn_no = person(pos, "01", payload)["baseinfo"]["psn_no"]
    resp = client.post(f"{API}/nhsa/2102", data=json.dumps(pos.envelope("2102", Pos.drug_input(
        psn_no, "01", payload, Pos.lines(("XA0101", 1, 80))))), headers=pos.headers("2102"))
    text = resp.data.decode()
    assert '"acct_pay":80.00,' in text and '"psn_cash_pay":0.00,' in text and '"hifp_pay":0.00,' in text
    assert '"infcode":0,' in text


def test_pharmacy_by_offline_code(client, as_, family, pos):
    code = client.post(f"{API}/vouchers/offline", headers=as_("drolma")).json["codes"][0]
    psn_no = person(pos, "01", code)["baseinfo"]["psn_no"]
    out = pos.call("2102", Pos.drug_input(psn_no, "01", code, Pos.lines(("XA0101", 1, "30.00"))), msgid="OFF-1")
    assert out["output"]["setlinfo"]["acct_pay"] == 30.0
    assert Counter(client, "ali-pharmacy").call("GET", "/counter/settlements/OFF-1").json["channel"] == \
        "offline_voucher"
    assert person_refused(pos, "01", code) == "voucher_used"


def person_refused(pos, cert_type, cert_no, language=None):
    answer = pos.call("1101", Pos.person_input(cert_type, cert_no), language=language)
    assert answer["infcode"] == -1, answer
    return answer["err_msg"].rsplit("[", 1)[1].rstrip("]")


@pytest.mark.parametrize("cert_no, card_sn", [("ALK000003", ""), ("", "ALK000003"), ("alk000003", "WRONG0000")])
def test_pharmacy_by_card(client, as_, family, cert_no, card_sn):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    api.bind(client, as_, "tashi", "father", "parent")
    out = person(pos, "03", cert_no, card_sn)
    assert out["insuinfo"][0]["psn_type"] == "16" and out["insuinfo"][0]["insutype"] == "390"
    bill = Pos.drug_input(out["baseinfo"]["psn_no"], "03", cert_no, Pos.lines(("XA0101", 1, "12.34")),
                          card_sn=card_sn)
    setl = pos.call("2102", bill, msgid="CARD-1")["output"]["setlinfo"]
    assert (setl["acct_pay"], setl["acct_mulaid_pay"], setl["psn_cash_pay"], setl["balc"]) == (12.34, 12.34, 0.0, 0.0)
    assert factory.balance(family["tashi"]) == 500000 - 1234


def test_an_id_number_alone_is_refused_and_a_lost_card_too(client, family):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    assert person_refused(pos, "02", family["drolma"].id_number) == "unsupported_cert_type"
    assert person_refused(pos, "03", "ALK000004") == "card_invalid"
    assert person_refused(pos, "01", "GJV2" + "0" * 44) == "voucher_invalid"
    refused = pos.call("1101", Pos.person_input("01", "GJV2" + "0" * 44), language="bo")["err_msg"]
    assert refused.endswith(" [voucher_invalid]") and refused[0] not in "Tt" and not refused.isascii()
    assert pos.call("1101", Pos.person_input("01", "x"))["err_msg"].startswith("该电子凭证")


def test_two_helpers_split_as_the_counter_api_splits(client, as_, family):
    tashi = api.bind(client, as_, "tashi", "father", "parent")
    api.bind(client, as_, "phuntsok", "father", "parent")
    client.patch(f"{API}/bindings/{tashi['id']}", json={"monthly_limit_fen": 10000}, headers=as_("tashi"))
    pos, counter = Pos(flask_sender(client), "ali-pharmacy"), Counter(client, "ali-pharmacy")
    payload = voucher(client, as_("father"))
    psn_no = person(pos, "01", payload)["baseinfo"]["psn_no"]
    bill = Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 3, "100.00"), ("NX0901", 2, "10.00")))
    ticket = counter.scan(voucher(client, as_("father"))).json["ticket"]
    theirs = counter.preview(ticket, items(("XA0101", 3, 10000), ("NX0901", 2, 1000))).json
    pre = pos.call("2101", bill)["output"]["setlinfo"]
    setl = pos.call("2102", bill, msgid="TWO-HELPERS")["output"]["setlinfo"]
    assert [a["amount_fen"] for a in theirs["mutual_aid"]] == [10000, 20000]
    for s in (pre, setl):
        assert round(s["acct_mulaid_pay"] * 100) == theirs["mutual_aid_fen"] == 30000
        assert round(s["acct_pay"] * 100) == theirs["own_account_fen"] + theirs["mutual_aid_fen"]
        assert round(s["psn_cash_pay"] * 100) == theirs["cash_fen"] == 2000
        assert s["acct_pay"] + s["psn_cash_pay"] == s["medfee_sumamt"] == 320.0
    # the benefactors' statements and the reconciliation show it as any counter settlement
    entries = client.get(f"{API}/account/entries", headers=as_("phuntsok")).json["items"]
    assert (entries[0]["amount_fen"], entries[0]["kind"], entries[0]["order_no"]) == (-20000, "mutual_aid",
                                                                                     "TWO-HELPERS")
    summary = client.get(f"{API}/account/summary", headers=as_("tashi")).json
    assert summary["total_fen"] == 10000
    day = setl["setl_time"][:10]
    rec = counter.call("GET", f"/counter/reconciliation?date={day}").json
    assert rec["settled"]["count"] == 1 and rec["settled"]["mutual_aid_fen"] == 30000


def test_a_ticket_of_another_institution_is_refused(client, as_, family):
    pharmacy, hospital = (Pos(flask_sender(client), i) for i in ("ali-pharmacy", "ali-hospital"))
    payload = voucher(client, as_("drolma"))
    psn_no = person(pharmacy, "01", payload)["baseinfo"]["psn_no"]
    answer = hospital.call("2102", Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 1, "1.00"))))
    assert answer["infcode"] == -1 and answer["err_msg"].endswith("[ticket_invalid]")
    assert factory.balance(family["drolma"]) == 8000


def test_outpatient_visit(client, as_, family):
    his = Pos(flask_sender(client), "ali-hospital")
    payload = voucher(client, as_("drolma"))
    psn_no = person(his, "01", payload)["baseinfo"]["psn_no"]
    visit = his.call("2201", {"data": {"psn_no": psn_no, "insutype": "310", "begntime": "2026-12-04 09:00:00",
                                       "mdtrt_cert_type": "01", "mdtrt_cert_no": payload, "ipt_otp_no": "MZ001",
                                       "dept_code": "A01", "dept_name": "内科", "caty": "A01"}})["output"]["data"]
    assert visit["psn_no"] == psn_no and visit["ipt_otp_no"] == "MZ001" and visit["mdtrt_id"].isalnum()
    where = {"mdtrt_id": visit["mdtrt_id"], "psn_no": psn_no, "chrg_bchno": "B1"}
    fees = Pos.lines(("JC0404", 1, "25.00"), ("NX0902", 1, "9.90"), chrg=where)
    result = his.call("2204", {"feedetail": fees})["output"]["result"]
    assert [(r["feedetl_sn"], r["inscp_scp_amt"], r["fulamt_ownpay_amt"]) for r in result] == [
        ("1", 25.0, 0.0), ("2", 0.0, 9.9)]
    assert his.call("2204", {"feedetail": fees})["err_msg"].endswith("[batch_uploaded]")
    assert his.call("2205", {"data": where})["infcode"] == 0
    assert his.call("2206", {"data": {**where, "medfee_sumamt": "34.90", "acct_used_flag": "1"}})[
        "err_msg"].endswith("[batch_unknown]")
    his.call("2204", {"feedetail": Pos.lines(("JC0404", 2, "25.00"), ("NX0902", 1, "9.90"), chrg=where)})
    data = {**where, "medfee_sumamt": "59.90", "acct_used_flag": "1", "psn_setlway": "01", "med_type": "11"}
    pre = his.call("2206", {"data": data})["output"]["setlinfo"]
    setl = his.call("2207", {"data": data}, msgid="HIS-2207")["output"]["setlinfo"]
    assert pre["acct_pay"] == setl["acct_pay"] == 50.0 and setl["psn_cash_pay"] == setl["pdn_cash_pay"] == 9.9
    assert (setl["clr_type"], setl["mdtrt_id"], setl["balc"]) == ("11", visit["mdtrt_id"], 30.0)
    back = his.call("2208", {"data": {"setl_id": setl["setl_id"], "mdtrt_id": visit["mdtrt_id"],
                                      "psn_no": psn_no}})["output"]["setlinfo"]
    assert back["acct_pay"] == -50.0 and back["pdn_cash_pay"] == -9.9 and factory.balance(family["drolma"]) == 8000


def test_statement_check_agrees_and_differs(client, as_, family):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    payload = voucher(client, as_("drolma"))
    psn_no = person(pos, "01", payload)["baseinfo"]["psn_no"]
    setl = pos.call("2102", Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 1, "50.00"),
                                                                           ("NX0901", 1, "5.00"))))["output"]["setlinfo"]
    day = setl["setl_time"][:10]

    def check(total, account, count, refunds="0"):
        return pos.call("3201", {"data": {"insutype": "310", "clr_type": "41", "setl_optins": "542523",
                                          "stmt_begndate": day, "stmt_enddate": day, "medfee_sumamt": total,
                                          "fund_pay_sumamt": 0, "acct_pay": account, "fixmedins_setl_cnt": count,
                                          "refd_setl_flag": refunds, "fixmedins_refd_setl_flag": refunds}}
                        )["output"]["stmtinfo"]

    assert check("55.00", "50.00", 1) == {"setl_optins": "542523", "stmt_rslt": "0", "stmt_rslt_dscr": ""}
    differs = check(55, "49.99", 2)
    assert differs["stmt_rslt"] == "1"
    assert differs["stmt_rslt_dscr"] == "acct_pay: ours 50.00, yours 49.99; fixmedins_setl_cnt: ours 1, yours 2"
    assert check("0", "0", 0, refunds="1")["stmt_rslt"] == "0"
    pos.call("2103", {"data": {"setl_id": setl["setl_id"], "psn_no": psn_no}})
    assert check("55.00", "50.00", 1, refunds="1")["stmt_rslt"] == "0"
