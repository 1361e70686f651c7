"""The beneficiary's helper order (共济账户管理): who pays first, second, ...; versioned against lost updates."""
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..db import db, writes
from ..errors import Forbidden, NotFound, PreconditionFailed, Refused
from ..models import Binding, Person


def active_helpers(beneficiary_id: int, with_accounts=False) -> list[Binding]:
    """The beneficiary's active helpers in order; with_accounts loads each benefactor and account in the same query."""
    stmt = select(Binding).where(Binding.beneficiary_id == beneficiary_id, Binding.status == "active") \
        .order_by(Binding.position, Binding.id)
    if with_accounts:
        stmt = stmt.options(joinedload(Binding.benefactor).joinedload(Person.account))
    return list(db.session.scalars(stmt))


def order(beneficiary_id: int) -> dict:
    """The order as the beneficiary sees it, with the version its ETag carries."""
    version = db.session.scalar(select(Person.helpers_version).where(Person.id == beneficiary_id))
    return {"version": version, "helpers": active_helpers(beneficiary_id)}


def _bump(beneficiary_id: int, expected: int | None = None) -> int:
    """Take the beneficiary's order lock by bumping its version; with `expected`, only from that version."""
    stmt = update(Person).where(Person.id == beneficiary_id)
    if expected is not None:
        stmt = stmt.where(Person.helpers_version == expected)
    new = db.session.execute(stmt.values(helpers_version=Person.helpers_version + 1)
                             .returning(Person.helpers_version).execution_options(synchronize_session=False)).scalar()
    if new is None:
        raise PreconditionFailed()
    return new


def _renumber(bindings):
    for position, binding in enumerate(bindings):
        binding.position = position


def append_helper(benefactor_id: int, beneficiary: Person, relation: str) -> Binding:
    """A new binding joins the end of the beneficiary's order (caller's transaction)."""
    _bump(beneficiary.id)
    binding = Binding(benefactor_id=benefactor_id, beneficiary_id=beneficiary.id, relation=relation,
                      status="active", position=len(active_helpers(beneficiary.id)))
    db.session.add(binding)
    db.session.flush()
    return binding


def close_gap(beneficiary_id: int):
    """After a binding ends, the helpers behind it move up (caller's transaction)."""
    _bump(beneficiary_id)
    _renumber(active_helpers(beneficiary_id))


@writes
def reorder(beneficiary_id: int, binding_ids: list[int], expected: int | None) -> dict:
    """Replace the whole order, changed since `expected` (None: any version); it lists the active helpers once each."""
    _bump(beneficiary_id, expected)
    helpers = {b.id: b for b in active_helpers(beneficiary_id)}
    if len(binding_ids) != len(set(binding_ids)) or set(binding_ids) != set(helpers):
        raise Refused("invalid_order", details={"binding_ids": [f"expected a permutation of {sorted(helpers)}"]})
    _renumber([helpers[i] for i in binding_ids])
    db.session.flush()
    return order(beneficiary_id)


@writes
def move(beneficiary_id: int, binding_id: int, to: int) -> dict:
    """Move one helper to a 0-based position; the others keep their relative order."""
    binding = db.session.get(Binding, binding_id)
    if binding is None or person_not_party(binding, beneficiary_id):
        raise NotFound()
    if binding.beneficiary_id != beneficiary_id:
        raise Forbidden()
    _bump(beneficiary_id)
    helpers = active_helpers(beneficiary_id)
    if binding.status != "active":
        raise Refused("invalid_order")
    if not 0 <= to < len(helpers):
        raise Refused("invalid_order", details={"to": [f"must be from 0 to {len(helpers) - 1}"]})
    helpers.remove(binding)
    helpers.insert(to, binding)
    _renumber(helpers)
    db.session.flush()
    return order(beneficiary_id)


def person_not_party(binding: Binding, person_id: int) -> bool:
    return person_id not in (binding.benefactor_id, binding.beneficiary_id)
