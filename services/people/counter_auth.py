"""Institutions authenticate by HMAC-signed requests (API.md "Institutions"); nonces live in the database."""
import functools
import hashlib
import hmac
import re
from datetime import timedelta

from sqlalchemy import bindparam, delete, select, text

from .. import vault
from ..clock import now
from ..db import db, dialect, writes
from ..errors import Unauthenticated
from ..models import CounterNonce, Institution

SKEW_SECONDS = 300
NONCE_MEMORY = timedelta(minutes=10)


def string_to_sign(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return "\n".join([method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()])


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """What a counter terminal computes; the tests and the counter page do the same."""
    message = string_to_sign(method, path, timestamp, nonce, body).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


INSTITUTION = select(Institution.secret_enc, Institution.previous_secret_enc, Institution.previous_valid_until) \
    .where(Institution.id == bindparam("i"))


def secrets_of(inst):
    """The institution's secret, and its previous one while that is still valid (a rotation)."""
    yield vault.open_(inst.secret_enc)
    if inst.previous_secret_enc and inst.previous_valid_until and inst.previous_valid_until > now():
        yield vault.open_(inst.previous_secret_enc)


def authenticate(inst_id, timestamp, nonce, signature, method, path, body, remember=True) -> str:
    """Check one signed request, then remember its nonce (committed even if the request then fails).

    With remember=False the caller's use case records it in its own transaction (record_nonce) and, should that
    use case fail, the caller remembers it on its own (remember): one transaction less for a settlement."""
    _check(inst_id, timestamp, nonce, signature, method, path, body)
    # Only a request that proved itself reaches a writing transaction: strangers take no write lock.
    return remember_nonce(inst_id, nonce) if remember else inst_id


def _check(inst_id, timestamp, nonce, signature, method, path, body) -> None:
    """Headers, signature and clock, read-only."""
    if not inst_id or not timestamp or not nonce or not signature:
        raise Unauthenticated()
    if not re.fullmatch(r"[0-9]{1,12}", timestamp) or not re.fullmatch(r"[ -~]{16,64}", nonce):
        raise Unauthenticated("bad_signature")
    if not re.fullmatch(r"[0-9a-fA-F]{64}", signature):
        raise Unauthenticated("bad_signature")
    if len(inst_id) > 32 or not inst_id.isprintable():
        raise Unauthenticated("unknown_institution")
    inst = db.session.connection().execute(INSTITUTION, {"i": inst_id}).first()   # Core: no ORM load per request
    if inst is None:
        raise Unauthenticated("unknown_institution")
    if not any(hmac.compare_digest(sign(s, method, path, timestamp, nonce, body), signature.lower())
               for s in secrets_of(inst)):
        raise Unauthenticated("bad_signature")
    at = now()
    if abs(at.timestamp() - int(timestamp)) > SKEW_SECONDS:
        raise Unauthenticated("stale_timestamp")


@writes
def remember_nonce(inst_id: str, nonce: str) -> str:
    """The nonce in a transaction of its own: kept even when the request it came with then fails."""
    if db.engine.dialect.name == "postgresql":
        # The nonce's own commit need not wait for the disk: losing the last instant of nonces in a crash only
        # reopens a replay window of a fraction of a second, and replayed settlements are idempotent by order_no.
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    record_nonce(inst_id, nonce)
    return inst_id


def record_nonce(inst_id: str, nonce: str | None) -> None:
    """Remember a nonce in the caller's transaction (one statement); one seen within the memory window is a replay."""
    if nonce is None:
        return
    at = now()  # old nonces are forgotten by the scheduled purge-nonces job, never inside a request
    found = db.session.connection().execute(_nonce_statement(), {"i": inst_id, "n": nonce, "at": at,
                                                                 "cutoff": at - NONCE_MEMORY}).first()
    if found is None:
        raise Unauthenticated("nonce_reused")


@functools.cache
def _nonce_statement_for(dialect_name: str):
    """INSERT ... ON CONFLICT, built once per dialect; a nonce older than the memory window is free again (even
    if the clean-up has not reached it), a younger one answers no row: a replay."""
    table = CounterNonce.__table__
    at = bindparam("at", type_=table.c.seen_at.type)
    return dialect(dialect_name).insert(table).values(institution_id=bindparam("i"), nonce=bindparam("n"), seen_at=at) \
        .on_conflict_do_update(index_elements=[table.c.institution_id, table.c.nonce], set_={"seen_at": at},
                               where=table.c.seen_at < bindparam("cutoff", type_=table.c.seen_at.type)) \
        .returning(table.c.nonce)


def _nonce_statement():
    return _nonce_statement_for(db.engine.dialect.name)


def _forget_nonces(at) -> int:
    return db.session.execute(delete(CounterNonce).where(CounterNonce.seen_at < at - NONCE_MEMORY)).rowcount


@writes
def purge_nonces() -> int:
    """Forget the nonces older than the memory window (scheduled, so the table stays small when traffic is low)."""
    return _forget_nonces(now())
