from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db, utcnow
from .family import Binding
from .people import Person
from .reference import Institution


CHANNELS = ("voucher", "offline_voucher", "card")  # how a settlement was paid (API.md v1.1)


class Voucher(db.Model):
    """An e-voucher (医保电子凭证) payload a beneficiary shows; short-lived, good for one scan.

    A code of an offline book is a voucher with `book_id`; a newer book or a logout sets `revoked_at` on the unspent
    ones (docs/offline-vouchers.md)."""

    __tablename__ = "vouchers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by: Mapped[str | None] = mapped_column(ForeignKey("institutions.id"))
    book_id: Mapped[str | None] = mapped_column(String(32), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The right it was issued under (API.md v1.2 "Trust, round two"): ending it revokes the unspent ones.
    login_id: Mapped[int | None] = mapped_column(ForeignKey("logins.id"), index=True)  # the login that asked
    proxy_id: Mapped[int | None] = mapped_column(ForeignKey("proxies.id"), index=True)  # a carer's, through a proxy


class Ticket(db.Model):
    """What a scan gives the institution that scanned: the right to settle once for that patient."""

    __tablename__ = "tickets"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    voucher_id: Mapped[str | None] = mapped_column(ForeignKey("vouchers.id"))  # None for a card
    channel: Mapped[str] = mapped_column(String(16), default="voucher", server_default="voucher")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    previews: Mapped[int] = mapped_column(default=0, server_default="0")  # at most 5: balances are not for probing


class CounterNonce(db.Model):
    """Nonces of signed counter requests, remembered long enough to refuse replays (shared by all workers)."""

    __tablename__ = "counter_nonces"
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Settlement(db.Model):
    """One bill settled at a counter: own account, helpers, cash; idempotent on (institution, order_no)."""

    __tablename__ = "settlements"
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"))
    order_no: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    ticket: Mapped[str] = mapped_column(ForeignKey("tickets.token"))
    status: Mapped[str] = mapped_column(String(16), default="settled")
    channel: Mapped[str] = mapped_column(String(16), default="voucher", server_default="voucher")
    use_accounts: Mapped[bool] = mapped_column(default=True)
    items: Mapped[list] = mapped_column(JSON)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    eligible_fen: Mapped[int] = mapped_column(BigInteger)
    own_account_fen: Mapped[int] = mapped_column(BigInteger)
    mutual_aid_fen: Mapped[int] = mapped_column(BigInteger)
    cash_fen: Mapped[int] = mapped_column(BigInteger)
    own_balance_after_fen: Mapped[int | None] = mapped_column(BigInteger)
    month: Mapped[str] = mapped_column(String(7))
    settled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverse_reason: Mapped[str | None] = mapped_column(String(255))
    institution: Mapped[Institution] = relationship()
    patient: Mapped[Person] = relationship()
    aid: Mapped[list["SettlementAid"]] = relationship(order_by="SettlementAid.rank", back_populates="settlement")

    __table_args__ = (UniqueConstraint("institution_id", "order_no"),)

    @property
    def mutual_aid(self) -> list[dict]:
        """Who paid what, in the answer's shape (plain data, read now: the schema masks the benefactor's name)."""
        return [{"binding_id": a.binding_id, "relation": a.binding.relation,
                 "benefactor": a.binding.benefactor, "amount_fen": a.amount_fen} for a in self.aid]


class SettlementAid(db.Model):
    """What one helper's account paid toward one settlement."""

    __tablename__ = "settlement_aid"
    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    binding_id: Mapped[int] = mapped_column(ForeignKey("bindings.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    rank: Mapped[int]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    month: Mapped[str] = mapped_column(String(7))
    settlement: Mapped[Settlement] = relationship(back_populates="aid")
    binding: Mapped[Binding] = relationship()


# A China date's settlements or reversals of one institution are one range of these (reconciliation, report).
Index("ix_settlements_institution_settled_at", Settlement.institution_id, Settlement.settled_at)
Index("ix_settlements_institution_reversed_at", Settlement.institution_id, Settlement.reversed_at)
Index("ix_settlement_aid_binding_month", SettlementAid.binding_id, SettlementAid.month)
