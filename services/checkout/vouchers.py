"""E-vouchers and the scan that turns one into a ticket for one institution (RULES.md "Settlement at the counter")."""
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

from .. import qr, settings
from ..clock import now
from ..db import db, writes
from ..errors import Conflict, NotFound, Refused
from ..family import proxies
from ..models import Person, Voucher
from ..people import counter_auth, revocation
from . import tickets, voucher_codes

PREFIX = voucher_codes.ONLINE     # an online e-voucher: one at a time, VOUCHER_TTL_SECONDS
OFFLINE = voucher_codes.OFFLINE   # a code of an offline book (docs/offline-vouchers.md)
CHANNEL = {PREFIX: "voucher", OFFLINE: "offline_voucher"}
VOUCHERS = Voucher.__table__


def _spending(kind: str):
    """Spend an unspent, unrevoked, unexpired voucher of this kind in one statement: its holder, or no row."""
    of_kind = VOUCHERS.c.book_id.is_not(None) if kind == OFFLINE else VOUCHERS.c.book_id.is_(None)
    return VOUCHERS.update().where(VOUCHERS.c.id == bindparam("v"), of_kind, VOUCHERS.c.used_at.is_(None),
                                   VOUCHERS.c.revoked_at.is_(None), VOUCHERS.c.expires_at > bindparam("at")) \
        .values(used_at=bindparam("at"), used_by=bindparam("by")).returning(VOUCHERS.c.person_id)


SPEND = {kind: _spending(kind) for kind in CHANNEL}   # built once: the scan's hot path
ISSUE = VOUCHERS.insert()


def _payload(kind: str, voucher_id: str, expires_at: datetime) -> str:
    return voucher_codes.make(kind, voucher_id, int(expires_at.timestamp()))


def _insured(person_id: int) -> Person:
    """The person a voucher or book is issued for, if he is insured."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound()
    tickets.require_insured(person)
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
        return Refused("voucher_invalid")  # unknown
    if voucher.used_at is not None:
        return Conflict("voucher_used")
    if voucher.revoked_at is not None:  # a newer book, a logout or the end of the right it was issued under
        return Refused("voucher_invalid")
    if voucher.expires_at <= now():
        return Refused("voucher_expired")
    return None


@writes
def scan(institution_id: str, payload: str, nonce: str | None = None) -> dict:
    """Spend the voucher (at every institution) and give this institution a ticket for its patient."""
    counter_auth.record_nonce(institution_id, nonce)  # the request's nonce, in this transaction
    kind, voucher_id = voucher_codes.read(payload)
    at = now()
    holder = db.session.connection().execute(SPEND[kind], {"v": voucher_id, "at": at, "by": institution_id}).scalar()
    if holder is None:  # unknown, used, revoked or expired (or another scan got there first): say which
        raise _unusable(db.session.get(Voucher, voucher_id), kind) or Conflict("voucher_used")
    patient = db.session.get(Person, holder)
    # A refusal rolls the spending back with the rest: the voucher stays good should the registry be wrong.
    tickets.require_insured(patient)
    return tickets.issue(institution_id, patient, CHANNEL[kind], voucher_id, at)
