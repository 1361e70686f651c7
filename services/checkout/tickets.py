"""Tickets (RULES.md "Settlement at the counter"): a scan gives the institution that scanned a ticket, the right to
settle once for one insured patient until it expires; a preview counts against it (at most 5), a settlement claims
it. SQLAlchemy Core, statements built once: the settlement's hot path takes its ticket here."""
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, select

from .. import settings
from ..clock import now
from ..db import db
from ..errors import Conflict, Refused
from ..models import Institution, Ticket

PREVIEWS_PER_TICKET = 5
TICKETS, INSTITUTIONS = Ticket.__table__, Institution.__table__


def _of_institution(column):
    """A column of the ticket's institution (SQLite's RETURNING may name only the updated table, not a FROM)."""
    return select(column).where(INSTITUTIONS.c.id == TICKETS.c.institution_id).scalar_subquery()


def _taking(*more, **values):
    """Change a ticket good for this institution, unexpired and unused, in the statement that locks it; it comes back
    with what the bill needs of its institution, or no row (then `check` says why)."""
    return TICKETS.update().where(
        TICKETS.c.token == bindparam("t"), TICKETS.c.institution_id == bindparam("i"), TICKETS.c.used_at.is_(None),
        TICKETS.c.expires_at > bindparam("at"), *more).values(**values) \
        .returning(TICKETS.c.token, TICKETS.c.institution_id, TICKETS.c.person_id, TICKETS.c.channel,
                   _of_institution(INSTITUTIONS.c.name).label("institution_name"),
                   _of_institution(INSTITUTIONS.c.region_code).label("region_code"),
                   _of_institution(INSTITUTIONS.c.remote_aid).label("remote_aid"))


CLAIM = _taking(used_at=bindparam("at"))                                  # a settlement marks it used
COUNT_PREVIEW = _taking(TICKETS.c.previews < PREVIEWS_PER_TICKET, previews=TICKETS.c.previews + 1)
READ = select(TICKETS.c.institution_id, TICKETS.c.person_id, TICKETS.c.expires_at, TICKETS.c.used_at) \
    .where(TICKETS.c.token == bindparam("t"))
OPEN = TICKETS.insert()


def require_insured(person) -> None:
    """Only an insured person is served at the counter (RULES.md, second release)."""
    if person.status != "insured":
        raise Refused("not_insured")


def issue(institution_id: str, patient, channel: str, voucher_id: str | None, at) -> dict:
    """A ticket for this institution to settle once for the patient, paid through `channel` (caller's transaction)."""
    token, expires_at = secrets.token_urlsafe(32), at + timedelta(seconds=settings.get("TICKET_TTL_SECONDS"))
    db.session.connection().execute(OPEN, {"token": token, "institution_id": institution_id, "person_id": patient.id,
                                           "voucher_id": voucher_id, "channel": channel, "created_at": at,
                                           "expires_at": expires_at})
    return {"ticket": token, "expires_at": expires_at, "patient": {  # the schema masks who he is
        "name": patient.name, "name_bo": patient.name_bo, "id_number": patient.id_number,
        "insurance_type": patient.insurance_type}}


def check(ticket, institution_id: str, at) -> None:
    """A ticket (None: unknown) is good for the institution that scanned it until it expires, for one settlement."""
    if ticket is None or ticket.institution_id != institution_id or ticket.expires_at <= at:
        raise Refused("ticket_invalid")
    if ticket.used_at is not None:
        raise Conflict("ticket_used")


def unused(token: str, institution_id: str):
    """The ticket (institution_id, person_id, expires_at, used_at) if it is still good for a settlement."""
    ticket = db.session.connection().execute(READ, {"t": token}).first()
    check(ticket, institution_id, now())
    return ticket


def claim(token: str, institution_id: str, at):
    """The ticket with its institution, marked used by the settlement in this transaction; else why not."""
    return _take(CLAIM, token, institution_id, at)


def count_preview(token: str, institution_id: str, at):
    """The ticket with its institution, one preview more counted; past the fifth, refused: balances are not for
    probing."""
    return _take(COUNT_PREVIEW, token, institution_id, at)


def _take(statement, token, institution_id, at):
    conn = db.session.connection()
    taken = conn.execute(statement, {"t": token, "i": institution_id, "at": at}).first()
    if taken is None:
        check(conn.execute(READ, {"t": token}).first(), institution_id, at)
        raise Refused("preview_limit_reached")  # good and unused, yet not taken: only the preview count stops that
    return taken


def holder(token: str) -> int | None:
    """Whose ticket this is (settlements are counted per patient; the national interface's person); None: unknown."""
    ticket = db.session.connection().execute(READ, {"t": token}).first()
    return None if ticket is None else ticket.person_id
