"""Bindings that end by themselves when a registry import changes a party (RULES.md "Who may bind")."""
from sqlalchemy import or_, select

from .. import regions
from ..db import db
from ..models import Binding
from . import bindings, eligibility


def end_reason(binding: Binding) -> str | None:
    """Why the registry no longer allows this binding, first that applies; a frozen account ends nothing."""
    benefactor, beneficiary = binding.benefactor, binding.beneficiary
    if benefactor.status != "insured" or beneficiary.status != "insured":
        return "insurance_ended"
    if benefactor.account is None or benefactor.account.status == "closed":
        return "account_closed"
    if not regions.in_tibet(benefactor.region_code):
        return "left_tibet"
    return None


def end_invalid_bindings(person_ids) -> int:
    """End the active bindings of these persons that the registry no longer allows; return how many."""
    person_ids = list(person_ids)
    active = []
    for start in range(0, len(person_ids), 500):  # large imports: keep each IN list small
        chunk = person_ids[start:start + 500]
        active += db.session.scalars(select(Binding).where(Binding.status == "active", or_(
            Binding.benefactor_id.in_(chunk), Binding.beneficiary_id.in_(chunk))))
    ended = 0
    for binding in active:
        reason = end_reason(binding)
        if reason:
            eligibility.lock_persons(binding.benefactor_id, binding.beneficiary_id)
            bindings.end(binding, reason)
            ended += 1
    return ended
