"""Attempts that could probe the registry (a named invitation, a proxy request), counted in the database.

Every worker sees the same count, whatever RATELIMIT_ENABLED says; a refused attempt counts too."""
import math
from datetime import timedelta

from sqlalchemy import delete, select

from ..clock import now
from ..db import db, writes
from ..errors import TooManyRequests
from ..models import InvitationAttempt
from . import eligibility

HOUR = timedelta(hours=1)
PER_HOUR = 20  # each refusal tells something about the registry


@writes
def count(person_id: int, kind: str) -> None:
    """Count this attempt (its own transaction: a refused one still counts), or 429 when the hour's are spent."""
    eligibility.lock_persons(person_id)  # concurrent attempts of one person count one after another
    at = now()
    mine = (InvitationAttempt.benefactor_id == person_id, InvitationAttempt.kind == kind)
    recent = db.session.scalars(select(InvitationAttempt.at).where(*mine, InvitationAttempt.at > at - HOUR)
                                .order_by(InvitationAttempt.at)).all()
    if len(recent) >= PER_HOUR:
        retry = recent[len(recent) - PER_HOUR] + HOUR - at
        raise TooManyRequests(retry_after=max(1, math.ceil(retry.total_seconds())))
    db.session.execute(delete(InvitationAttempt).where(*mine, InvitationAttempt.at <= at - HOUR))
    db.session.add(InvitationAttempt(benefactor_id=person_id, at=at, kind=kind))
