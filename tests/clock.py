"""The services' clock (services/clock.py), set by a test to a chosen moment; real time until set."""
from datetime import datetime, timezone

import services.clock
from services.clock import CHINA


def china(day: str, hh=0, mm=0, ss=0) -> datetime:
    """A moment of China time: china("2026-03-10", 23, 59)."""
    y, m, d = map(int, day.split("-"))
    return datetime(y, m, d, hh, mm, ss, tzinfo=CHINA)


class Clock:
    def __init__(self, monkeypatch):
        self.at = None
        monkeypatch.setattr(services.clock, "utcnow", self.now)

    def now(self):
        return datetime.now(timezone.utc) if self.at is None else self.at.astimezone(timezone.utc)

    def set(self, at: datetime):
        """From now on every service (and a test counter's signature) sees this aware moment."""
        self.at = at
