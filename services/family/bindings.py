"""Bindings for both parties: list, monthly limit, unbind; ending a binding closes the gap in the order."""
from sqlalchemy import select

from .. import masking, paging
from ..clock import now
from ..db import db, writes
from ..errors import Forbidden, NotFound, Refused
from ..models import Binding
from ..notify import messages
from . import eligibility, helper_order, usage


def listing(person_id: int, role: str | None, cursor=None, limit=20):
    cond = paging.mine(person_id, role, {"benefactor": Binding.benefactor_id, "beneficiary": Binding.beneficiary_id})
    found = paging.page(select(Binding).where(cond), Binding.id, cursor, limit)
    usage.annotate(found["items"])
    return found


def visible(binding_id: int, person_id: int) -> Binding:
    """A binding of which this person is a party; anyone else gets 404."""
    binding = db.session.get(Binding, binding_id)
    if binding is None or helper_order.person_not_party(binding, person_id):
        raise NotFound()
    return binding


SETTABLE = ("monthly_limit_fen", "allow_card")


@writes
def change(binding_id: int, person_id: int, changes: dict) -> Binding:
    """The benefactor sets what his account pays for this relative: a monthly cap (None: none), card payments."""
    binding = visible(binding_id, person_id)
    if binding.benefactor_id != person_id:
        raise Forbidden()
    if binding.status != "active":
        raise Refused("binding_ended")
    for name in SETTABLE:
        if name in changes:
            setattr(binding, name, changes[name])
    return usage.annotate([binding])[0]


@writes
def unbind(binding_id: int, person_id: int) -> Binding:
    """Either party ends a binding, effective for every settlement that starts afterwards; again is a no-op."""
    binding = visible(binding_id, person_id)
    eligibility.lock_persons(binding.benefactor_id, binding.beneficiary_id)
    db.session.refresh(binding)
    if binding.status == "active":
        reason = "ended_by_benefactor" if person_id == binding.benefactor_id else "ended_by_beneficiary"
        end(binding, reason)
    return usage.annotate([binding])[0]


def end(binding: Binding, reason: str):
    """End one binding with its reason, tell both parties, close the gap (caller's transaction, rows locked)."""
    binding.status, binding.ended_at, binding.end_reason, binding.position = "ended", now(), reason, None
    db.session.flush()
    helper_order.close_gap(binding.beneficiary_id)
    messages.notify(binding.benefactor_id, "binding_ended", params={
        "other": masking.name(binding.beneficiary.name), "reason": reason}, binding_id=binding.id)
    messages.notify(binding.beneficiary_id, "binding_ended", params={
        "other": masking.name(binding.benefactor.name), "reason": reason}, binding_id=binding.id)
