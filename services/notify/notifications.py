"""WeChat subscribe messages: what a person accepted, and the outbox row queued beside the feed message it copies.

The outbox row is written by the statement after the message's own insert, in the same transaction: a use case
that rolls back (a refused settlement) leaves neither. The sender (services/notify/notify_sender.py) delivers it."""
from sqlalchemy import and_, bindparam, func, insert, literal, select

from .. import settings
from ..clock import now
from ..db import db, dialect, writes
from ..errors import InvalidRequest
from ..models import Message, Outbox, Subscription

# The feed's kinds that are also told on WeChat, to a reader who accepted that kind's template.
KINDS = ("aid_paid", "invitation_accepted", "binding_ended", "voucher_by_proxy", "premium_paid")


def templates() -> dict:
    """{kind: template_id} of WECHAT_TEMPLATE_IDS."""
    return settings.get("WECHAT_TEMPLATE_IDS")


@writes
def subscribe(person_id: int, template_ids: list[str], accepted: list[str], locale: str) -> list[Subscription]:
    """Record the answers of a subscribe dialog; a later answer for a template replaces the earlier one."""
    kinds = {template: kind for kind, template in templates().items()}
    unknown = {f"template_ids.{i}": ["not one of this mini-program's templates"]
               for i, t in enumerate(template_ids) if t not in kinds}
    unknown.update({f"accepted.{i}": ["not among template_ids"]
                    for i, t in enumerate(accepted) if t not in template_ids})
    if unknown:
        raise InvalidRequest(details=unknown)
    at = now()
    rows = [{"person_id": person_id, "template_id": t, "kind": kinds[t], "accepted": t in accepted,
             "locale": locale, "at": at} for t in dict.fromkeys(template_ids)]
    if rows:
        table = Subscription.__table__
        upsert = dialect(db.engine.dialect.name).insert(table)
        db.session.execute(upsert.on_conflict_do_update(
            index_elements=[table.c.person_id, table.c.template_id],
            set_={name: upsert.excluded[name] for name in ("kind", "accepted", "locale", "at")}), rows)
    return subscriptions(person_id)


def subscriptions(person_id: int) -> list[Subscription]:
    return db.session.scalars(select(Subscription).where(Subscription.person_id == person_id)
                              .order_by(Subscription.template_id)).all()


def _queue_statement():
    """INSERT INTO notify_outbox SELECT each given message whose reader accepted its kind: one statement; queued
    at the message's own time."""
    m, s = Message.__table__, Subscription.__table__
    chosen = select(m.c.id, m.c.person_id, s.c.template_id, s.c.locale, literal("pending"), literal(0),
                    m.c.at, m.c.at) \
        .join(s, and_(s.c.person_id == m.c.person_id, s.c.kind == m.c.kind, s.c.accepted)) \
        .where(m.c.id.in_(bindparam("ids", expanding=True)))
    return insert(Outbox.__table__).from_select(
        ["message_id", "person_id", "template_id", "locale", "status", "attempts", "queued_at", "next_at"], chosen)


QUEUE = _queue_statement()   # built once: the settlement's hot path runs it


def wanted(kind: str) -> bool:
    """Whether messages of this kind may be queued at all (sending on, a template named for it): no statement
    runs otherwise."""
    return kind in KINDS and settings.get("NOTIFY_ENABLED") and kind in templates()


def queue(message_ids: list[int]) -> None:
    """Queue for WeChat those of these new feed messages whose reader accepted their kind, in the caller's
    transaction."""
    db.session.connection().execute(QUEUE, {"ids": message_ids})


def counts() -> dict:
    """{status: rows} and the age in seconds of the oldest pending row (0 when none): what /metrics shows."""
    by_status = dict(db.session.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())
    oldest = db.session.scalar(select(func.min(Outbox.queued_at)).where(Outbox.status == "pending"))
    return {"statuses": by_status, "oldest_pending_seconds": 0 if oldest is None else
            max(0.0, (now() - oldest).total_seconds())}
