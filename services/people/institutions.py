"""Designated institutions: creation and secret rotation (the signing check lives in counter_auth)."""
import secrets
from datetime import timedelta

from .. import regions, vault
from ..clock import now
from ..db import db, writes
from ..errors import InvalidRequest, NotFound
from ..models import Institution


def _validate(name, region_code):
    details = {}
    if not name or not name.strip() or len(name) > 128:
        details["name"] = ["must be 1 to 128 characters"]
    if not regions.is_code(region_code):
        details["region"] = ["must be a 6-digit administrative code"]
    if details:
        raise InvalidRequest(details=details)


def create(name: str, region_code: str, remote_aid: bool = False) -> dict:
    """Register a new institution under a new id; its secret is returned this once and stored only encrypted."""
    return upsert("ins_" + secrets.token_hex(6), name, region_code, remote_aid, secrets.token_urlsafe(32))


@writes
def upsert(inst_id: str, name: str, region_code: str, remote_aid: bool, secret: str) -> dict:
    """Create or overwrite the institution with this id and secret (the demo seed and benchmarks name theirs)."""
    _validate(name, region_code)
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
        raise NotFound(details={"institution_id": ["no institution has this id"]})
    secret = secrets.token_urlsafe(32)
    row.previous_secret_enc = row.secret_enc if grace_minutes > 0 else None
    row.previous_valid_until = now() + timedelta(minutes=grace_minutes) if grace_minutes > 0 else None
    row.secret_enc = vault.seal(secret)
    return {"id": inst_id, "secret": secret}
