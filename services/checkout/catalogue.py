"""The medical-insurance catalogue (医保目录): which item codes accounts may pay for, and up to what price."""
import re

from sqlalchemy import bindparam, select

from ..db import db, writes
from ..errors import InvalidRequest
from ..models import CatalogueItem
from . import waterfall


def _row_problems(row) -> list[str]:
    problems = []
    code, name, eligible = (row.get(k) for k in ("code", "name", "eligible"))
    if not code or len(code) > 64:
        problems.append("code must be 1 to 64 characters")
    if not name or len(name) > 128:
        problems.append("name must be 1 to 128 characters")
    if eligible not in ("true", "false"):
        problems.append("eligible must be true or false")
    if not re.fullmatch(r"\d{0,10}", row.get("price_cap_fen") or ""):
        problems.append("price_cap_fen must be a whole number of fen, 0 or more, or empty for no cap")
    return problems


def _item(row) -> CatalogueItem:
    item = CatalogueItem(code=row["code"], name=row["name"], eligible=row["eligible"] == "true")
    if "price_cap_fen" in row:  # an older file without the column leaves caps as they are
        item.price_cap_fen = int(row["price_cap_fen"]) if row["price_cap_fen"] else None
    return item


@writes
def import_items(rows: list[tuple[int, dict]]) -> dict:
    """Upsert catalogue rows (line, {code, name, eligible[, price_cap_fen]}); any bad row imports nothing."""
    errors, seen = {}, {}
    for line, row in rows:
        problems = _row_problems(row)
        if row.get("code") in seen:
            problems.append(f"code repeats line {seen[row['code']]}")
        seen.setdefault(row.get("code"), line)
        if problems:
            errors[f"line {line}"] = problems
    if errors:
        raise InvalidRequest(details=errors)
    for _, row in rows:
        db.session.merge(_item(row))
    return {"items": len(rows)}


def listing() -> list[CatalogueItem]:
    """The whole catalogue, for counter terminals to pick items from."""
    return list(db.session.scalars(select(CatalogueItem).order_by(CatalogueItem.code)))


ITEMS = CatalogueItem.__table__
PRICES = select(ITEMS.c.code, ITEMS.c.eligible, ITEMS.c.price_cap_fen) \
    .where(ITEMS.c.code.in_(bindparam("codes", expanding=True)))


def priced(items: list[dict]) -> tuple[list[dict], int, int]:
    """Each line with its amount and what accounts may pay of it, from OUR catalogue (unknown codes pay cash)."""
    catalogue = {code: (eligible, cap) for code, eligible, cap in db.session.connection().execute(
        PRICES, {"codes": sorted({i["code"] for i in items})})}
    lines = []
    for i in items:
        eligible, cap = catalogue.get(i["code"], (False, None))
        lines.append({**i, "name": i.get("name"), "amount_fen": i["quantity"] * i["unit_price_fen"],
                      "eligible": bool(eligible),
                      "eligible_fen": waterfall.line_eligible(i["quantity"], i["unit_price_fen"], bool(eligible), cap)})
    return lines, sum(x["amount_fen"] for x in lines), sum(x["eligible_fen"] for x in lines)
