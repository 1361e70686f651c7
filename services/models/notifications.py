"""WeChat subscribe messages: what each person accepted, the outbox of messages to send, the shared access token."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow

OUTBOX_STATUSES = ("pending", "sent", "failed", "expired")


class Subscription(db.Model):
    """A person's last answer for one template in the mini-program's subscribe dialog, and his language then."""

    __tablename__ = "notify_subscriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    template_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    accepted: Mapped[bool]
    locale: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("person_id", "template_id"),)


# the settle path's join: the readers of these messages who accepted this kind
Index("ix_notify_subscriptions_person_kind", Subscription.person_id, Subscription.kind)


class Outbox(db.Model):
    """A feed message to send to WeChat, written in the transaction that wrote the message."""

    __tablename__ = "notify_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    template_id: Mapped[str] = mapped_column(String(128))
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)   # due from then; a claim moves it past its lease
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    errcode: Mapped[int | None]

    __table_args__ = (CheckConstraint("status IN ('pending', 'sent', 'failed', 'expired')", name="status"),)


Index("ix_notify_outbox_due", Outbox.status, Outbox.next_at)


class PlatformToken(db.Model):
    """The platform's access token, shared by every sender on every host until it expires."""

    __tablename__ = "platform_tokens"
    appid: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str | None] = mapped_column(String(512))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
