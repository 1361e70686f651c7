from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db, utcnow

LEDGER_KINDS = ("registry", "settlement", "mutual_aid", "reversal", "premium")


class LedgerEntry(db.Model):
    """One change of one balance, with its cause; never updated, never deleted."""

    __tablename__ = "ledger_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    balance_after_fen: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    counterparty_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    institution_id: Mapped[str | None] = mapped_column(ForeignKey("institutions.id"))
    order_no: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(255))
    binding_id: Mapped[int | None] = mapped_column(ForeignKey("bindings.id"))
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), index=True)
    premium_id: Mapped[int | None] = mapped_column(ForeignKey("premiums.id"))
    channel: Mapped[str | None] = mapped_column(String(16))  # settlement entries: voucher, offline_voucher, card
    institution = relationship("Institution")


Index("ix_ledger_account_id", LedgerEntry.account_id, LedgerEntry.id)
