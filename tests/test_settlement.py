"""Settlement at the counter through the HTTP API: the waterfall scenarios, idempotency, previews, tickets."""
import pytest
from sqlalchemy import func, select

from services.db import db
from services.models import Settlement

from . import api, factory
from .api import API
from .counter import Counter, items, ticket

DRUG, CHECKUP, SUPPLEMENT = "XA0101", "JC0404", "NX0901"   # eligible, eligible, ineligible


def balances(family, *who):
    return [factory.balance(family[w]) for w in who]


@pytest.fixture
def father_helpers(client, as_):
    """The father (resident, no own account) with tashi first and phuntsok second."""
    a = api.bind(client, as_, "tashi", "father", "parent")
    b = api.bind(client, as_, "phuntsok", "father", "parent")
    return a["id"], b["id"]


def settle(client, as_, counter, who, bill, order_no="NO-1", **extra):
    resp = counter.settle(ticket(client, as_, counter, who), order_no, bill, **extra)
    assert resp.status_code == 201, resp.json
    s = resp.json
    assert s["own_account_fen"] + s["mutual_aid_fen"] + s["cash_fen"] == s["total_fen"]
    return s


def parts(s):
    return s["own_account_fen"], [(a["benefactor"]["name_masked"], a["amount_fen"]) for a in s["mutual_aid"]], \
        s["cash_fen"]


def test_own_account_covers_all(client, as_, family, ali):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    s = settle(client, as_, ali, "drolma", items((DRUG, 2, 3000)))
    assert parts(s) == (6000, [], 0) and s["own_balance_after_fen"] == 2000
    assert balances(family, "drolma", "tashi") == [2000, 500000]


def test_own_partly_then_first_helper(client, as_, family, ali):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    s = settle(client, as_, ali, "drolma", items((DRUG, 1, 10000)))
    assert parts(s) == (8000, [("扎***", 2000)], 0) and s["own_balance_after_fen"] == 0
    assert balances(family, "drolma", "tashi") == [0, 498000]


def test_first_helper_empty_so_second_pays(client, as_, family, ali, father_helpers):
    factory.set_person(family, "tashi", balance_fen="0")
    s = settle(client, as_, ali, "father", items((DRUG, 1, 10000)))
    assert parts(s) == (0, [("平*", 10000)], 0) and s["own_balance_after_fen"] is None


def test_helpers_in_order_then_cash(client, as_, family, ali, father_helpers):
    factory.set_person(family, "tashi", balance_fen="3000")
    factory.set_person(family, "phuntsok", balance_fen="5000")
    s = settle(client, as_, ali, "father", items((DRUG, 1, 10000)))
    assert parts(s) == (0, [("扎***", 3000), ("平*", 5000)], 2000)
    assert balances(family, "tashi", "phuntsok") == [0, 0]


def test_frozen_helper_is_passed_over_and_comes_back(client, as_, family, ali, father_helpers):
    factory.set_person(family, "tashi", account_status="frozen")
    s = settle(client, as_, ali, "father", items((DRUG, 1, 1000)), "NO-1")
    assert parts(s) == (0, [("平*", 1000)], 0)
    factory.set_person(family, "tashi", account_status="normal")
    s = settle(client, as_, ali, "father", items((DRUG, 1, 1000)), "NO-2")
    assert parts(s) == (0, [("扎***", 1000)], 0)


def test_ended_binding_is_skipped(client, as_, family, ali, father_helpers):
    first, _ = father_helpers
    client.delete(f"{API}/bindings/{first}", headers=as_("father"))
    s = settle(client, as_, ali, "father", items((DRUG, 1, 1000)))
    assert parts(s) == (0, [("平*", 1000)], 0)
    assert balances(family, "tashi") == [500000]


def test_monthly_limit_and_reversal_gives_headroom_back(client, as_, family, ali, father_helpers):
    first, _ = father_helpers
    client.patch(f"{API}/bindings/{first}", json={"monthly_limit_fen": 1500}, headers=as_("tashi"))
    s1 = settle(client, as_, ali, "father", items((DRUG, 1, 1000)), "NO-1")
    assert parts(s1) == (0, [("扎***", 1000)], 0)
    s2 = settle(client, as_, ali, "father", items((DRUG, 1, 1000)), "NO-2")
    assert parts(s2) == (0, [("扎***", 500), ("平*", 500)], 0)      # 500 left of his limit
    s3 = settle(client, as_, ali, "father", items((DRUG, 1, 1000)), "NO-3")
    assert parts(s3) == (0, [("平*", 1000)], 0)                      # at his limit: passed over
    assert ali.reverse("NO-1").status_code == 200
    s4 = settle(client, as_, ali, "father", items((DRUG, 1, 2000)), "NO-4")
    assert parts(s4) == (0, [("扎***", 1000), ("平*", 1000)], 0)     # the reversal gave 1000 back


def test_resident_without_own_account_and_no_helpers_pays_cash(client, as_, family, ali):
    s = settle(client, as_, ali, "gesang", items((DRUG, 1, 1234)))
    assert parts(s) == (0, [], 1234) and s["own_balance_after_fen"] is None


@pytest.mark.parametrize("inst, family_pays", [
    ("ali-hospital", True), ("lhasa-pharmacy", True),       # Ali; outside Ali with remote aid
    ("chengdu-pharmacy", False),                            # outside Ali without remote aid
])
def test_family_accounts_pay_only_in_ali_or_with_remote_aid(client, as_, family, inst, family_pays):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    s = settle(client, as_, Counter(client, inst), "drolma", items((DRUG, 1, 10000)))
    expected = (8000, [("扎***", 2000)], 0) if family_pays else (8000, [], 2000)
    assert parts(s) == expected


def test_use_accounts_false_is_all_cash(client, as_, family, ali):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    s = settle(client, as_, ali, "drolma", items((DRUG, 1, 5000)), use_accounts=False)
    assert parts(s) == (0, [], 5000)
    assert balances(family, "drolma", "tashi") == [8000, 500000]


def test_ineligible_and_unknown_items_are_cash(client, as_, family, ali):
    s = settle(client, as_, ali, "drolma", items((SUPPLEMENT, 1, 3000), ("NOT-IN-CATALOGUE", 1, 500),
                                                 (CHECKUP, 1, 2000)))
    assert (s["total_fen"], s["eligible_fen"]) == (5500, 2000)
    assert parts(s) == (2000, [], 3500)
    assert [line["eligible"] for line in s["items"]] == [False, False, True]


@pytest.mark.parametrize("balance, expected", [
    ("5000", (5000, [("扎***", 0)], 0)),       # own balance == bill: helper untouched
    ("4999", (4999, [("扎***", 1)], 0)),       # one fen over
])
def test_exact_boundaries(client, as_, family, ali, balance, expected):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    factory.set_person(family, "drolma", balance_fen=balance)
    s = settle(client, as_, ali, "drolma", items((DRUG, 1, 5000)))
    own, aid, cash = expected
    assert parts(s) == (own, [a for a in aid if a[1]], cash)


def test_same_order_no_twice_settles_once(client, as_, family, ali):
    t = ticket(client, as_, ali, "drolma")
    bill = items((DRUG, 1, 3000))
    first = ali.settle(t, "NO-9", bill)
    again = ali.settle(t, "NO-9", bill)
    assert (first.status_code, again.status_code) == (201, 200) and first.json == again.json
    assert balances(family, "drolma") == [5000]
    other = ali.settle(t, "NO-9", items((DRUG, 2, 3000)))
    assert api.error(other) == (409, "idempotency_conflict")
    new_order = ali.settle(t, "NO-10", bill)
    assert api.error(new_order) == (409, "ticket_used")
    assert balances(family, "drolma") == [5000]
    assert db.session.scalar(select(func.count()).select_from(Settlement)) == 1


def test_an_order_number_settled_with_another_ticket_is_409_and_the_new_ticket_stays_good(client, as_, family,
                                                                                           ali):
    bill = items((DRUG, 1, 3000))
    assert ali.settle(ticket(client, as_, ali, "drolma"), "NO-9", bill).status_code == 201
    second = ticket(client, as_, ali, "drolma")
    before = factory.money_state()
    assert api.error(ali.settle(second, "NO-9", bill)) == (409, "idempotency_conflict")
    factory.set_person(family, "drolma", status="ended")   # the number says so first, whatever else is wrong
    assert api.error(ali.settle(second, "NO-9", bill)) == (409, "idempotency_conflict")
    assert factory.money_state() == before
    factory.set_person(family, "drolma", status="insured")
    assert ali.settle(second, "NO-10", bill).status_code == 201   # refused, the ticket was not spent


def test_preview_moves_nothing_and_keeps_the_ticket(client, as_, family, ali):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    t = ticket(client, as_, ali, "drolma")
    p = ali.preview(t, items((DRUG, 1, 10000)))
    assert p.status_code == 200 and p.json["id"] is None and p.json["order_no"] is None
    assert parts(p.json) == (8000, [("扎***", 2000)], 0)
    assert balances(family, "drolma", "tashi") == [8000, 500000]
    s = ali.settle(t, "NO-1", items((DRUG, 1, 10000)))
    assert s.status_code == 201 and parts(s.json) == parts(p.json)


def test_ticket_of_another_institution_is_refused(client, as_, family, ali):
    t = ticket(client, as_, ali, "drolma")
    other = Counter(client, "ali-hospital")
    assert api.error(other.settle(t, "NO-1", items((DRUG, 1, 100)))) == (422, "ticket_invalid")
    assert api.error(other.preview(t, items((DRUG, 1, 100)))) == (422, "ticket_invalid")
    assert api.error(ali.settle("no-such-ticket", "NO-1", items((DRUG, 1, 100)))) == (422, "ticket_invalid")
    assert balances(family, "drolma") == [8000]
