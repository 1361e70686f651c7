"""Sign-in (9001/9002), person information (1101) and the pharmacy's 2101 pre-settle, 2102 settle, 2103 reverse:
each parses its input and calls the service the counter API calls for the same thing."""
import secrets

from services.checkout import cards, nhsa_people, settlement, tickets, vouchers
from services.clock import now
from services.errors import Refused

from . import fields, setlinfo
from .setlinfo import PHARMACY, clock


def sign_in(call) -> dict:
    """9001: its signIn input is ignored; sign_no is required by no other transaction."""
    return {"signinoutb": {"sign_time": clock(now()), "sign_no": f"{secrets.randbelow(10 ** 20):020d}"}}


def sign_out(call) -> dict:
    return {"signoutoutb": {"sign_time": clock(now())}}


def person_info(call) -> dict:
    """1101: scan the e-voucher (01) or read the card (03) exactly as POST /counter/scan; a ticket opens."""
    data = fields.node(call.input, "data", "input")
    cert_type = fields.text(data, "mdtrt_cert_type", "input.data", longest=3)
    if cert_type == nhsa_people.E_VOUCHER:
        ticket = vouchers.scan(call.institution_id, fields.text(data, "mdtrt_cert_no", "input.data", longest=120))
    elif cert_type == nhsa_people.CARD:
        number = nhsa_people.card_number(data.get("mdtrt_cert_no"), data.get("card_sn"))
        if not isinstance(number, str):
            fields.bad("input.data.mdtrt_cert_no", "the card number is required")
        ticket = cards.scan(call.institution_id, number)
    else:
        raise Refused("unsupported_cert_type")
    p = nhsa_people.profile(tickets.holder(ticket["ticket"]))
    return {"baseinfo": setlinfo.person(p) | {"exp_content": ""},
            "insuinfo": [{"balc": setlinfo.Yuan(p["balance_fen"]), "insutype": p["insutype"],
                          "psn_type": p["psn_type"], "psn_insu_stas": "1" if p["insured"] else "4",
                          "psn_insu_date": "", "paus_insu_date": "", "cvlserv_flag": "0",
                          "insuplc_admdvs": p["region_code"], "emp_name": ""}],
            "idetinfo": []}


def _bill(call):
    info = fields.node(call.input, "druginfo", "input")
    lines = fields.lines(call.input.get("drugdetail"), "input.drugdetail")
    fields.total(info, "input.druginfo", lines)
    use_accounts = fields.flag(info, "acct_used_flag", "input.druginfo")
    cert_type = fields.text(info, "mdtrt_cert_type", "input.druginfo", longest=3)
    ticket, person = nhsa_people.ticket_for(call.institution_id, fields.text(info, "psn_no", "input.druginfo",
                                                                             longest=30),
                                            cert_type, info.get("mdtrt_cert_no"), info.get("card_sn"))
    return info, lines, use_accounts, cert_type, ticket, person


def answer(view, person, lines, cert_type, med_type, clr_type=PHARMACY):
    """A (pre-)settlement's output; balc is the own balance after it."""
    return setlinfo.answer(view, person, lines, nhsa_people.mdtrt_id(view["ticket"]), clr_type, cert_type, med_type,
                           view["own_balance_after_fen"] or 0)


def pre_settle(call) -> dict:
    """2101: the split this bill would get now (it counts against the ticket's 5 previews); nothing moves."""
    info, lines, use_accounts, cert_type, ticket, person = _bill(call)
    view = settlement.preview(call.institution_id, ticket, fields.items_of(lines), use_accounts)
    return answer(view, person, lines, cert_type, info.get("med_type"))


def settle(call) -> dict:
    """2102: POST /counter/settlements with order_no = msgid."""
    info, lines, use_accounts, cert_type, ticket, person = _bill(call)
    view, _ = settlement.settle(call.institution_id, ticket, call.msgid, fields.items_of(lines), use_accounts)
    return answer(view, person, lines, cert_type, info.get("med_type"))


def reverse(call, clr_type=PHARMACY) -> dict:
    """2103 (and 2208): POST /counter/settlements/{order_no}/reverse; again, the same reversal."""
    data = fields.node(call.input, "data", "input")
    order_no = nhsa_people.settlement_of(call.institution_id, fields.text(data, "setl_id", "input.data", longest=30),
                                        fields.text(data, "psn_no", "input.data", longest=30))
    view = settlement.reverse(call.institution_id, order_no, f"national interface {call.infno}")
    p = nhsa_people.profile(view["patient_id"])
    return setlinfo.answer(view, p, None, nhsa_people.mdtrt_id(view["ticket"]), clr_type, None, None,
                           p["balance_fen"], reversal=True)
