from datetime import date, datetime

from sqlalchemy import BigInteger, Date, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow


class Institution(db.Model):
    """A designated institution (定点医药机构); its API secret is kept encrypted, never in clear."""

    __tablename__ = "institutions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    region_code: Mapped[str] = mapped_column(String(6))
    remote_aid: Mapped[bool] = mapped_column(default=False)
    secret_enc: Mapped[bytes] = mapped_column(LargeBinary)
    previous_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CatalogueItem(db.Model):
    """An entry of the medical-insurance catalogue (医保目录)."""

    __tablename__ = "catalogue"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    eligible: Mapped[bool]
    # The payment standard (医保支付标准): accounts pay at most this per unit; None: no cap.
    price_cap_fen: Mapped[int | None] = mapped_column(BigInteger)


class PremiumSchedule(db.Model):
    """The standard resident premium for a region prefix and year, with its collection window (inclusive)."""

    __tablename__ = "premium_schedules"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_prefix: Mapped[str] = mapped_column(String(6))
    year: Mapped[int]
    amount_fen: Mapped[int]
    opens: Mapped[date] = mapped_column(Date)
    closes: Mapped[date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("region_prefix", "year"),)
