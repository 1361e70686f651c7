"""Outpatient: 2201 register, 2204 upload fee lines, 2205 withdraw a batch, 2206 pre-settle, 2207 settle, 2208
reverse. A visit is the ticket of a 1101; 2206/2207 settle exactly the uploaded lines of one batch."""
from services.checkout import catalogue, nhsa_people, settlement, visits

from . import fields, pharmacy
from .envelope import Yuan
from .setlinfo import OUTPATIENT


def register(call) -> dict:
    """2201: after a 1101; answers the visit's mdtrt_id (the same for the same ticket)."""
    data = fields.node(call.input, "data", "input")
    psn_no = fields.text(data, "psn_no", "input.data", longest=30)
    ticket, _ = nhsa_people.ticket_for(call.institution_id, psn_no, fields.text(data, "mdtrt_cert_type", "input.data",
                                                                                  longest=3),
                                       data.get("mdtrt_cert_no"), data.get("card_sn"))
    visit = visits.register(call.institution_id, ticket)
    return {"data": {"mdtrt_id": visit["mdtrt_id"], "psn_no": psn_no,
                     "ipt_otp_no": fields.text(data, "ipt_otp_no", "input.data", required=False, longest=30) or ""}}


def _visit(parent: dict, where: str):
    psn_no = fields.text(parent, "psn_no", where, longest=30)
    return (nhsa_people.person_id(psn_no), fields.text(parent, "mdtrt_id", where, longest=30),
            fields.text(parent, "chrg_bchno", where, longest=30))


def upload(call) -> dict:
    """2204: the fee lines of one batch of one visit; result per line as the catalogue prices it."""
    details = call.input.get("feedetail") if isinstance(call.input, dict) else None
    lines = fields.lines(details, "input.feedetail")
    person_id, mdtrt_id, chrg_bchno = _visit(details[0], "input.feedetail.0")
    for i, line in enumerate(details):
        if _visit(line, f"input.feedetail.{i}") != (person_id, mdtrt_id, chrg_bchno):
            fields.bad(f"input.feedetail.{i}", "every line must name the same psn_no, mdtrt_id and chrg_bchno")
    visits.upload(call.institution_id, person_id, mdtrt_id, chrg_bchno, lines)
    priced, _, _ = catalogue.priced(fields.items_of(lines))
    return {"result": [{"feedetl_sn": given["feedetl_sn"], "det_item_fee_sumamt": Yuan(line["amount_fen"]),
                        "cnt": line["quantity"], "pric": Yuan(line["unit_price_fen"]),
                        "pric_uplmt_amt": Yuan(line["unit_price_fen"]), "selfpay_prop": Yuan(0),
                        "fulamt_ownpay_amt": Yuan(0 if line["eligible"] else line["amount_fen"]),
                        "overlmt_amt": Yuan(line["amount_fen"] - line["eligible_fen"]
                                            - (0 if line["eligible"] else line["amount_fen"])),
                        "preselfpay_amt": Yuan(0), "inscp_scp_amt": Yuan(line["eligible_fen"]),
                        "chrgitm_lv": "01" if line["eligible"] else "03", "med_chrgitm_type": "09",
                        "lmt_used_flag": "0", "memo": ""} for given, line in zip(lines, priced)]}


def withdraw(call) -> dict:
    """2205: the batch's lines are withdrawn."""
    person_id, mdtrt_id, chrg_bchno = _visit(fields.node(call.input, "data", "input"), "input.data")
    visits.withdraw(call.institution_id, person_id, mdtrt_id, chrg_bchno)
    return {}


def _bill(call):
    data = fields.node(call.input, "data", "input")
    person_id, mdtrt_id, chrg_bchno = _visit(data, "input.data")
    ticket, lines = visits.batch(call.institution_id, person_id, mdtrt_id, chrg_bchno)
    fields.total(data, "input.data", lines)
    return data, lines, fields.flag(data, "acct_used_flag", "input.data"), ticket


def pre_settle(call) -> dict:
    """2206: the split of the batch's lines now; nothing moves."""
    data, lines, use_accounts, ticket = _bill(call)
    view = settlement.preview(call.institution_id, ticket, fields.items_of(lines), use_accounts)
    return pharmacy.answer(view, nhsa_people.profile(view["patient_id"]), lines, data.get("mdtrt_cert_type"),
                           data.get("med_type"), OUTPATIENT)


def settle(call) -> dict:
    """2207: the batch settled as POST /counter/settlements with order_no = msgid."""
    data, lines, use_accounts, ticket = _bill(call)
    view, _ = settlement.settle(call.institution_id, ticket, call.msgid, fields.items_of(lines), use_accounts)
    return pharmacy.answer(view, nhsa_people.profile(view["patient_id"]), lines, data.get("mdtrt_cert_type"),
                           data.get("med_type"), OUTPATIENT)


def reverse(call) -> dict:
    """2208: as 2103."""
    return pharmacy.reverse(call, OUTPATIENT)
