from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db, utcnow
from .people import Person

PROXY_STATUSES = ("pending", "active", "declined", "ended")


class Proxy(db.Model):
    """A family proxy (亲情账户): the carer shows the relative's e-voucher. `relation` is the relative's to the carer."""

    __tablename__ = "proxies"
    id: Mapped[int] = mapped_column(primary_key=True)
    carer_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    carer: Mapped[Person] = relationship(foreign_keys=[carer_id])
    person: Mapped[Person] = relationship(foreign_keys=[person_id])


# A pair has at most one live (pending or active) proxy, whatever races the application loses.
Index("uq_proxies_live_pair", Proxy.carer_id, Proxy.person_id, unique=True,
      sqlite_where=text("status IN ('pending', 'active')"), postgresql_where=text("status IN ('pending', 'active')"))
