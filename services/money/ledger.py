"""The only code that changes a balance: a guarded UPDATE and its ledger entry, in the caller's transaction.

SQLAlchemy Core with statements built once: the settlement's hot path books through here, and the ORM's unit of
work would cost more than the statements themselves."""
from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm.attributes import set_committed_value

from ..db import db, utcnow
from ..errors import Refused
from ..models import Account, LedgerEntry

ACCOUNTS, ENTRIES = Account.__table__, LedgerEntry.__table__
_BALANCE = ACCOUNTS.c.balance_fen
CREDIT = ACCOUNTS.update().where(ACCOUNTS.c.id == bindparam("a")).values(balance_fen=_BALANCE + bindparam("d")) \
    .returning(_BALANCE)
DEBIT = CREDIT.where(_BALANCE >= -bindparam("d"))   # a debit never takes a balance below zero
ENTRY = insert(ENTRIES)
BALANCES = select(ACCOUNTS.c.id, ACCOUNTS.c.balance_fen, ACCOUNTS.c.status).where(
    ACCOUNTS.c.id.in_(bindparam("ids", expanding=True))).order_by(ACCOUNTS.c.id)
LOCK = BALANCES.with_for_update()
REFS = ("counterparty_id", "institution_id", "order_no", "note", "binding_id", "settlement_id", "premium_id",
        "channel")


def _booking(change):
    """PostgreSQL: the guarded UPDATE and its entry as one statement (the entry is written only if the update was)."""
    moved = change.cte("moved")
    values = {"account_id": bindparam("a", type_=ENTRIES.c.account_id.type),
              "amount_fen": bindparam("d", type_=ENTRIES.c.amount_fen.type), "balance_after_fen": moved.c.balance_fen,
              **{name: bindparam(name, type_=ENTRIES.c[name].type) for name in ("kind", "at") + REFS}}
    return insert(ENTRIES).from_select(list(values), select(*values.values())).returning(ENTRIES.c.balance_after_fen)


BOOK_CREDIT, BOOK_DEBIT = _booking(CREDIT), _booking(DEBIT)


def balances(account_ids, lock=True) -> dict:
    """{id: row(id, balance_fen, status)}, locked in id order (so two use cases never deadlock) unless lock=False (a
    preview): the one way a use case locks the accounts it will book on."""
    if not account_ids:
        return {}
    rows = db.session.connection().execute(LOCK if lock else BALANCES, {"ids": sorted(set(account_ids))})
    return {r.id: r for r in rows}


def book(account_id, amount_fen, kind, **refs) -> int:
    """Add a signed amount to one balance and record why; a debit never takes it below zero. Returns the balance."""
    if not isinstance(amount_fen, int) or amount_fen == 0:
        raise ValueError("a ledger entry moves a non-zero integer number of fen")
    if set(refs) - set(REFS) - {"at"}:
        raise TypeError(f"a ledger entry has no {sorted(set(refs) - set(REFS) - {'at'})}")
    if db.session.new:
        db.session.flush()  # the entry may name a row the caller has only added (a premium)
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        after = conn.execute(BOOK_DEBIT if amount_fen < 0 else BOOK_CREDIT, {
            "a": account_id, "d": amount_fen, "kind": kind, "at": refs.get("at") or utcnow(),
            **{name: refs.get(name) for name in REFS}}).scalar()
    else:  # SQLite has no UPDATE inside a WITH: the same two steps, one after the other
        after = conn.execute(DEBIT if amount_fen < 0 else CREDIT, {"a": account_id, "d": amount_fen}).scalar()
        if after is not None:
            conn.execute(ENTRY, {"account_id": account_id, "amount_fen": amount_fen, "balance_after_fen": after,
                                 "kind": kind, **refs})
    if after is None:
        raise Refused("insufficient_balance")
    loaded = db.session.identity_map.get(db.session.identity_key(Account, account_id))
    if loaded is not None:  # keep an already loaded account truthful without another query
        set_committed_value(loaded, "balance_fen", after)
    return after
