"""The deduction order (RULES.md "Deduction order" and the second release's), called as services (fast, no HTTP):
own account first, helpers in the beneficiary's order, frozen, closed and ended helpers passed over, monthly limits
with the reversal's headroom, the beneficiary's own account normal. One table per rule; each case settles through
settlement.preview and settlement.settle on a ticket from vouchers.scan and checks every account's balance moved
by exactly its part. The counter's rules (cards, remote aid, price caps, reversal, refusals):
test_settlement_counter_rules.py. The same over HTTP: test_settlement.py."""
import itertools
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from services.admin import demo
from services.checkout import cards, settlement, vouchers
from services.db import db
from services.family import bindings, helper_order
from services.models import Binding

from . import factory
from .counter import DRUG, SUPPLEMENT
from .test_binding_services import bind

ALI, LHASA, CHENGDU = "ali-pharmacy", "lhasa-pharmacy", "chengdu-pharmacy"
ACCOUNTS = [openid for openid, _, _, _, _, balance, _ in demo.FAMILY if balance is not None]
_orders = itertools.count(1)


def bill(*lines):
    """Line items: (code, quantity, unit price fen) each; a bare number is one box of an eligible drug at that price."""
    return [{"code": code, "quantity": quantity, "unit_price_fen": price}
            for code, quantity, price in ((DRUG, 1, line) if isinstance(line, int) else line for line in lines)]


def ticket(family, who, inst=ALI, channel="voucher") -> str:
    """The counter's ticket for `who`: his e-voucher scanned, or his card read."""
    if channel == "card":
        return cards.scan(inst, demo.CARDS[who][0])["ticket"]
    return vouchers.scan(inst, vouchers.issue(family[who].id)["payload"])["ticket"]


def balances(family) -> dict:
    return {openid: factory.balance(family[openid]) for openid in ACCOUNTS}


def split(family, answer) -> tuple:
    """(own account fen, {benefactor: fen}, cash fen) of a settlement or a preview."""
    openid = {person.id: name for name, person in family.items()}
    benefactor = {b.id: openid[b.benefactor_id] for b in db.session.scalars(select(Binding))}
    return (answer["own_account_fen"], {benefactor[a["binding_id"]]: a["amount_fen"] for a in answer["mutual_aid"]},
            answer["cash_fen"])


def pay(family, who, items, inst=ALI, channel="voucher", use_accounts=True):
    """Preview and settle the bill for `who`; every account moved by exactly its part; (split, settlement)."""
    before, t = balances(family), ticket(family, who, inst, channel)
    previewed = settlement.preview(inst, t, items, use_accounts)
    answer, created = settlement.settle(inst, t, f"R-{next(_orders)}", items, use_accounts)
    own, aid, cash = parts = split(family, answer)
    assert created and split(family, previewed) == parts and answer["channel"] == channel
    assert own + sum(aid.values()) + cash == answer["total_fen"] == sum(i["quantity"] * i["unit_price_fen"]
                                                                       for i in items)
    assert balances(family) == {o: before[o] - aid.get(o, 0) - (own if o == who else 0) for o in ACCOUNTS}
    return parts, answer


def helpers(family, beneficiary, *benefactors) -> dict:
    """Bind each benefactor to the beneficiary in this order (a new binding joins the end): {benefactor: binding}."""
    relation = {"father": "parent", "drolma": "spouse"}[beneficiary]
    return {b: bind(family, b, beneficiary, relation) for b in benefactors}


@pytest.mark.parametrize("items, use_accounts, expected", [
    (bill(5000), True, (5000, {}, 0)),                                   # own account covers it: no aid
    (bill(8000), True, (8000, {}, 0)),                                   # exactly his balance
    (bill(8001), True, (8000, {"tashi": 1}, 0)),                         # one fen over: the helper pays it
    (bill(20000), True, (8000, {"tashi": 12000}, 0)),
    (bill(10000, (SUPPLEMENT, 1, 3000)), True, (8000, {"tashi": 2000}, 3000)),  # off the catalogue: cash
    (bill((SUPPLEMENT, 2, 1500)), True, (0, {}, 3000)),
    (bill(5000), False, (0, {}, 5000)),                                  # the patient chose cash
])
def test_own_account_first_then_the_helpers_then_cash(family, items, use_accounts, expected):
    helpers(family, "drolma", "tashi")                                    # drolma: an employee with ¥80.00
    assert pay(family, "drolma", items, use_accounts=use_accounts)[0] == expected


@pytest.mark.parametrize("order, balance, fen, expected", [
    (("tashi", "phuntsok"), {}, 3700, (0, {"tashi": 3700}, 0)),                     # the first pays all he can
    (("phuntsok", "tashi"), {}, 3700, (0, {"phuntsok": 3700}, 0)),                  # reordered: the other first
    (("tashi", "phuntsok"), {"tashi": 1000}, 3700, (0, {"tashi": 1000, "phuntsok": 2700}, 0)),
    (("phuntsok", "tashi"), {"phuntsok": 1000}, 3700, (0, {"phuntsok": 1000, "tashi": 2700}, 0)),
    (("tashi", "phuntsok"), {"tashi": 0}, 3700, (0, {"phuntsok": 3700}, 0)),        # an empty one is passed over
    (("tashi", "phuntsok"), {"tashi": 1000, "phuntsok": 500}, 3700, (0, {"tashi": 1000, "phuntsok": 500}, 2200)),
])
def test_helpers_pay_in_the_beneficiarys_order_and_never_below_zero(family, order, balance, fen, expected):
    bound = helpers(family, "father", "tashi", "phuntsok")               # the father is a resident: no own account
    if order != ("tashi", "phuntsok"):
        helper_order.reorder(family["father"].id, [bound[b].id for b in order], None)
    for who, fen_ in balance.items():
        factory.set_person(family, who, balance_fen=str(fen_))
    assert pay(family, "father", bill(fen))[0] == expected


@pytest.mark.parametrize("change, expected", [
    (None, (0, {"tashi": 3700}, 0)),
    ("frozen", (0, {"phuntsok": 3700}, 0)),
    ("closed", (0, {"phuntsok": 3700}, 0)),
    ("ended", (0, {"phuntsok": 3700}, 0)),
])
def test_a_helper_frozen_closed_or_ended_is_passed_over(family, change, expected):
    bound = helpers(family, "father", "tashi", "phuntsok")
    if change == "ended":
        bindings.unbind(bound["tashi"].id, family["father"].id)
    elif change:
        factory.set_person(family, "tashi", account_status=change)
    assert pay(family, "father", bill(3700))[0] == expected
    if change == "frozen":                                               # only while frozen: the binding stays
        assert db.session.get(Binding, bound["tashi"].id).status == "active"
        factory.set_person(family, "tashi", account_status="normal")
        assert pay(family, "father", bill(3700))[0] == (0, {"tashi": 3700}, 0)


@pytest.mark.parametrize("limit, earlier, reversed_, fen, expected", [
    (None, [], False, 3700, (0, {"tashi": 3700}, 0)),
    (2000, [], False, 3700, (0, {"tashi": 2000, "phuntsok": 1700}, 0)),     # at his limit: the next one pays
    (2000, [1500], False, 3700, (0, {"tashi": 500, "phuntsok": 3200}, 0)),  # what is left of the month's limit
    (2000, [2000], False, 1000, (0, {"phuntsok": 1000}, 0)),                # used up: passed over like empty
    (2000, [2000], True, 1000, (0, {"tashi": 1000}, 0)),                    # a reversal gives the headroom back
    (2000, [1500, 500], True, 3700, (0, {"tashi": 2000, "phuntsok": 1700}, 0)),
    (0, [], False, 1000, (0, {"phuntsok": 1000}, 0)),
])
def test_a_monthly_limit_caps_a_helper_and_a_reversal_gives_it_back(family, limit, earlier, reversed_, fen,
                                                                     expected):
    bound = helpers(family, "father", "tashi", "phuntsok")
    bindings.change(bound["tashi"].id, family["tashi"].id, {"monthly_limit_fen": limit})
    for amount in earlier:
        _, done = pay(family, "father", bill(amount))
        if reversed_:
            settlement.reverse(ALI, done["order_no"])
    assert pay(family, "father", bill(fen))[0] == expected


def test_the_monthly_limit_is_a_calendar_month_in_china_time(family, clock):
    bound = helpers(family, "father", "tashi", "phuntsok")
    bindings.change(bound["tashi"].id, family["tashi"].id, {"monthly_limit_fen": 2000})
    china = timezone(timedelta(hours=8))
    for at, expected in [(datetime(2027, 1, 31, 23, 0, tzinfo=china), {"tashi": 2000, "phuntsok": 1000}),
                         (datetime(2027, 1, 31, 23, 59, tzinfo=china), {"phuntsok": 3000}),   # 15:59 UTC
                         (datetime(2027, 2, 1, 0, 1, tzinfo=china), {"tashi": 2000, "phuntsok": 1000})]:
        clock.set(at)
        assert pay(family, "father", bill(3000))[0] == (0, expected, 0)


@pytest.mark.parametrize("status, balance, expected", [
    ("normal", 8000, (8000, {"tashi": 2000}, 0)),
    ("normal", 0, (0, {"tashi": 10000}, 0)),          # normal and empty: the family pays it all
    ("frozen", 8000, (0, {}, 10000)),                  # frozen: no family aid at all, cash pays
    ("closed", 8000, (0, {}, 10000)),
])
def test_an_employee_gets_family_aid_only_while_his_own_account_is_normal(family, status, balance, expected):
    helpers(family, "drolma", "tashi")
    factory.set_person(family, "drolma", account_status=status, balance_fen=str(balance))
    assert pay(family, "drolma", bill(10000))[0] == expected
