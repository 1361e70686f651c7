"""msgid is the national interface's idempotency key: each (institution, msgid) keeps the hash of its input and
the answer given, so a retry is answered as the first time and another input under the same msgid is refused."""
from types import SimpleNamespace

from sqlalchemy import bindparam, select

from ..db import db, dialect_insert, writes
from ..errors import Conflict
from ..models import NhsaMessage

MESSAGES = NhsaMessage.__table__
FIND = select(MESSAGES.c.input_hash, MESSAGES.c.infcode, MESSAGES.c.err_code, MESSAGES.c.output).where(   # built once
    MESSAGES.c.institution_id == bindparam("i"), MESSAGES.c.msgid == bindparam("m"))


def _conflict() -> Conflict:
    return Conflict("idempotency_conflict")


def recall(institution_id: str, msgid: str, digest: str):
    """The answer already given to this msgid (infcode, err_code, output), or None; another input is refused."""
    row = db.session.connection().execute(FIND, {"i": institution_id, "m": msgid}).first()
    if row is not None and row.input_hash != digest:
        raise _conflict()
    return row


@writes
def keep(institution_id: str, msgid: str, digest: str, infcode: int, err_code: str | None, output: str):
    """Keep this answer unless a concurrent copy kept one first; the answer that stands, as recall gives it."""
    row = {"institution_id": institution_id, "msgid": msgid, "input_hash": digest, "infcode": infcode,
           "err_code": err_code, "output": output}
    kept = db.session.connection().execute(
        dialect_insert(MESSAGES, conflict=(MESSAGES.c.institution_id, MESSAGES.c.msgid), returning=MESSAGES.c.msgid),
        row).scalar()
    if kept is not None:
        return SimpleNamespace(**row)
    return recall(institution_id, msgid, digest)
