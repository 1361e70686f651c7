"""What the national interface (API.md "National interface") keeps beyond the counter's own rows: each msgid's
answer (the idempotency key), outpatient visits (mdtrt_id) and their uploaded fee lines (chrg_bchno)."""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow
from .checkout import Ticket


class NhsaMessage(db.Model):
    """One msgid of one institution: the hash of its input and the answer given, repeated to a retry."""

    __tablename__ = "nhsa_messages"
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), primary_key=True)
    msgid: Mapped[str] = mapped_column(String(30), primary_key=True)
    input_hash: Mapped[str] = mapped_column(String(64))
    infcode: Mapped[int]
    err_code: Mapped[str | None] = mapped_column(String(255))   # our code; the text is rendered in the reader's language
    output: Mapped[str] = mapped_column(Text)                   # the output as sent (amounts with two decimals)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class NhsaVisit(db.Model):
    """An outpatient visit (2201): its mdtrt_id names the ticket a 1101 opened for this institution."""

    __tablename__ = "nhsa_visits"
    mdtrt_id: Mapped[str] = mapped_column(String(30), primary_key=True)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"))
    ticket: Mapped[str] = mapped_column(ForeignKey("tickets.token"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NhsaFee(db.Model):
    """A fee line uploaded by 2204 for a visit, in its batch (chrg_bchno); 2205 withdraws a batch."""

    __tablename__ = "nhsa_fees"
    id: Mapped[int] = mapped_column(primary_key=True)
    mdtrt_id: Mapped[str] = mapped_column(ForeignKey("nhsa_visits.mdtrt_id"), index=True)
    chrg_bchno: Mapped[str] = mapped_column(String(30))
    feedetl_sn: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(128))
    quantity: Mapped[int]
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The tickets a 1101 opened are found again by their e-voucher (01) or by the card holder (03).
Index("ix_tickets_voucher_id", Ticket.voucher_id)
Index("ix_tickets_person_id_institution_id", Ticket.person_id, Ticket.institution_id)
