"""Cursor pagination, newest first: the cursor is opaque to clients (the last id seen, encoded)."""
import base64

from sqlalchemy import or_

from .db import db
from .errors import InvalidRequest


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, _, value = raw.partition(":")
        last = int(value)
        if version != "v1" or not 0 < last < 2**63:
            raise ValueError
        return last
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest(details={"cursor": ["is not valid"]})


def page(stmt, id_column, cursor: str | None, limit: int):
    """The contract's list: one page of `stmt` (ids below the cursor), newest first, and the next cursor or None."""
    if cursor:
        stmt = stmt.where(id_column < _decode(cursor))
    rows = list(db.session.scalars(stmt.order_by(id_column.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": _encode(rows[-1].id) if more and rows else None}


def mine(person_id: int, role: str | None, roles: dict):
    """The condition "mine in this role" ({role: column}), or in any of them when no role is given."""
    if role:
        return roles[role] == person_id
    return or_(*(column == person_id for column in roles.values()))
