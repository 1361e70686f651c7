"""Premium paid on behalf, called as services (fast, no HTTP): the refusals in the contract's order, idempotency."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.clock import china_today
from services.db import db
from services.errors import Conflict, Forbidden, InvalidRequest, NotFound, Refused
from services.family import bindings
from services.models import Premium
from services.money import premiums, schedules

from . import factory
from .test_binding_services import bind, refused

YEAR = china_today().year + 1


@pytest.fixture
def father(family):
    """tashi's binding to his father (resident insured in 5425: ¥380.00)."""
    return bind(family, "tashi", "father", "parent").id


def money():
    return factory.money_state(), db.session.scalar(select(func.count()).select_from(Premium))


def pay_refused(family, who, binding_id, year, kind, code, key="key-1"):
    """The quote names the same reason the payment is refused with, and the refusal moves no money."""
    before = money()
    if kind in (Refused, Conflict) and code != "idempotency_conflict":
        assert premiums.quote(family[who].id, binding_id, year)["reason"] == code
    refused(kind, code, premiums.pay, family[who].id, binding_id, year, key)
    assert money() == before


def test_quote_then_pay_once_then_a_retry_pays_nothing_more(family, father):
    tashi = family["tashi"]
    assert premiums.quote(tashi.id, father, YEAR) == {
        "amount_fen": 38000, "year": YEAR, "payable": True, "reason": None,          # 5425 beats 54
        "window_opens": china_today() - timedelta(days=60), "window_closes": china_today() + timedelta(days=60)}
    premium, created = premiums.pay(tashi.id, father, YEAR, "key-1")
    assert (created, premium.amount_fen, factory.balance(tashi)) == (True, 38000, 500000 - 38000)
    again, created = premiums.pay(tashi.id, father, YEAR, "key-1")
    assert (created, again.id, factory.balance(tashi)) == (False, premium.id, 500000 - 38000)
    pay_refused(family, "tashi", father, YEAR - 1, Conflict, "idempotency_conflict")   # the key, another payment
    pay_refused(family, "tashi", father, YEAR, Conflict, "already_paid", key="key-2")


def test_refusals_in_the_contracts_order(family, father):
    spouse = bind(family, "tashi", "drolma", "spouse").id
    pay_refused(family, "tashi", spouse, YEAR, Refused, "not_resident_insured")
    pay_refused(family, "tashi", father, 2040, Refused, "no_schedule")
    today = china_today()
    schedules.add("5425", 2035, 38000, today + timedelta(days=1), today + timedelta(days=90))
    pay_refused(family, "tashi", father, 2035, Refused, "outside_collection_window")
    factory.set_person(family, "tashi", balance_fen="37999")
    pay_refused(family, "tashi", father, YEAR, Refused, "insufficient_balance")
    factory.set_person(family, "tashi", account_status="frozen")
    pay_refused(family, "tashi", father, YEAR, Refused, "account_not_normal")


def test_an_ended_binding_pays_nothing(family, father):
    bindings.unbind(father, family["father"].id)
    pay_refused(family, "tashi", father, YEAR, Refused, "binding_ended")


def test_the_window_is_inclusive(family, father):
    today = china_today()
    schedules.add("5425", 2035, 38000, today, today)
    assert premiums.pay(family["tashi"].id, father, 2035, "key-1")[1] is True


@pytest.mark.parametrize("year", [1999, 2101, "2030", None])
def test_a_year_out_of_range_is_bad_input(family, father, year):
    pay_refused(family, "tashi", father, year, InvalidRequest, "invalid_request")
    with pytest.raises(InvalidRequest):
        premiums.quote(family["tashi"].id, father, year)


def test_only_the_benefactor_pays_and_strangers_see_nothing(family, father):
    pay_refused(family, "father", father, YEAR, Forbidden, "forbidden")
    pay_refused(family, "sonam", father, YEAR, NotFound, "not_found")
