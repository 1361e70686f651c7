"""The message feed: every step of a binding, every family deduction, every premium, told to the people concerned."""
from sqlalchemy import insert, select, update

from . import pages
from .clock import now
from .db import db, writes
from .models import Message

KINDS = ("invitation_received", "invitation_accepted", "invitation_declined", "invitation_cancelled",
         "binding_ended", "aid_paid", "aid_reversed", "premium_paid", "identity_taken_over",
         "proxy_requested", "proxy_approved", "proxy_declined", "proxy_ended", "voucher_by_proxy")


def notify(person_id: int, kind: str, text: str, **refs):
    """Add a message to a person's feed, in the caller's transaction."""
    assert kind in KINDS, kind
    db.session.add(Message(person_id=person_id, kind=kind, text=text[:500], **refs))


def notify_many(notes):
    """[(person_id, kind, text, binding_id)] as one statement, in the caller's transaction (the settlement's hot path)."""
    at = now()
    rows = [{"person_id": person_id, "kind": kind, "text": text[:500], "binding_id": binding_id, "at": at}
            for person_id, kind, text, binding_id in notes]
    assert all(r["kind"] in KINDS for r in rows), rows
    db.session.connection().execute(insert(Message.__table__), rows)


def feed(person_id: int, cursor=None, limit=20):
    return pages.page(select(Message).where(Message.person_id == person_id), Message.id, cursor, limit)


@writes
def mark_read(person_id: int, ids: list[int]) -> None:
    """Mark my messages read; ids that are not mine are ignored (existence does not leak)."""
    if ids:
        db.session.execute(update(Message).where(
            Message.person_id == person_id, Message.id.in_(ids), Message.read_at.is_(None))
            .values(read_at=now()).execution_options(synchronize_session=False))
