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


def china_day_range(day: date) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of a China date, so a day's rows are one plain index range."""
    start = datetime(day.year, day.month, day.day, tzinfo=CHINA).astimezone(timezone.utc)
    return start, start + timedelta(days=1)


def china_month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of a China calendar month."""
    start, _ = china_day_range(date(year, month, 1))
    end, _ = china_day_range(date(year + month // 12, month % 12 + 1, 1))
    return start, end


def iso(at):
    return None if at is None else at.astimezone(CHINA).isoformat(timespec="seconds")
