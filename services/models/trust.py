"""What proves a right once and only once (API.md v1.2 "Trust, round two")."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow


class UsedFaceCheck(db.Model):
    """A face check's verify_result, once it proved something (a verify or a proxy consent): good once only.

    Kept as a SHA-256 digest: the token itself is a credential of the platform's."""

    __tablename__ = "used_face_checks"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    login_id: Mapped[int] = mapped_column(ForeignKey("logins.id"))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
