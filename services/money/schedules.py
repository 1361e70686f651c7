"""Premium schedules: the standard resident premium per region prefix and year, and its collection window."""
import re
from datetime import date

from sqlalchemy import String, func, literal, select

from ..db import db, writes
from ..errors import InvalidRequest
from ..models import PremiumSchedule

PREFIX = re.compile(r"^\d{1,6}$")


@writes
def add(region_prefix: str, year: int, amount_fen: int, opens: date, closes: date) -> PremiumSchedule:
    """Add or replace the schedule of a region prefix and year (the window is inclusive)."""
    details = {}
    if not isinstance(region_prefix, str) or not PREFIX.match(region_prefix):
        details["region"] = ["must be 1 to 6 digits (a region code prefix)"]
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        details["year"] = ["must be a year from 2000 to 2100"]
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or not 1 <= amount_fen <= 100_000_000:
        details["amount_fen"] = ["must be a whole number of fen from 1 to 100,000,000"]
    if opens > closes:
        details["closes"] = ["must not be before opens"]
    if details:
        raise InvalidRequest(details=details)
    row = db.session.scalar(select(PremiumSchedule).where(
        PremiumSchedule.region_prefix == region_prefix, PremiumSchedule.year == year))
    if row is None:
        row = PremiumSchedule(region_prefix=region_prefix, year=year)
        db.session.add(row)
    row.amount_fen, row.opens, row.closes = amount_fen, opens, closes
    db.session.flush()
    return row


def for_region(region_code: str, year: int) -> PremiumSchedule | None:
    """The schedule whose prefix is the longest one matching the region code."""
    return db.session.scalar(
        select(PremiumSchedule)
        .where(PremiumSchedule.year == year,
               func.substr(literal(region_code, String), 1, func.length(PremiumSchedule.region_prefix))
               == PremiumSchedule.region_prefix)
        .order_by(func.length(PremiumSchedule.region_prefix).desc()).limit(1)
    )
