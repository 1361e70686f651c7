"""Bindings for both parties: list, monthly limit, unbind; ending a binding closes the gap in the order."""
from sqlalchemy import select

from . import eligibility as rules
from . import helpers, masking, messages, pages, usage
from .clock import now
from .db import db, writes
from .errors import Forbidden, NotFound, Refused
from .models import Binding

REASON_TEXT = {
    "ended_by_benefactor": "共济人解除了绑定", "ended_by_beneficiary": "被共济人解除了绑定",
    "insurance_ended": "一方的医保参保已终止", "account_closed": "共济人的个人账户已注销",
    "left_tibet": "共济人已不在西藏参保",
}


def listing(person_id: int, role: str | None, cursor=None, limit=20):
    cond = pages.mine(person_id, role, {"benefactor": Binding.benefactor_id, "beneficiary": Binding.beneficiary_id})
    found = pages.page(select(Binding).where(cond), Binding.id, cursor, limit)
    usage.annotate(found["items"])
    return found


def visible(binding_id: int, person_id: int) -> Binding:
    """A binding of which this person is a party; anyone else gets 404."""
    binding = db.session.get(Binding, binding_id)
    if binding is None or helpers.person_not_party(binding, person_id):
        raise NotFound(message="no such binding")
    return binding


SETTABLE = ("monthly_limit_fen", "allow_card")


@writes
def change(binding_id: int, person_id: int, changes: dict) -> Binding:
    """The benefactor sets what his account pays for this relative: a monthly cap (None: none), card payments."""
    binding = visible(binding_id, person_id)
    if binding.benefactor_id != person_id:
        raise Forbidden(message="only the benefactor sets what his account pays")
    if binding.status != "active":
        raise Refused("binding_ended", "this binding has ended")
    for name in SETTABLE:
        if name in changes:
            setattr(binding, name, changes[name])
    return usage.annotate([binding])[0]


@writes
def unbind(binding_id: int, person_id: int) -> Binding:
    """Either party ends a binding, effective for every settlement that starts afterwards; again is a no-op."""
    binding = visible(binding_id, person_id)
    rules.lock_persons(binding.benefactor_id, binding.beneficiary_id)
    db.session.refresh(binding)
    if binding.status == "active":
        reason = "ended_by_benefactor" if person_id == binding.benefactor_id else "ended_by_beneficiary"
        end(binding, reason)
    return usage.annotate([binding])[0]


def end(binding: Binding, reason: str):
    """End one binding with its reason, tell both parties, close the gap (caller's transaction, rows locked)."""
    binding.status, binding.ended_at, binding.end_reason, binding.position = "ended", now(), reason, None
    db.session.flush()
    helpers.close_gap(binding.beneficiary_id)
    why = REASON_TEXT[reason]
    messages.notify(binding.benefactor_id, "binding_ended",
                    f"您与{masking.name(binding.beneficiary.name)}的家庭共济已解除：{why}。", binding_id=binding.id)
    messages.notify(binding.beneficiary_id, "binding_ended",
                    f"您与{masking.name(binding.benefactor.name)}的家庭共济已解除：{why}。", binding_id=binding.id)
