"""Daily reconciliation (对账) of a counter with the fund, as the national 3201/3202 interfaces do: a China date's
settlements and reversals, totalled, listed and checked against the institution's own figures."""
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from .. import paging
from ..clock import china_day_range
from ..db import db
from ..models import Binding, Settlement, SettlementAid
from ..models.checkout import CHANNELS

FIELDS = ("count", "total_fen", "own_account_fen", "mutual_aid_fen", "cash_fen")
CHECKED = ("count", "total_fen", "own_account_fen", "mutual_aid_fen")  # what a counter sends to be checked

SUMS = (func.count(Settlement.id), func.coalesce(func.sum(Settlement.total_fen), 0),
        func.coalesce(func.sum(Settlement.own_account_fen), 0),
        func.coalesce(func.sum(Settlement.mutual_aid_fen), 0), func.coalesce(func.sum(Settlement.cash_fen), 0))


def totals(row=None) -> dict:
    """T of the contract from one row of SUMS (zeros without one)."""
    return dict(zip(FIELDS, (int(v) for v in row) if row is not None else (0,) * len(FIELDS)))


def add(a: dict, b: dict) -> dict:
    return {k: a[k] + b[k] for k in FIELDS}


def _settled(institution_id: str, start, end) -> tuple[dict, dict]:
    """Totals of the settlements settled in [start, end), and the same by channel (every channel, zeros too)."""
    by_channel, settled = {c: totals() for c in CHANNELS}, totals()
    for channel, *sums in db.session.execute(
            select(Settlement.channel, *SUMS)
            .where(Settlement.institution_id == institution_id, Settlement.settled_at >= start,
                   Settlement.settled_at < end)
            .group_by(Settlement.channel)).all():
        by_channel[channel] = add(by_channel.get(channel, totals()), totals(sums))
        settled = add(settled, totals(sums))
    return settled, by_channel


def summary(institution_id: str, day: date) -> dict:
    """The day's settled (reversed later or not) and reversed totals, and the settled ones by channel (all three
    channels always present, zeros when none). Each is one range of an (institution_id, time) index."""
    start, end = china_day_range(day)
    settled, by_channel = _settled(institution_id, start, end)
    reversed_ = totals(db.session.execute(
        select(*SUMS).where(Settlement.institution_id == institution_id, Settlement.reversed_at >= start,
                            Settlement.reversed_at < end)).one())
    return {"date": day, "settled": settled, "reversed": reversed_, "by_channel": by_channel}


def details(institution_id: str, day: date, cursor=None, limit=20):
    """The day's settlements as 3202 lists them: those settled that date and those reversed that date (a reversal
    today of an older settlement included), each once, newest settlement first."""
    start, end = china_day_range(day)
    stmt = select(Settlement).where(
        Settlement.institution_id == institution_id,
        or_((Settlement.settled_at >= start) & (Settlement.settled_at < end),
            (Settlement.reversed_at >= start) & (Settlement.reversed_at < end))).options(
        joinedload(Settlement.institution),  # a page in three queries, not three per settlement
        selectinload(Settlement.aid).joinedload(SettlementAid.binding).joinedload(Binding.benefactor))
    return paging.page(stmt, Settlement.id, cursor, limit)


def check(institution_id: str, day: date, theirs: dict) -> dict:
    """The counter's settled totals against ours: matched, or each differing field with both figures."""
    ours, _ = _settled(institution_id, *china_day_range(day))
    differences = {k: {"ours": ours[k], "yours": theirs[k]} for k in CHECKED if ours[k] != theirs[k]}
    return {"matched": not differences, "differences": differences}


def check_range(institution_id: str, first: date, last: date, reversals: bool, theirs: dict) -> dict:
    """3201: the institution's totals over China dates first..last against ours: settled in the range, or (with
    `reversals`) reversed in it. `theirs`: count, total_fen, account_fen (own + aid), fund_fen (no fund pays here).
    Each field that differs, with both figures; empty when all agree."""
    start, _ = china_day_range(first)
    _, end = china_day_range(last)
    column = Settlement.reversed_at if reversals else Settlement.settled_at
    t = totals(db.session.execute(select(*SUMS).where(Settlement.institution_id == institution_id, column >= start,
                                                      column < end)).one())
    ours = {"total_fen": t["total_fen"], "fund_fen": 0, "account_fen": t["own_account_fen"] + t["mutual_aid_fen"],
            "count": t["count"]}
    return {k: {"ours": ours[k], "yours": theirs[k]} for k in ours if ours[k] != theirs[k]}
