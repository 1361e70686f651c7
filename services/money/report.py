"""The fund's monthly report: per institution, the month's settlements (by the China date settled) and reversals
(by the China date made)."""
import re

from sqlalchemy import select

from ..clock import china_month_range
from ..db import db
from ..errors import InvalidRequest
from ..models import Institution, Settlement
from .reconciliation import SUMS, totals

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
REGION = re.compile(r"^\d{1,6}$")
COLUMNS = ("institution_id", "name", "settlements", "total_fen", "own_account_fen", "mutual_aid_fen", "cash_fen",
           "reversals", "reversed_fen")


def monthly(month: str, region: str | None = None) -> list[dict]:
    """One row per institution (those whose region code starts with `region`), zeros included, by institution id;
    reversed_fen is the total_fen of the bills reversed that month, whenever they were settled."""
    found = MONTH.match(month or "")
    details = {}
    if not found:
        details["month"] = ["must be YYYY-MM, for example 2026-03"]
    if region is not None and not REGION.match(region):
        details["region"] = ["must be 1 to 6 digits, the start of a region code"]
    if details:
        raise InvalidRequest(details=details)
    start, end = china_month_range(int(found[1]), int(found[2]))
    institutions = select(Institution).order_by(Institution.id)
    if region:
        institutions = institutions.where(Institution.region_code.startswith(region))
    rows = []
    for inst in db.session.scalars(institutions):  # each query one range of an (institution_id, time) index
        mine = Settlement.institution_id == inst.id
        settled = totals(db.session.execute(select(*SUMS).where(
            mine, Settlement.settled_at >= start, Settlement.settled_at < end)).one())
        reversed_ = totals(db.session.execute(select(*SUMS).where(
            mine, Settlement.reversed_at >= start, Settlement.reversed_at < end)).one())
        rows.append({"institution_id": inst.id, "name": inst.name, "settlements": settled.pop("count"), **settled,
                     "reversals": reversed_["count"], "reversed_fen": reversed_["total_fen"]})
    return rows
