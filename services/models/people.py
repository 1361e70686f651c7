from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db, utcnow
from .sealed import sealed

INSURANCE_TYPES = ("employee", "resident")
PERSON_STATUSES = ("insured", "ended")
ACCOUNT_STATUSES = ("normal", "frozen", "closed")
CARD_STATUSES = ("normal", "lost")
RELATIONS = ("spouse", "parent", "child", "sibling", "grandparent", "grandchild")
REVERSE = {"spouse": "spouse", "parent": "child", "child": "parent", "sibling": "sibling",
           "grandparent": "grandchild", "grandchild": "grandparent"}


class Person(db.Model):
    """An insured person (参保人), keyed by resident ID number."""

    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_number_enc, id_number_bidx, id_number = sealed("id_number", unique=True, nullable=False)  # PIPL: sealed
    name: Mapped[str] = mapped_column(String(64))
    name_bo: Mapped[str | None] = mapped_column(String(64))  # the name in Tibetan script, when the registry has it
    insurance_type: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(16))
    helpers_version: Mapped[int] = mapped_column(default=1)
    card_no_enc, card_no_bidx, card_no = sealed("card_no", unique=True)  # the medical-insurance card (医保卡), sealed
    card_status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    account: Mapped["Account | None"] = relationship(back_populates="person", uselist=False)

    __table_args__ = (
        CheckConstraint("insurance_type IN ('employee', 'resident')", name="insurance_type"),
        CheckConstraint("status IN ('insured', 'ended')", name="status"),
    )


class Account(db.Model):
    """A personal medical account (个人账户); only employee-insured persons have one."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), unique=True)
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16), default="normal")
    # The balance the last registry import stated; the next import books the difference from it.
    stated_balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    person: Mapped[Person] = relationship(back_populates="account")

    __table_args__ = (
        CheckConstraint("balance_fen >= 0", name="balance_not_negative"),
        CheckConstraint("status IN ('normal', 'frozen', 'closed')", name="status"),
    )


class Kinship(db.Model):
    """A registry fact: `relative` is `person`'s `relation`. Stored in both directions."""

    __tablename__ = "kinship"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    relative_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    relation: Mapped[str] = mapped_column(String(16))

    __table_args__ = (UniqueConstraint("person_id", "relative_id"),)


class Login(db.Model):
    """A mini-program login (an openid of one identity provider), linked to at most one person."""

    __tablename__ = "logins"
    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    openid: Mapped[str] = mapped_column(String(128))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), unique=True)
    # A face-checked link is proven and never taken over; an unproven one yields to a face-checked verify.
    face_checked: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Why an unlinked login lost its person: the one message it can still read (in its 403 answers).
    notice: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("provider", "openid"),)


class RefreshToken(db.Model):
    """An opaque refresh token, stored as its SHA-256; one family per login session."""

    __tablename__ = "refresh_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    login_id: Mapped[int] = mapped_column(ForeignKey("logins.id"))
    family: Mapped[str] = mapped_column(String(32), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    chain_started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the login that began this family
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    spent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


Index("ix_kinship_relative", Kinship.relative_id)
