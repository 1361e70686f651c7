"""The ledger's invariants, checked from the stored rows; each failure is named."""
from collections import defaultdict

from sqlalchemy import Date, Interval, case, cast, func, literal_column, select

from ..db import db
from ..models import Account, LedgerEntry, Settlement, SettlementAid

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


@check
def balances_match_entries() -> list[str]:
    """Every account's balance equals the sum of its ledger entries."""
    sums = select(LedgerEntry.account_id, func.sum(LedgerEntry.amount_fen).label("total")) \
        .group_by(LedgerEntry.account_id).subquery()
    rows = db.session.execute(
        select(Account.id, Account.balance_fen, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.balance_fen != func.coalesce(sums.c.total, 0))
    ).all()
    return [f"account {a}: balance {b} fen but its ledger entries sum to {t} fen" for a, b, t in rows]


@check
def no_negative_balance() -> list[str]:
    """No balance is below zero."""
    rows = db.session.execute(select(Account.id, Account.balance_fen).where(Account.balance_fen < 0)).all()
    return [f"account {a}: balance {b} fen is negative" for a, b in rows]


@check
def entries_chain() -> list[str]:
    """Each entry's balance_after is the running sum of its account's entries up to it."""
    running = func.sum(LedgerEntry.amount_fen).over(partition_by=LedgerEntry.account_id, order_by=LedgerEntry.id)
    sub = select(LedgerEntry.id, LedgerEntry.account_id, LedgerEntry.balance_after_fen,
                 running.label("running")).subquery()
    rows = db.session.execute(select(sub).where(sub.c.balance_after_fen != sub.c.running).limit(50)).all()
    return [f"entry {r.id} (account {r.account_id}): balance_after {r.balance_after_fen} fen, running sum "
            f"{r.running} fen" for r in rows]


@check
def settlements_add_up() -> list[str]:
    """Own + family + cash is the total, and the family part is the sum of what each helper paid."""
    aid = select(SettlementAid.settlement_id, func.sum(SettlementAid.amount_fen).label("aid")) \
        .group_by(SettlementAid.settlement_id).subquery()
    rows = db.session.execute(
        select(Settlement.id, Settlement.total_fen, Settlement.own_account_fen, Settlement.mutual_aid_fen,
               Settlement.cash_fen, func.coalesce(aid.c.aid, 0))
        .outerjoin(aid, aid.c.settlement_id == Settlement.id)
        .where((Settlement.own_account_fen + Settlement.mutual_aid_fen + Settlement.cash_fen != Settlement.total_fen)
               | (Settlement.mutual_aid_fen != func.coalesce(aid.c.aid, 0)))).all()
    return [f"settlement {i}: own {o} + family {m} + cash {c} against total {t}, helpers' parts sum to {a}"
            for i, t, o, m, c, a in rows]


@check
def settlements_match_entries() -> list[str]:
    """Each settlement's ledger entries debit what it says accounts paid, and a reversal credits it back once."""
    sums = select(
        LedgerEntry.settlement_id,
        func.sum(case((LedgerEntry.kind != "reversal", LedgerEntry.amount_fen), else_=0)).label("debits"),
        func.sum(case((LedgerEntry.kind == "reversal", LedgerEntry.amount_fen), else_=0)).label("credits"),
    ).where(LedgerEntry.settlement_id.is_not(None)).group_by(LedgerEntry.settlement_id).subquery()
    paid = Settlement.own_account_fen + Settlement.mutual_aid_fen
    credits = case((Settlement.status == "reversed", paid), else_=0)
    rows = db.session.execute(
        select(Settlement.id, paid, func.coalesce(sums.c.debits, 0), func.coalesce(sums.c.credits, 0))
        .outerjoin(sums, sums.c.settlement_id == Settlement.id)
        .where((func.coalesce(sums.c.debits, 0) != -paid) | (func.coalesce(sums.c.credits, 0) != credits))).all()
    return [f"settlement {i}: accounts paid {p} fen but its entries debit {-d} and credit {c}"
            for i, p, d, c in rows]


def china_date(column):
    """The China date of a stored (naive UTC) instant, in SQL; the two databases spell it differently."""
    if db.engine.dialect.name == "sqlite":
        return func.date(column, literal_column("'+8 hours'"))
    return cast(column + literal_column("interval '8 hours'", Interval), Date)


def _by_day(column, amount, *where):
    """{(institution, China date): sum of amount} over the rows where column is set."""
    day = china_date(column)
    model = column.class_
    rows = db.session.execute(select(model.institution_id, day, func.sum(amount))
                              .where(column.is_not(None), *where).group_by(model.institution_id, day)).all()
    return {(inst, str(d)): int(fen) for inst, d, fen in rows}


@check
def days_match_ledger() -> list[str]:
    """Per institution and China date, what the reconciliation says accounts paid (settled minus reversed) is what
    that day's settlement, mutual_aid and reversal ledger entries took from accounts."""
    paid = Settlement.own_account_fen + Settlement.mutual_aid_fen
    net = defaultdict(int, _by_day(Settlement.settled_at, paid))
    for key, fen in _by_day(Settlement.reversed_at, paid).items():
        net[key] -= fen
    ledger = _by_day(LedgerEntry.at, -LedgerEntry.amount_fen, LedgerEntry.settlement_id.is_not(None),
                     LedgerEntry.kind.in_(("settlement", "mutual_aid", "reversal")))
    return [f"{inst} on {day} (China date): its settlements and reversals took {net.get((inst, day), 0)} fen net "
            f"from accounts, but that day's ledger entries took {ledger.get((inst, day), 0)} fen"
            for inst, day in sorted(set(net) | set(ledger)) if net.get((inst, day), 0) != ledger.get((inst, day), 0)]


def run() -> list[str]:
    """All failures of all checks; empty when every invariant holds."""
    failures = []
    for fn in CHECKS:
        failures += fn()
    return failures
