"""Who a national-interface transaction is about: psn_no (our person id in digits), the person as 1101 shows him,
and the ticket a 1101 opened, found again by psn_no with the same mdtrt_cert_type and mdtrt_cert_no."""
import hashlib

from sqlalchemy import bindparam, select

from ..clock import china_today
from ..db import db
from ..errors import InvalidRequest, Refused
from ..idnumber import age_on, birth_date
from ..models import Account, Person, Settlement, Ticket
from . import cards, voucher_codes

E_VOUCHER, CARD = "01", "03"


def psn_no(person_id: int) -> str:
    return str(person_id)


def person_id(psn: str) -> int:
    """psn_no is digits only (at most 30); anything else names nobody."""
    if not isinstance(psn, str) or not psn.isascii() or not psn.isdigit() or len(psn) > 18:
        raise InvalidRequest(details={"psn_no": ["digits only, as 1101 answered it"]})
    return int(psn)


def mdtrt_id(ticket: str) -> str:
    """Our visit id, one per ticket: 24 hexadecimal characters derived from it (the ticket itself stays secret)."""
    return hashlib.sha256(b"mdtrt\0" + ticket.encode()).hexdigest()[:24]


def card_number(cert_no, card_sn) -> str | None:
    """For a card, mdtrt_cert_no wins over card_sn when both are given."""
    for value in (cert_no, card_sn):
        if isinstance(value, str) and value.strip() and value.strip().lower() != "null":
            return value
    return None


PERSONS, ACCOUNTS, TICKETS = Person.__table__, Account.__table__, Ticket.__table__
# Core statements: no ORM load on the settle path; the ticket's lookup reads its person in the same statement.
PERSON = (PERSONS.c.id, PERSONS.c.name, PERSONS.c.id_number_enc.label("id_number"), PERSONS.c.insurance_type,
          PERSONS.c.region_code, PERSONS.c.status, ACCOUNTS.c.balance_fen)
WITH_ACCOUNT = PERSONS.outerjoin(ACCOUNTS, ACCOUNTS.c.person_id == PERSONS.c.id)
PROFILE = select(*PERSON).select_from(WITH_ACCOUNT).where(PERSONS.c.id == bindparam("p"))


def profile(person_id_: int) -> dict:
    """The person as the national interface shows him (the face masks name and ID number)."""
    return _profile(db.session.connection().execute(PROFILE, {"p": person_id_}).one())


def _profile(p) -> dict:
    balance = p.balance_fen
    age = age_on(p.id_number, china_today())
    return {"psn_no": psn_no(p.id), "name": p.name, "id_number": p.id_number, "gend": "1" if int(p.id_number[16]) % 2
            else "2", "brdy": birth_date(p.id_number).isoformat(), "age": age, "balance_fen": balance or 0,
            "insutype": "310" if p.insurance_type == "employee" else "390",
            "psn_type": "11" if p.insurance_type == "employee" else ("16" if age >= 60 else "15"),
            "region_code": p.region_code, "insured": p.status == "insured"}


# Built once. An e-voucher opens one ticket: found through its own index, then checked to be this institution's and
# this person's (with those two in the WHERE, SQLite walks the person's tickets by the other index and sorts them).
_TICKET = select(TICKETS.c.token, TICKETS.c.institution_id, TICKETS.c.person_id, *PERSON) \
    .select_from(TICKETS.join(WITH_ACCOUNT, PERSONS.c.id == TICKETS.c.person_id)) \
    .order_by(TICKETS.c.created_at.desc()).limit(1)
BY_VOUCHER = _TICKET.where(TICKETS.c.voucher_id == bindparam("v"))
BY_CARD = _TICKET.where(TICKETS.c.institution_id == bindparam("i"), TICKETS.c.person_id == bindparam("p"),
                        TICKETS.c.channel == "card")


def ticket_for(institution_id: str, psn: str, cert_type, cert_no, card_sn=None) -> tuple[str, dict]:
    """The newest ticket this institution's 1101 opened for that person with that voucher or card, and the person
    (his balance as it was before whatever the ticket then pays). Expired ones too: a retried 2102 finds its settled
    ticket; a settlement refuses an expired one itself."""
    pid = person_id(psn)
    conn = db.session.connection()
    if cert_type == E_VOUCHER:
        _, voucher_id = voucher_codes.read(cert_no)
        found = conn.execute(BY_VOUCHER, {"v": voucher_id}).first()
    elif cert_type == CARD:
        number = cards.number(card_number(cert_no, card_sn))   # sealed: its blind index is computed per value
        if db.session.scalar(select(Person.id).where(Person.card_no == number)) != pid:
            raise Refused("card_invalid")
        found = conn.execute(BY_CARD, {"i": institution_id, "p": pid}).first()
    else:
        raise InvalidRequest("unsupported_cert_type", details={"mdtrt_cert_type": ["01 (e-voucher) or 03 (card)"]})
    if found is None or found.institution_id != institution_id or found.person_id != pid:
        raise Refused("ticket_invalid")
    return found.token, _profile(found)


def settlement_of(institution_id: str, setl_id, psn: str) -> str:
    """The order number of this institution's settlement `setl_id` of that person."""
    pid = person_id(psn)
    sid = int(setl_id) if isinstance(setl_id, str) and setl_id.isascii() and setl_id.isdigit() and \
        len(setl_id) <= 18 else None
    order_no = db.session.scalar(select(Settlement.order_no).where(
        Settlement.id == sid, Settlement.institution_id == institution_id, Settlement.patient_id == pid))
    if order_no is None:
        raise Refused("settlement_unknown")
    return order_no
