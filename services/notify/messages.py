"""The message feed: every step of a binding, every family deduction, every premium, told to the people concerned."""
from sqlalchemy import insert, select, update

from .. import i18n, paging
from ..clock import now
from ..db import db, writes
from ..models import Message
from . import message_texts, notifications

KINDS = ("invitation_received", "invitation_accepted", "invitation_declined", "invitation_cancelled",
         "binding_ended", "aid_paid", "aid_reversed", "premium_paid", "identity_taken_over",
         "proxy_requested", "proxy_approved", "proxy_declined", "proxy_ended", "voucher_by_proxy")


def notify(person_id: int, kind: str, form: str | None = None, params: dict | None = None, **refs):
    """Add a message to a person's feed, in the caller's transaction: its kind, whom it tells (`form`) and its
    parameters (names already masked, relation, *_fen amounts), never a text: it is rendered when read."""
    assert kind in KINDS and (f"{kind}.{form}" if form else kind) in message_texts.TEMPLATES, (kind, form)
    params = {**(params or {}), **({"form": form} if form else {})}
    message = Message(person_id=person_id, kind=kind, params=params, **refs)
    db.session.add(message)
    if notifications.wanted(kind):  # and to WeChat, in this same transaction, if its reader accepted the kind
        db.session.flush()
        notifications.queue([message.id])


def render(message: Message, locale: str) -> str:
    """The message in the reader's language; a row from before params shows the text it was stored with."""
    if message.params is None:
        return message.text
    values = dict(message.params)
    form = values.pop("form", None)
    template = message_texts.TEMPLATES[f"{message.kind}.{form}" if form else message.kind]
    return i18n.gettext(locale, template) % {name: _value(name, value, locale) for name, value in values.items()}


def _value(name: str, value, locale: str):
    """Amounts as ¥12.34, relations and end reasons in the reader's language, names as stored (masked)."""
    if name.endswith("_fen"):
        return i18n.money(value)
    if name in ("relation", "role"):
        return i18n.gettext(locale, message_texts.RELATIONS[value])
    if name == "reason":
        return i18n.gettext(locale, message_texts.END_REASONS[value])
    return value


INSERT = insert(Message.__table__)   # built once: the settlement's hot path
INSERT_RETURNING = INSERT.returning(Message.__table__.c.id)   # their ids, in any order: one statement


def notify_many(notes):
    """[(person_id, kind, params, binding_id)] as one statement, in the caller's transaction (the settlement's hot
    path), and one more queueing them for WeChat when their kind is sent there; rendered when read, like
    `notify`'s."""
    at = now()
    rows = [{"person_id": person_id, "kind": kind, "params": params, "binding_id": binding_id, "at": at}
            for person_id, kind, params, binding_id in notes]
    assert all(r["kind"] in KINDS and r["kind"] in message_texts.TEMPLATES for r in rows), rows
    if not any(notifications.wanted(r["kind"]) for r in rows):   # then the hot path runs no further statement
        db.session.connection().execute(INSERT, rows)
        return
    notifications.queue(db.session.connection().execute(INSERT_RETURNING, rows).scalars().all())


def feed(person_id: int, cursor=None, limit=20):
    return paging.page(select(Message).where(Message.person_id == person_id), Message.id, cursor, limit)


@writes
def mark_read(person_id: int, ids: list[int]) -> None:
    """Mark my messages read; ids that are not mine are ignored (existence does not leak)."""
    if ids:
        db.session.execute(update(Message).where(
            Message.person_id == person_id, Message.id.in_(ids), Message.read_at.is_(None))
            .values(read_at=now()).execution_options(synchronize_session=False))
