"""The ledger's invariants, checked from the stored rows; each failure is named."""
from sqlalchemy import func, select

from .db import db
from .models import Account, LedgerEntry

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


def run() -> list[str]:
    """All failures of all checks; empty when every invariant holds."""
    failures = []
    for fn in CHECKS:
        failures += fn()
    return failures
