"""E-vouchers and the scan that turns one into a ticket for one institution (RULES.md "Settlement at the counter")."""
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

from .. import qr, settings
from ..clock import now
from ..db import db, writes
from ..errors import Conflict, NotFound, Refused
from ..family import proxies
from ..models import Person, Ticket, Voucher
from ..people import counter_auth, revocation
from . import voucher_codes

PREFIX = voucher_codes.ONLINE     # an online e-voucher: one at a time, VOUCHER_TTL_SECONDS
OFFLINE = voucher_codes.OFFLINE   # a code of an offline book (docs/offline-vouchers.md)
CHANNEL = {PREFIX: "voucher", OFFLINE: "offline_voucher"}
V = Voucher.__table__


def _spending(kind: str):
    """Spend an unspent, unrevoked, unexpired voucher of this kind in one statement: its holder, or no row."""
    of_kind = V.c.book_id.is_not(None) if kind == OFFLINE else V.c.book_id.is_(None)
    return V.update().where(V.c.id == bindparam("v"), of_kind, V.c.used_at.is_(None), V.c.revoked_at.is_(None),
                            V.c.expires_at > bindparam("at")) \
        .values(used_at=bindparam("at"), used_by=bindparam("by")).returning(V.c.person_id)


SPEND = {kind: _spending(kind) for kind in CHANNEL}   # built once: the scan's hot path
OPEN, ISSUE = Ticket.__table__.insert(), V.insert()


def _payload(kind: str, voucher_id: str, expires_at: datetime) -> str:
    return voucher_codes.make(kind, voucher_id, int(expires_at.timestamp()))


def _insured(person_id: int) -> Person:
    """The person a voucher or book is issued for, if he is insured."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound()
    require_insured(person)
    return person


@writes
def issue(person_id: int, proxy_id: int | None = None, login_id: int | None = None) -> dict:
    """A fresh voucher: an opaque signed payload (no name, no ID number) and its QR as a data URI.

    With `proxy_id` the caller is a carer: the voucher is his relative's, so the counter sees the relative.
    It names the login that asked and the proxy: ending either revokes it (services/people/revocation.py)."""
    if proxy_id is not None:
        person_id = proxies.patient_for(person_id, proxy_id)
    _insured(person_id)
    at = now()
    expires_at = at + timedelta(seconds=settings.get("VOUCHER_TTL_SECONDS"))
    voucher_id = voucher_codes.new_id()
    db.session.connection().execute(ISSUE, {"id": voucher_id, "person_id": person_id, "issued_at": at,
                                            "expires_at": expires_at, "login_id": login_id, "proxy_id": proxy_id})
    payload = _payload(PREFIX, voucher_id, expires_at)
    return {"payload": payload, "expires_at": expires_at, "qr_png": qr.data_uri(payload)}


@writes
def issue_offline(person_id: int, proxy_id: int | None = None, login_id: int | None = None) -> dict:
    """A book of one-time codes for a phone about to lose its network; it revokes the last book's unspent codes.

    With `proxy_id` the book is the carer's relative's (亲情账户), and it replaces that relative's previous book."""
    if proxy_id is not None:
        person_id = proxies.patient_for(person_id, proxy_id)
    _insured(person_id)
    at = now()
    revoke_offline(person_id, at)
    expires_at = at + timedelta(seconds=settings.get("OFFLINE_VOUCHER_TTL_SECONDS"))
    book = voucher_codes.new_id()
    codes = [Voucher(id=voucher_codes.new_id(), person_id=person_id, issued_at=at, expires_at=expires_at,
                     book_id=book, login_id=login_id, proxy_id=proxy_id)
             for _ in range(settings.get("OFFLINE_VOUCHER_COUNT"))]
    db.session.add_all(codes)
    payloads = [_payload(OFFLINE, code.id, expires_at) for code in codes]
    # each code's QR comes along: the phone has no network (and no QR encoder) when it needs one
    return {"codes": payloads, "expires_at": expires_at, "qr_pngs": [qr.data_uri(p) for p in payloads]}


def offline_book(person_id: int, proxy_id: int | None = None) -> dict:
    """The codes of my current book the counter has not seen yet (so a phone back online drops the spent ones)."""
    if proxy_id is not None:
        person_id = proxies.active_for(person_id, proxy_id).person_id
    rows = db.session.execute(select(Voucher.id, Voucher.expires_at).where(
        Voucher.person_id == person_id, Voucher.book_id.is_not(None), Voucher.used_at.is_(None),
        Voucher.revoked_at.is_(None), Voucher.expires_at > now()).order_by(Voucher.id)).all()
    return {"codes": [_payload(OFFLINE, r.id, r.expires_at) for r in rows],
            "expires_at": rows[0].expires_at if rows else None}


def revoke_offline(person_id: int, at: datetime | None = None) -> None:
    """Every unspent offline code of this person becomes worthless (a new book replaces the last)."""
    revocation.revoke(Voucher.person_id == person_id, Voucher.book_id.is_not(None), at=at)


def _unusable(voucher: Voucher | None, kind: str):
    """Why this voucher cannot be scanned now, as the error to raise; None when it can."""
    if voucher is None or (voucher.book_id is not None) != (kind == OFFLINE):
        return Refused("voucher_invalid", "unknown e-voucher")
    if voucher.used_at is not None:
        return Conflict("voucher_used", "this e-voucher was already scanned; ask for a fresh one")
    if voucher.revoked_at is not None:
        return Refused("voucher_invalid", "a newer book, a logout or the end of the right it was issued under "
                                          "revoked this e-voucher")
    if voucher.expires_at <= now():
        return Refused("voucher_expired", "this e-voucher has expired; ask for a fresh one")
    return None


@writes
def scan(institution_id: str, payload: str, nonce: str | None = None) -> dict:
    """Spend the voucher (at every institution) and give this institution a ticket for its patient."""
    counter_auth.record_nonce(institution_id, nonce)  # the request's nonce, in this transaction
    kind, voucher_id = voucher_codes.read(payload)
    at = now()
    holder = db.session.connection().execute(SPEND[kind], {"v": voucher_id, "at": at, "by": institution_id}).scalar()
    if holder is None:  # unknown, used, revoked or expired (or another scan got there first): say which
        raise _unusable(db.session.get(Voucher, voucher_id), kind) or Conflict(
            "voucher_used", "this e-voucher was already scanned")
    patient = db.session.get(Person, holder)
    # A refusal rolls the spending back with the rest: the voucher stays good should the registry be wrong.
    require_insured(patient)
    return open_ticket(institution_id, patient, CHANNEL[kind], voucher_id, at)


def require_insured(person: Person):
    """Only an insured person is served at the counter (RULES.md, second release)."""
    if person.status != "insured":
        raise Refused("not_insured", "this person's medical insurance has ended")


def open_ticket(institution_id: str, patient: Person, channel: str, voucher_id: str | None, at) -> dict:
    """A ticket for this institution to settle once for the patient, paid through `channel` (caller's transaction)."""
    token, expires_at = secrets.token_urlsafe(32), at + timedelta(seconds=settings.get("TICKET_TTL_SECONDS"))
    db.session.connection().execute(OPEN, {"token": token, "institution_id": institution_id, "person_id": patient.id,
                                           "voucher_id": voucher_id, "channel": channel, "created_at": at,
                                           "expires_at": expires_at})
    return {"ticket": token, "expires_at": expires_at, "patient": {  # the schema masks who he is
        "name": patient.name, "name_bo": patient.name_bo, "id_number": patient.id_number,
        "insurance_type": patient.insurance_type}}


def valid_ticket(token: str, institution_id: str, for_update=False) -> Ticket:
    """The ticket if this institution scanned it and it has not expired; used tickets are the caller's call."""
    stmt = select(Ticket).where(Ticket.token == token)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    ticket = db.session.scalar(stmt)
    check_ticket(ticket, institution_id, now())
    return ticket


def check_ticket(ticket, institution_id: str, at) -> None:
    """A ticket (model or row) is good for the institution that scanned it until it expires."""
    if ticket is None or ticket.institution_id != institution_id or ticket.expires_at <= at:
        raise Refused("ticket_invalid", "the ticket is unknown, expired or was scanned by another institution")


def ticket_holder(token: str) -> int | None:
    """Whose ticket this is (for counting settlements per patient); None when unknown."""
    return db.session.scalar(select(Ticket.person_id).where(Ticket.token == token))
