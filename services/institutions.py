"""Designated institutions: creation and secret rotation (the signing check lives in counter_auth)."""
import re
import secrets
from datetime import timedelta

from . import vault
from .clock import now
from .db import db, writes
from .errors import InvalidRequest, NotFound
from .models import Institution

REGION = re.compile(r"^\d{6}$")


def _validate(name, region_code):
    details = {}
    if not name or not name.strip() or len(name) > 128:
        details["name"] = ["must be 1 to 128 characters"]
    if not isinstance(region_code, str) or not REGION.match(region_code):
        details["region"] = ["must be a 6-digit administrative code"]
    if details:
        raise InvalidRequest(message="the institution is not valid", details=details)


@writes
def create(name: str, region_code: str, remote_aid: bool = False, *, inst_id=None, secret=None) -> dict:
    """Register an institution; its secret is returned this once and stored only encrypted."""
    _validate(name, region_code)
    inst_id = inst_id or "ins_" + secrets.token_hex(6)
    secret = secret or secrets.token_urlsafe(32)
    row = db.session.get(Institution, inst_id)
    if row is None:
        row = Institution(id=inst_id)
        db.session.add(row)
    row.name, row.region_code, row.remote_aid = name.strip(), region_code, bool(remote_aid)
    row.secret_enc = vault.seal(secret)
    return {"id": inst_id, "secret": secret}


@writes
def rotate_secret(inst_id: str, grace_minutes: int = 0) -> dict:
    """Issue a new secret; the old one keeps working for the grace period so terminals can switch over."""
    row = db.session.get(Institution, inst_id)
    if row is None:
        raise NotFound(message=f"no institution {inst_id}")
    secret = secrets.token_urlsafe(32)
    row.previous_secret_enc = row.secret_enc if grace_minutes > 0 else None
    row.previous_valid_until = now() + timedelta(minutes=grace_minutes) if grace_minutes > 0 else None
    row.secret_enc = vault.seal(secret)
    return {"id": inst_id, "secret": secret}
