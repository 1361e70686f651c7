"""The medical-insurance catalogue (医保目录): which item codes accounts may pay for."""
from sqlalchemy import select

from .db import db, writes
from .errors import InvalidRequest
from .models import CatalogueItem


def _row_problems(row) -> list[str]:
    problems = []
    code, name, eligible = (row.get(k) for k in ("code", "name", "eligible"))
    if not code or len(code) > 64:
        problems.append("code must be 1 to 64 characters")
    if not name or len(name) > 128:
        problems.append("name must be 1 to 128 characters")
    if eligible not in ("true", "false"):
        problems.append("eligible must be true or false")
    return problems


@writes
def import_items(rows: list[tuple[int, dict]]) -> dict:
    """Upsert catalogue rows (line, {code, name, eligible}); any bad row imports nothing."""
    errors, seen = {}, {}
    for line, row in rows:
        problems = _row_problems(row)
        if row.get("code") in seen:
            problems.append(f"code repeats line {seen[row['code']]}")
        seen.setdefault(row.get("code"), line)
        if problems:
            errors[f"line {line}"] = problems
    if errors:
        raise InvalidRequest(message="the catalogue file has bad rows; nothing was imported", details=errors)
    for _, row in rows:
        db.session.merge(CatalogueItem(code=row["code"], name=row["name"], eligible=row["eligible"] == "true"))
    return {"items": len(rows)}


def listing() -> list[CatalogueItem]:
    """The whole catalogue, for counter terminals to pick items from."""
    return list(db.session.scalars(select(CatalogueItem).order_by(CatalogueItem.code)))
