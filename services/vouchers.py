"""E-vouchers and the scan that turns one into a ticket for one institution (RULES.md "Settlement at the counter")."""
import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from . import masking, qr, settings
from .clock import now
from .db import db, writes
from .errors import Conflict, NotFound, Refused
from .models import Person, Ticket, Voucher

PREFIX = "GJV1"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _sign(voucher_id: str, expires: int) -> str:
    key = hashlib.sha256(b"gongji voucher\0" + settings.get("SECRET_KEY").encode()).digest()
    return _b64(hmac.new(key, f"{voucher_id}.{expires}".encode(), hashlib.sha256).digest()[:16])


@writes
def issue(person_id: int) -> dict:
    """A fresh voucher: an opaque signed payload (no name, no ID number) and its QR as a data URI."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound()
    require_insured(person)
    at = now()
    expires_at = at + timedelta(seconds=int(settings.get("VOUCHER_TTL_SECONDS")))
    voucher = Voucher(id=_b64(secrets.token_bytes(16)), person_id=person_id, issued_at=at, expires_at=expires_at)
    db.session.add(voucher)
    expires = int(expires_at.timestamp())
    payload = f"{PREFIX}.{voucher.id}.{expires}.{_sign(voucher.id, expires)}"
    return {"payload": payload, "expires_at": expires_at, "qr_png": qr.data_uri(payload)}


def _parse(payload: str) -> tuple[str, datetime]:
    parts = payload.split(".") if isinstance(payload, str) and len(payload) <= 120 else []
    if len(parts) != 4 or parts[0] != PREFIX or not parts[2].isdigit():
        raise Refused("voucher_invalid", "this is not a medical-insurance e-voucher of ours")
    voucher_id, expires, signature = parts[1], int(parts[2]), parts[3]
    if not hmac.compare_digest(_sign(voucher_id, expires), signature):
        raise Refused("voucher_invalid", "the e-voucher's signature is wrong")
    return voucher_id, datetime.fromtimestamp(expires, timezone.utc)


@writes
def scan(institution_id: str, payload: str) -> dict:
    """Spend the voucher (at every institution) and give this institution a ticket for its patient."""
    voucher_id, _ = _parse(payload)
    voucher = db.session.get(Voucher, voucher_id)
    if voucher is None:
        raise Refused("voucher_invalid", "unknown e-voucher")
    if voucher.used_at is not None:
        raise Conflict("voucher_used", "this e-voucher was already scanned; ask for a fresh one")
    at = now()
    if voucher.expires_at <= at:
        raise Refused("voucher_expired", "this e-voucher has expired; ask for a fresh one")
    patient = db.session.get(Person, voucher.person_id)
    require_insured(patient)  # refused before spending: the voucher stays good should the registry be wrong
    spent = db.session.execute(update(Voucher).where(Voucher.id == voucher_id, Voucher.used_at.is_(None))
                               .values(used_at=at, used_by=institution_id)
                               .execution_options(synchronize_session=False)).rowcount
    if not spent:
        raise Conflict("voucher_used", "this e-voucher was already scanned; ask for a fresh one")
    return open_ticket(institution_id, patient, "voucher", voucher_id, at)


def require_insured(person: Person):
    """Only an insured person is served at the counter (RULES.md, second release)."""
    if person.status != "insured":
        raise Refused("not_insured", "this person's medical insurance has ended")


def open_ticket(institution_id: str, patient: Person, channel: str, voucher_id: str | None, at) -> dict:
    """A ticket for this institution to settle once for the patient, paid through `channel` (caller's transaction)."""
    ticket = Ticket(token=secrets.token_urlsafe(32), institution_id=institution_id, person_id=patient.id,
                    voucher_id=voucher_id, channel=channel, created_at=at,
                    expires_at=at + timedelta(seconds=int(settings.get("TICKET_TTL_SECONDS"))))
    db.session.add(ticket)
    return {"ticket": ticket.token, "expires_at": ticket.expires_at, "patient": {
        "name_masked": masking.name(patient.name), "id_number_masked": masking.id_number(patient.id_number),
        "insurance_type": patient.insurance_type}}


def valid_ticket(token: str, institution_id: str, for_update=False) -> Ticket:
    """The ticket if this institution scanned it and it has not expired; used tickets are the caller's call."""
    stmt = select(Ticket).where(Ticket.token == token)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    ticket = db.session.scalar(stmt)
    if ticket is None or ticket.institution_id != institution_id or ticket.expires_at <= now():
        raise Refused("ticket_invalid", "the ticket is unknown, expired or was scanned by another institution")
    return ticket


def ticket_holder(token: str) -> int | None:
    """Whose ticket this is (for counting settlements per patient); None when unknown."""
    return db.session.scalar(select(Ticket.person_id).where(Ticket.token == token))
