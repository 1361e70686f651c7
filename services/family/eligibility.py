"""Who may bind (RULES.md "Who may bind"): each rule a function that raises its own refusal."""
from sqlalchemy import func, select

from .. import regions, settings
from ..db import db
from ..errors import Conflict, InvalidRequest, Refused
from ..models import Binding, Kinship, Person
from ..models.people import RELATIONS


def require_relation(relation: str):
    if relation not in RELATIONS:
        raise InvalidRequest(details={"relation": ["must be one of " + ", ".join(RELATIONS)]})


def lock_persons(*person_ids):
    """Lock persons' rows in id order: bindings between the same people queue instead of deadlocking."""
    rows = db.session.scalars(select(Person).where(Person.id.in_(sorted(set(person_ids))))
                              .order_by(Person.id).with_for_update()
                              .execution_options(populate_existing=True))
    return {p.id: p for p in rows}


def require_benefactor(person: Person):
    """Employee-insured (only they have a personal account to share), insured in Tibet, the account normal and
    not empty."""
    account = person.account
    if person.insurance_type != "employee" or person.status != "insured" or not regions.in_tibet(person.region_code) \
            or account is None or account.status != "normal" or account.balance_fen <= 0:
        raise Refused("benefactor_not_eligible")


def require_beneficiary(person: Person):
    """Insured; an employee's own account must be normal too (the source: 本人医保账户状态正常)."""
    if person.status != "insured" or person.insurance_type not in ("employee", "resident"):
        raise Refused("beneficiary_not_eligible")
    if person.insurance_type == "employee" and (person.account is None or person.account.status != "normal"):
        raise Refused("beneficiary_not_eligible")


def require_not_self(benefactor_id: int, beneficiary_id: int):
    if benefactor_id == beneficiary_id:
        raise Refused("self_binding")


def require_kinship(benefactor: Person, beneficiary: Person, relation: str):
    """The registry must record the beneficiary as the benefactor's declared relation."""
    recorded = db.session.scalar(select(Kinship.relation).where(
        Kinship.person_id == benefactor.id, Kinship.relative_id == beneficiary.id))
    if recorded != relation:
        raise Refused("not_close_relative")


def require_not_bound(benefactor_id: int, beneficiary_id: int):
    if db.session.scalar(select(Binding.id).where(
            Binding.benefactor_id == benefactor_id, Binding.beneficiary_id == beneficiary_id,
            Binding.status == "active")):
        raise Conflict("already_bound")


def require_room(benefactor_id: int):
    limit = settings.get("MAX_BENEFICIARIES")
    active = db.session.scalar(select(func.count()).select_from(Binding).where(
        Binding.benefactor_id == benefactor_id, Binding.status == "active"))
    if active >= limit:
        raise Refused("too_many_beneficiaries", details={"max_beneficiaries": [str(limit)]})
