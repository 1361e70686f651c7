from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db, utcnow
from .people import Person
from .sealed import sealed

INVITATION_STATUSES = ("pending", "accepted", "declined", "cancelled", "expired")
END_REASONS = ("ended_by_benefactor", "ended_by_beneficiary", "insurance_ended", "account_closed", "left_tibet")


class Invitation(db.Model):
    """A benefactor's QR invitation; used once. `relation` is the invitee's relation to the benefactor."""

    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    benefactor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    invitee_id_number_enc, invitee_id_number_bidx, invitee_id_number = sealed("invitee_id_number", "id_number",
                                                                              index=True)
    invitee_name: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responder_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    binding_id: Mapped[int | None] = mapped_column(ForeignKey("bindings.id"))
    benefactor: Mapped[Person] = relationship(foreign_keys=[benefactor_id])

    def current_status(self, at: datetime) -> str:
        return "expired" if self.status == "pending" and self.expires_at <= at else self.status


class InvitationAttempt(db.Model):
    """Each POST /invitations (or /proxies: `kind`), refused or not, counted per person so the registry cannot be
    probed (services/family/attempts.py)."""

    __tablename__ = "invitation_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    benefactor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16), default="invitation", server_default="invitation")


Index("ix_invitation_attempts_benefactor_at", InvitationAttempt.benefactor_id, InvitationAttempt.at)


class Binding(db.Model):
    """A benefactor pays for a beneficiary; `position` orders the beneficiary's active helpers (0 first)."""

    __tablename__ = "bindings"
    id: Mapped[int] = mapped_column(primary_key=True)
    benefactor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="active")
    position: Mapped[int | None]
    monthly_limit_fen: Mapped[int | None]
    # The benefactor may refuse card payments (a card pays for whoever holds it); vouchers are unaffected.
    allow_card: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))
    benefactor: Mapped[Person] = relationship(foreign_keys=[benefactor_id])
    beneficiary: Mapped[Person] = relationship(foreign_keys=[beneficiary_id])
    helpers_count = None  # not stored: set by accept, so the beneficiary sees where the new helper landed


# A pair has at most one active binding, whatever races the application loses.
Index("uq_bindings_active_pair", Binding.benefactor_id, Binding.beneficiary_id, unique=True,
      sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'"))


class Message(db.Model):
    """A notification in a person's feed."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(String(500))  # rows from before params: the Chinese text as stored
    params: Mapped[dict | None] = mapped_column(JSON)  # the kind's parameters, rendered at read time
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    binding_id: Mapped[int | None] = mapped_column(ForeignKey("bindings.id"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"))


Index("ix_messages_person_id", Message.person_id, Message.id)
