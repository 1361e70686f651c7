"""What a person sees of money: his balance, his ledger lines, his settlements as patient."""
from sqlalchemy import select

from .. import paging
from ..db import db
from ..errors import NotFound
from ..family import proxies
from ..models import Account, Binding, LedgerEntry, Person, Settlement


def of(person_id: int) -> Account:
    account = db.session.scalar(select(Account).where(Account.person_id == person_id))
    if account is None:
        raise NotFound()
    return account


def entries(person_id: int, cursor=None, limit=20):
    """My ledger lines, newest first, each with the relative it was for and where (the schema masks his name)."""
    account = of(person_id)
    found = paging.page(select(LedgerEntry).where(LedgerEntry.account_id == account.id), LedgerEntry.id, cursor, limit)
    rows = found["items"]
    people = {p.id: p for p in db.session.scalars(
        select(Person).where(Person.id.in_({r.counterparty_id for r in rows if r.counterparty_id})))}
    relations = dict(db.session.execute(select(Binding.id, Binding.relation).where(
        Binding.id.in_({r.binding_id for r in rows if r.binding_id}))).all())
    items = []
    for r in rows:
        other = people.get(r.counterparty_id)
        items.append({
            "id": r.id, "at": r.at, "amount_fen": r.amount_fen, "kind": r.kind,
            "balance_after_fen": r.balance_after_fen, "order_no": r.order_no, "institution": r.institution,
            "channel": r.channel,
            "counterparty": None if other is None else {"name": other.name, "name_bo": other.name_bo,
                                                        "relation": relations.get(r.binding_id)},
        })
    return {"items": items, "next_cursor": found["next_cursor"]}


def settlements(person_id: int, cursor=None, limit=20, proxy_id: int | None = None):
    """My settlements as the patient; with `proxy_id`, those of the relative I am the active carer of."""
    if proxy_id is not None:
        person_id = proxies.active_for(person_id, proxy_id).person_id
    return paging.page(select(Settlement).where(Settlement.patient_id == person_id), Settlement.id, cursor, limit)
