"""China time (UTC+8, no daylight saving) for months, dates and the times we show."""
from datetime import date, datetime, timedelta, timezone

from .db import utcnow

CHINA = timezone(timedelta(hours=8), "CST")


def now():
    return utcnow()


def china_today() -> date:
    return now().astimezone(CHINA).date()


def china_month(at: datetime) -> str:
    """The calendar month (China time) a moment falls in, as YYYY-MM."""
    return at.astimezone(CHINA).strftime("%Y-%m")


def iso(at):
    return None if at is None else at.astimezone(CHINA).isoformat(timespec="seconds")
