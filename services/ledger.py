"""The only code that changes a balance: a guarded UPDATE and its ledger entry, in the caller's transaction."""
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from .db import db
from .errors import Refused
from .models import Account, LedgerEntry


def lock_accounts(account_ids):
    """Lock the accounts (in id order, so two use cases never deadlock) and return them by id."""
    if not account_ids:
        return {}
    rows = db.session.scalars(
        select(Account).where(Account.id.in_(sorted(set(account_ids))))
        .order_by(Account.id).with_for_update()
        .execution_options(populate_existing=True)
    )
    return {a.id: a for a in rows}


def book(account_id, amount_fen, kind, **refs) -> LedgerEntry:
    """Add a signed amount to one balance and record why; a debit never takes it below zero."""
    if not isinstance(amount_fen, int) or amount_fen == 0:
        raise ValueError("a ledger entry moves a non-zero integer number of fen")
    stmt = update(Account).where(Account.id == account_id)
    if amount_fen < 0:
        stmt = stmt.where(Account.balance_fen >= -amount_fen)
    stmt = stmt.values(balance_fen=Account.balance_fen + amount_fen).returning(Account.balance_fen)
    after = db.session.execute(stmt.execution_options(synchronize_session=False)).scalar()
    if after is None:
        raise Refused("insufficient_balance", "the account does not hold enough")
    entry = LedgerEntry(account_id=account_id, amount_fen=amount_fen, balance_after_fen=after, kind=kind, **refs)
    db.session.add(entry)  # flushed with the rest of the use case, in one batch
    loaded = db.session.identity_map.get(db.session.identity_key(Account, account_id))
    if loaded is not None:  # keep an already loaded account truthful without another query
        set_committed_value(loaded, "balance_fen", after)
    return entry
