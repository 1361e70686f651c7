"""Premium paid on behalf (代缴居民医保费): in full, once per person and year, inside the collection window."""
import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import masking, paging
from ..clock import china_today
from ..db import db, writes
from ..errors import Conflict, Forbidden, InvalidRequest, Refused
from ..family import bindings
from ..models import Account, Premium
from ..notify import messages
from . import ledger, schedules

REFUSALS = {  # code -> status family
    "binding_ended": Refused, "not_resident_insured": Refused, "no_schedule": Refused,
    "outside_collection_window": Refused, "already_paid": Conflict, "account_not_normal": Refused,
    "insufficient_balance": Refused,
}


def _reason(binding, schedule, account, year) -> str | None:
    """The first rule that stops the payment, in the contract's order; None when payable."""
    if binding.status != "active":
        return "binding_ended"
    if binding.beneficiary.insurance_type != "resident" or binding.beneficiary.status != "insured":
        return "not_resident_insured"
    if schedule is None:
        return "no_schedule"
    if not schedule.opens <= china_today() <= schedule.closes:
        return "outside_collection_window"
    if db.session.scalar(select(Premium.id).where(Premium.beneficiary_id == binding.beneficiary_id,
                                                  Premium.year == year)):
        return "already_paid"
    if account is None or account.status != "normal":
        return "account_not_normal"
    if account.balance_fen < schedule.amount_fen:
        return "insufficient_balance"
    return None


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a premium can be quoted or paid for


def _check_year(year):
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidRequest(details={"year": [f"must be a year from {FIRST_YEAR} to {LAST_YEAR}"]})


def quote(person_id: int, binding_id: int, year: int) -> dict:
    """What the premium is, its window, and whether the benefactor can pay it now (either party may ask)."""
    _check_year(year)
    binding = bindings.visible(binding_id, person_id)
    schedule = schedules.for_region(binding.beneficiary.region_code, year)
    account = db.session.scalar(select(Account).where(Account.person_id == binding.benefactor_id))
    reason = _reason(binding, schedule, account, year)
    return {"amount_fen": schedule and schedule.amount_fen, "year": year,
            "window_opens": schedule and schedule.opens, "window_closes": schedule and schedule.closes,
            "payable": reason is None, "reason": reason}


def pay(person_id: int, binding_id: int, year: int, idempotency_key: str):
    """Pay in full from the benefactor's account: (premium, created). A retry with the same key pays nothing more."""
    _check_year(year)
    digest = hashlib.sha256(f"{binding_id}:{year}".encode()).hexdigest()
    try:
        return _pay(person_id, binding_id, year, idempotency_key, digest)
    except IntegrityError:  # a concurrent payment won the race: answer from what it committed
        return _pay(person_id, binding_id, year, idempotency_key, digest)


def _paid_with(person_id, key, digest):
    """The premium this key already paid (a retry), or None; the same key for another payment is 409."""
    done = db.session.scalar(select(Premium).where(Premium.payer_id == person_id, Premium.idempotency_key == key)
                             .execution_options(populate_existing=True))
    if done is not None and done.request_hash != digest:
        raise Conflict("idempotency_conflict")
    return done


@writes
def _pay(person_id, binding_id, year, key, digest):
    done = _paid_with(person_id, key, digest)
    if done is not None:
        return done, False
    binding = bindings.visible(binding_id, person_id)
    if binding.benefactor_id != person_id:
        raise Forbidden()
    account_id = db.session.scalar(select(Account.id).where(Account.person_id == person_id))
    account = ledger.balances([account_id]).get(account_id) if account_id else None
    # A twin with this key may have paid while we waited for the lock: that is a retry, not already_paid.
    done = _paid_with(person_id, key, digest)
    if done is not None:
        return done, False
    schedule = schedules.for_region(binding.beneficiary.region_code, year)
    reason = _reason(binding, schedule, account, year)
    if reason:
        raise REFUSALS[reason](reason)
    premium = Premium(payer_id=person_id, beneficiary_id=binding.beneficiary_id, binding_id=binding.id, year=year,
                      amount_fen=schedule.amount_fen, idempotency_key=key, request_hash=digest)
    db.session.add(premium)
    db.session.flush()
    ledger.book(account.id, -schedule.amount_fen, "premium", counterparty_id=binding.beneficiary_id,
                binding_id=binding.id, premium_id=premium.id, note=f"{year} resident premium")
    paid = {"year": year, "amount_fen": schedule.amount_fen}
    messages.notify(person_id, "premium_paid", "payer", {
        "beneficiary": masking.name(binding.beneficiary.name), **paid}, binding_id=binding.id)
    messages.notify(binding.beneficiary_id, "premium_paid", "beneficiary", {
        "benefactor": masking.name(binding.benefactor.name), **paid}, binding_id=binding.id)
    return premium, True


def listing(person_id: int, role: str | None, cursor=None, limit=20):
    cond = paging.mine(person_id, role, {"payer": Premium.payer_id, "beneficiary": Premium.beneficiary_id})
    return paging.page(select(Premium).where(cond), Premium.id, cursor, limit)
