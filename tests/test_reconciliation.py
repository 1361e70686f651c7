"""Reconciliation (对账) over HTTP: a China date's totals, its settlements and a check of the counter's figures."""
from datetime import date, datetime, timezone

import pytest

from bench import population
from services.money import reconciliation, report

from . import api
from .api import API
from .clock import china
from .counter import CHECKUP, DRUG, SUPPLEMENT, Counter, items, settle
from .plans import plans, recording

YESTERDAY, TODAY, EMPTY = "2026-03-09", "2026-03-10", "2026-03-11"


def T(count=0, total=0, own=0, aid=0, cash=0):
    return {"count": count, "total_fen": total, "own_account_fen": own, "mutual_aid_fen": aid, "cash_fen": cash}


@pytest.fixture
def pharmacy(client):
    return Counter(client, "ali-pharmacy")


@pytest.fixture
def hospital(client):
    return Counter(client, "ali-hospital")


@pytest.fixture
def days(client, as_, clock, pharmacy, hospital):
    """Yesterday: two settlements. Today: three in three channels (one 30 s after midnight China time, still
    yesterday in UTC), a reversal of yesterday's and of today's; the hospital settles one too."""
    api.bind(client, as_, "tashi", "father", "parent")
    for who in ("father", "drolma"):
        as_(who)                                   # logged in at real time: tokens outlive the moved clock
    at = lambda *t: clock.set(china(*t))            # noqa: E731
    at(YESTERDAY, 10)
    settle(client, as_, pharmacy, "father", "Y-1", items((DRUG, 1, 2000)))                  # aid 2000
    at(YESTERDAY, 23, 59, 30)
    settle(client, as_, pharmacy, "drolma", "Y-2", items((DRUG, 1, 3000)))                  # own 3000
    at(TODAY, 0, 0, 30)
    settle(client, as_, pharmacy, "father", "T-1", items((DRUG, 1, 1000), (SUPPLEMENT, 1, 500)), "card")
    at(TODAY, 9)
    settle(client, as_, pharmacy, "drolma", "T-2", items((DRUG, 1, 2000)), "offline_voucher")
    at(TODAY, 9, 30)
    settle(client, as_, hospital, "father", "H-1", items((DRUG, 1, 700)))
    at(TODAY, 10)
    settle(client, as_, pharmacy, "father", "T-3", items((CHECKUP, 1, 4000)))
    at(TODAY, 11)
    assert pharmacy.reverse("Y-1").json["status"] == "reversed"
    at(TODAY, 12)
    assert pharmacy.reverse("T-3").json["status"] == "reversed"
    at(EMPTY, 8)


def summary(counter, day):
    resp = counter.call("GET", f"/counter/reconciliation?date={day}")
    assert resp.status_code == 200, resp.json
    return resp.json


def order_nos(counter, day, limit=20):
    found, cursor = [], None
    while True:
        resp = counter.call("GET", f"/counter/reconciliation/details?date={day}&limit={limit}"
                            + (f"&cursor={cursor}" if cursor else ""))
        assert resp.status_code == 200, resp.json
        found.append([s["order_no"] for s in resp.json["items"]])
        cursor = resp.json["next_cursor"]
        if not cursor:
            return found


def test_a_day_with_settlements_reversals_and_channels(days, pharmacy):
    assert summary(pharmacy, TODAY) == {
        "date": TODAY,
        "settled": T(3, 7500, own=2000, aid=5000, cash=500),     # T-3 counts though reversed the same day
        "reversed": T(2, 6000, aid=6000),                          # yesterday's Y-1 and today's T-3
        "by_channel": {"voucher": T(1, 4000, aid=4000), "offline_voucher": T(1, 2000, own=2000),
                       "card": T(1, 1500, aid=1000, cash=500)}}


def test_yesterday_keeps_its_settlements_and_its_reversal_counts_today(days, pharmacy):
    assert summary(pharmacy, YESTERDAY) == {
        "date": YESTERDAY, "settled": T(2, 5000, own=3000, aid=2000), "reversed": T(),
        "by_channel": {"voucher": T(2, 5000, own=3000, aid=2000), "offline_voucher": T(), "card": T()}}


def test_details_list_the_days_settlements_and_reversals_newest_first_by_pages(days, pharmacy):
    assert order_nos(pharmacy, TODAY, limit=3) == [["T-3", "T-2", "T-1"], ["Y-1"]]
    assert order_nos(pharmacy, YESTERDAY) == [["Y-2", "Y-1"]]


def test_details_are_settlement_objects(days, pharmacy):
    first = pharmacy.call("GET", f"/counter/reconciliation/details?date={TODAY}&limit=1").json["items"][0]
    assert first["order_no"] == "T-3" and first["status"] == "reversed" and first["channel"] == "voucher"
    assert first["settled_at"] == "2026-03-10T10:00:00+08:00" and first["reversed_at"] == "2026-03-10T12:00:00+08:00"
    assert first["institution"]["id"] == "ali-pharmacy" and first["mutual_aid"][0]["amount_fen"] == 4000


def test_another_institutions_data_is_never_visible(days, pharmacy, hospital):
    assert summary(hospital, TODAY)["settled"] == T(1, 700, aid=700)
    assert summary(hospital, TODAY)["reversed"] == T()
    assert order_nos(hospital, TODAY) == [["H-1"]] and order_nos(hospital, YESTERDAY) == [[]]
    assert "H-1" not in order_nos(pharmacy, TODAY)[0]


def test_a_date_with_nothing_is_zeros_in_every_channel(days, pharmacy):
    assert summary(pharmacy, EMPTY) == {"date": EMPTY, "settled": T(), "reversed": T(),
                                        "by_channel": {"voucher": T(), "offline_voucher": T(), "card": T()}}
    assert order_nos(pharmacy, EMPTY) == [[]]


@pytest.mark.parametrize("query", ["date=2026-02-30", "date=20260310", "date=yesterday", "date=", "",
                                   "date=2026-03-10T00:00:00", "date=0001-01-01", "date=9999-12-31"])
@pytest.mark.parametrize("path", ["/counter/reconciliation", "/counter/reconciliation/details"])
def test_a_bad_date_is_invalid_request(family, pharmacy, path, query):
    resp = pharmacy.call("GET", f"{path}?{query}" if query else path)
    assert api.error(resp) == (400, "invalid_request") and "date" in resp.json["error"]["details"]


def check(counter, day, **settled):
    return counter.call("POST", "/counter/reconciliation", {"date": day, "settled": settled})


def test_a_check_that_matches(days, pharmacy):
    resp = check(pharmacy, TODAY, count=3, total_fen=7500, own_account_fen=2000, mutual_aid_fen=5000)
    assert resp.status_code == 200 and resp.json == {"matched": True, "differences": {}}


def test_a_check_that_does_not_match_names_each_difference(days, pharmacy):
    resp = check(pharmacy, TODAY, count=2, total_fen=7500, own_account_fen=1999, mutual_aid_fen=5000)
    assert resp.status_code == 200
    assert resp.json == {"matched": False, "differences": {"count": {"ours": 3, "yours": 2},
                                                           "own_account_fen": {"ours": 2000, "yours": 1999}}}


def test_a_check_of_an_empty_day_against_a_counters_sales(days, hospital):
    resp = check(hospital, EMPTY, count=1, total_fen=700, own_account_fen=0, mutual_aid_fen=700)
    assert resp.json["differences"] == {"count": {"ours": 0, "yours": 1}, "total_fen": {"ours": 0, "yours": 700},
                                        "mutual_aid_fen": {"ours": 0, "yours": 700}}


@pytest.mark.parametrize("body, field", [
    ({"date": "2026-13-01", "settled": {"count": 0, "total_fen": 0, "own_account_fen": 0, "mutual_aid_fen": 0}},
     "date"),
    ({"date": TODAY}, "settled"),
    ({"date": TODAY, "settled": {"count": 1, "total_fen": 1, "own_account_fen": 1}}, "settled.mutual_aid_fen"),
    ({"date": TODAY, "settled": {"count": -1, "total_fen": 0, "own_account_fen": 0, "mutual_aid_fen": 0}},
     "settled.count"),
    ({"date": TODAY, "settled": {"count": 1, "total_fen": "7500", "own_account_fen": 0, "mutual_aid_fen": 0}},
     "settled.total_fen"),
    ({"date": TODAY, "settled": {"count": 1, "total_fen": 1.5, "own_account_fen": 0, "mutual_aid_fen": 0}},
     "settled.total_fen"),
])
def test_a_bad_check_is_invalid_request(family, pharmacy, body, field):
    resp = pharmacy.call("POST", "/counter/reconciliation", body)
    assert api.error(resp) == (400, "invalid_request") and field in resp.json["error"]["details"]


@pytest.mark.parametrize("method, path", [("GET", f"/counter/reconciliation?date={TODAY}"),
                                          ("GET", f"/counter/reconciliation/details?date={TODAY}"),
                                          ("POST", "/counter/reconciliation")])
def test_reconciliation_is_signed(client, family, method, path):
    resp = client.open(API + path, method=method, json={"date": TODAY})
    assert api.error(resp) == (401, "unauthenticated")
    resp = Counter(client, "ali-pharmacy", "wrong-secret").call(method, path, {"date": TODAY})
    assert api.error(resp) == (401, "bad_signature")


def test_a_days_totals_and_a_months_report_read_index_ranges(app, family):
    """China dates become UTC ranges in Python, so each query is one range of an (institution_id, time) index."""
    population.settlements(20000, ["ali-pharmacy", "ali-hospital", "lhasa-pharmacy", "chengdu-pharmacy"],
                           family["father"].id, days=365, end=datetime(2026, 4, 1, tzinfo=timezone.utc))
    day = reconciliation.summary("ali-pharmacy", date(2026, 3, 10))
    assert day["settled"]["count"] == 13, day   # rows 18777..18831 fall on that day; every 4th is the pharmacy's
    _, seen = recording(lambda: (reconciliation.summary("ali-pharmacy", date(2026, 3, 10)),
                                 report.monthly("2026-03", "542523")))
    ranges = [(s, p) for s, p in seen if "settled_at >=" in s or "reversed_at >=" in s]
    assert len(ranges) == 2 + 2 * 2                # the day's two, and two for each Ali institution
    for statement, plan in plans(ranges):
        column = "settled_at" if "settled_at >=" in statement else "reversed_at"
        assert f"ix_settlements_institution_{column}" in plan and "Seq Scan" not in plan, plan
