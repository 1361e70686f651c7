"""What people see (API v1.1): a binding's use this month, the unread badge, a benefactor's summary per relative."""
import pytest

from . import api
from .api import API
from .clock import china
from .counter import Counter, items, ticket

DRUG = "XA0101"


def settle(client, as_, ali, order_no, price):
    resp = ali.settle(ticket(client, as_, ali, "father"), order_no, items((DRUG, 1, price)))
    assert resp.status_code == 201, resp.json
    return resp.json


def binding(client, as_, who, binding_id):
    found = client.get(f"{API}/bindings?role=benefactor", headers=as_(who)).json["items"]
    return next(b for b in found if b["id"] == binding_id)


def test_use_this_month_and_summary_count_standing_aid_only(client, as_, clock):
    for who in ("tashi", "father"):
        as_(who)   # log in before moving the clock: tokens use real time
    clock.set(china("2026-03-31", 22))
    b = api.bind(client, as_, "tashi", "father", "parent")   # the father has no account: all aid comes from tashi
    assert b["used_this_month_fen"] == 0
    ali = Counter(client, "ali-pharmacy")
    first = settle(client, as_, ali, "NO-1", 1500)
    settle(client, as_, ali, "NO-2", 2500)
    assert ali.reverse("NO-2").status_code == 200
    paid = first["mutual_aid_fen"]
    assert paid == 1500
    assert binding(client, as_, "tashi", b["id"])["used_this_month_fen"] == 1500
    limited = client.patch(f"{API}/bindings/{b['id']}", json={"monthly_limit_fen": 5000}, headers=as_("tashi"))
    assert limited.json["used_this_month_fen"] == 1500 and limited.json["monthly_limit_fen"] == 5000

    march = client.get(f"{API}/account/summary", headers=as_("tashi")).json
    assert march["month"] == "2026-03" and march["total_fen"] == 1500
    assert march["items"] == [{"binding_id": b["id"], "beneficiary": {"name_masked": b["beneficiary"]["name_masked"]},
                               "relation": "parent", "status": "active", "paid_fen": 1500, "settlements": 1}]

    clock.set(china("2026-04-01", 0, 30))   # a new China month: nothing used yet, March still on record
    assert binding(client, as_, "tashi", b["id"])["used_this_month_fen"] == 0
    april = client.get(f"{API}/account/summary", headers=as_("tashi")).json
    assert april["month"] == "2026-04" and april["items"][0]["paid_fen"] == 0 and april["total_fen"] == 0
    again = client.get(f"{API}/account/summary?month=2026-03", headers=as_("tashi")).json
    assert again == march
    ended = client.delete(f"{API}/bindings/{b['id']}", headers=as_("father")).json
    assert ended["status"] == "ended" and ended["used_this_month_fen"] == 0


def test_summary_of_someone_paying_for_nobody_is_empty(client, as_):
    assert client.get(f"{API}/account/summary", headers=as_("sonam")).json["items"] == []


@pytest.mark.parametrize("month", ["2026-13", "2026-3", "march", "2026-03-01", "1999-12"])
def test_a_bad_month_is_refused(client, as_, month):
    resp = client.get(f"{API}/account/summary?month={month}", headers=as_("tashi"))
    assert api.error(resp) == (400, "invalid_request")


def test_unread_badge_counts_unread_messages_until_read(client, as_):
    assert client.get(f"{API}/me", headers=as_("tashi")).json["unread_messages"] == 0
    api.bind(client, as_, "tashi", "father", "parent")
    me = client.get(f"{API}/me", headers=as_("tashi")).json
    feed = client.get(f"{API}/messages", headers=as_("tashi")).json["items"]
    assert me["unread_messages"] == len(feed) >= 1
    other = client.get(f"{API}/me", headers=as_("father")).json["unread_messages"]
    assert client.post(f"{API}/messages/read", json={"ids": [m["id"] for m in feed]}, headers=as_("tashi")).status_code == 204
    assert client.get(f"{API}/me", headers=as_("tashi")).json["unread_messages"] == 0
    assert client.get(f"{API}/me", headers=as_("father")).json["unread_messages"] == other   # his are his own
