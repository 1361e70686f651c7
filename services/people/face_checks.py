"""A face check proves the login that presents it, once (API.md v1.2 "Trust, round two").

The platform's getinfo answer must name the openid of that login and a finish_time (unix seconds) within the last
FRESH_SECONDS; its verify_result is then spent in the database, whatever it proves (a verify or a proxy consent)."""
import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import providers
from ..clock import now
from ..db import db
from ..errors import Refused
from ..models import Login, UsedFaceCheck


def proves(verify_result: str, login_id: int, id_number: str, name: str) -> bool:
    """True when the platform says this verify_result is a fresh, passed check of this person on this login's phone.

    Asked before the use case's transaction begins: no lock is held across the network call."""
    openid = db.session.scalar(select(Login.openid).where(Login.id == login_id))
    return openid is not None and providers.face_check_matches(verify_result, id_number, name, openid,
                                                                int(now().timestamp()))


def spend(verify_result: str, login_id: int) -> None:
    """Record the check as used in the caller's transaction; presented again (or twice at once) it proves nothing."""
    digest = hashlib.sha256(verify_result.encode("utf-8")).hexdigest()
    try:
        with db.session.begin_nested():
            db.session.add(UsedFaceCheck(digest=digest, login_id=login_id, used_at=now()))
    except IntegrityError:
        raise Refused("identity_mismatch")
