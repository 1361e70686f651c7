from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db, utcnow
from .people import Person


class Premium(db.Model):
    """A resident premium paid on behalf (代缴) by a benefactor: once per person and year."""

    __tablename__ = "premiums"
    id: Mapped[int] = mapped_column(primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    binding_id: Mapped[int] = mapped_column(ForeignKey("bindings.id"))
    year: Mapped[int]
    amount_fen: Mapped[int]
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    payer: Mapped[Person] = relationship(foreign_keys=[payer_id])
    beneficiary: Mapped[Person] = relationship(foreign_keys=[beneficiary_id])

    __table_args__ = (UniqueConstraint("beneficiary_id", "year"), UniqueConstraint("payer_id", "idempotency_key"))
