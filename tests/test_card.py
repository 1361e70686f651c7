"""The card (医保卡): read at the counter instead of the e-voucher; a benefactor may refuse card payments."""
import pytest

from services.db import db
from services.models import Ticket

from . import api, factory
from .api import API
from .counter import items, ticket, voucher

DRUG = "XA0101"
FATHER_CARD, GESANG_LOST_CARD, DROLMA_CARD = "ALK000003", "ALK000004", "ALK000002"


def card_ticket(counter, card_no):
    resp = counter.read_card(card_no)
    assert resp.status_code == 200, resp.json
    return resp.json["ticket"]


def test_a_card_settles_like_a_voucher_and_everyone_sees_the_channel(client, as_, family, ali):
    api.bind(client, as_, "tashi", "father", "parent")
    resp = ali.read_card(FATHER_CARD.lower())   # a reader may send lower case
    assert resp.status_code == 200
    assert resp.json["patient"]["name_masked"] == "次***" and resp.json["patient"]["insurance_type"] == "resident"
    assert db.session.query(Ticket).one().channel == "card"
    assert ali.preview(resp.json["ticket"], items((DRUG, 1, 2500))).json["channel"] == "card"
    s = ali.settle(resp.json["ticket"], "NO-1", items((DRUG, 1, 2500)))
    assert s.status_code == 201 and s.json["channel"] == "card" and s.json["mutual_aid_fen"] == 2500
    assert ali.call("GET", "/counter/settlements/NO-1").json["channel"] == "card"
    mine = client.get(f"{API}/settlements", headers=as_("father")).json["items"][0]
    assert (mine["channel"], mine["mutual_aid_fen"]) == ("card", 2500)
    entry = client.get(f"{API}/account/entries", headers=as_("tashi")).json["items"][0]
    assert (entry["kind"], entry["amount_fen"], entry["channel"]) == ("mutual_aid", -2500, "card")
    assert ali.reverse("NO-1").json["status"] == "reversed"
    entry = client.get(f"{API}/account/entries", headers=as_("tashi")).json["items"][0]
    assert (entry["kind"], entry["amount_fen"], entry["channel"]) == ("reversal", 2500, "card")


def test_a_card_may_be_read_again_for_the_next_bill(client, as_, family, ali):
    first, second = card_ticket(ali, DROLMA_CARD), card_ticket(ali, DROLMA_CARD)
    assert first != second
    assert ali.settle(first, "NO-1", items((DRUG, 1, 100))).status_code == 201
    assert ali.settle(second, "NO-2", items((DRUG, 1, 100))).status_code == 201


@pytest.mark.parametrize("card_no", [GESANG_LOST_CARD, "ALK999999", "NOPE", "ALK-000003", "ＡＬＫ000003"])
def test_an_unknown_or_lost_card_is_refused_and_changes_nothing(client, family, ali, card_no):
    before = factory.money_state()
    assert api.error(ali.read_card(card_no)) == (422, "card_invalid")
    assert factory.money_state() == before


@pytest.mark.parametrize("body", [{}, {"voucher": "GJV1.x.1.y", "card_no": FATHER_CARD}, {"card_no": ""},
                                  {"card_no": 12345678}, {"card_no": "A" * 65}])
def test_exactly_one_of_voucher_and_card_no(client, as_, family, ali, body):
    before = factory.money_state()
    resp = ali.call("POST", "/counter/scan", body)
    assert api.error(resp) == (400, "invalid_request")
    assert resp.json["error"]["details"]
    assert factory.money_state() == before


def test_both_given_leaves_the_voucher_unspent(client, as_, family, ali):
    payload = voucher(client, as_("father"))
    assert api.error(ali.call("POST", "/counter/scan", {"voucher": payload, "card_no": FATHER_CARD}))[0] == 400
    assert ali.scan(payload).status_code == 200


@pytest.fixture
def father_helpers(client, as_, family):
    """The father (resident) with tashi first, refusing card payments, and phuntsok second."""
    tashi = api.bind(client, as_, "tashi", "father", "parent")
    api.bind(client, as_, "phuntsok", "father", "parent")
    resp = client.patch(f"{API}/bindings/{tashi['id']}", json={"allow_card": False}, headers=as_("tashi"))
    assert resp.status_code == 200 and resp.json["allow_card"] is False
    return tashi["id"]


def test_a_card_settlement_passes_over_a_helper_who_refuses_cards(client, as_, family, ali, father_helpers):
    s = ali.settle(card_ticket(ali, FATHER_CARD), "NO-1", items((DRUG, 1, 10000))).json
    assert [(a["benefactor"]["name_masked"], a["amount_fen"]) for a in s["mutual_aid"]] == [("平*", 10000)]
    factory.set_person(family, "phuntsok", balance_fen="14000")   # the registry books -286000: 4000 left
    s = ali.settle(card_ticket(ali, FATHER_CARD), "NO-2", items((DRUG, 1, 10000))).json
    assert (s["mutual_aid_fen"], s["cash_fen"]) == (4000, 6000)   # tashi never pays for a card, even then
    assert (factory.balance(family["tashi"]), factory.balance(family["phuntsok"])) == (500000, 0)


def test_the_voucher_still_draws_on_a_helper_who_refuses_cards(client, as_, family, ali, father_helpers):
    s = ali.settle(ticket(client, as_, ali, "father"), "NO-1", items((DRUG, 1, 10000))).json
    assert [(a["benefactor"]["name_masked"], a["amount_fen"]) for a in s["mutual_aid"]] == [("扎***", 10000)]


def test_allow_card_is_the_benefactors_to_set(client, as_, family):
    b = api.bind(client, as_, "tashi", "father", "parent")
    assert b["allow_card"] is True
    resp = client.patch(f"{API}/bindings/{b['id']}", json={"allow_card": False}, headers=as_("father"))
    assert api.error(resp) == (403, "forbidden")
    assert api.error(client.patch(f"{API}/bindings/{b['id']}", json={"allow_card": False},
                                  headers=as_("sonam"))) == (404, "not_found")
    shown = client.get(f"{API}/bindings", headers=as_("father")).json["items"][0]
    assert (shown["allow_card"], shown["monthly_limit_fen"]) == (True, None)


def test_allow_card_and_the_monthly_limit_are_set_independently(client, as_, family):
    b = api.bind(client, as_, "tashi", "father", "parent")
    url, tashi = f"{API}/bindings/{b['id']}", as_("tashi")
    assert client.patch(url, json={"monthly_limit_fen": 5000}, headers=tashi).json["allow_card"] is True
    resp = client.patch(url, json={"allow_card": False}, headers=tashi).json
    assert (resp["allow_card"], resp["monthly_limit_fen"]) == (False, 5000)
    resp = client.patch(url, json={"allow_card": True, "monthly_limit_fen": None}, headers=tashi).json
    assert (resp["allow_card"], resp["monthly_limit_fen"]) == (True, None)


@pytest.mark.parametrize("body", [{}, {"allow_card": "no"}, {"allow_card": None}, {"allow_card": 0},
                                  {"other": True}])
def test_bad_binding_changes_are_invalid_and_change_nothing(client, as_, family, body):
    b = api.bind(client, as_, "tashi", "father", "parent")
    resp = client.patch(f"{API}/bindings/{b['id']}", json=body, headers=as_("tashi"))
    assert api.error(resp) == (400, "invalid_request") and resp.json["error"]["details"]
    shown = client.get(f"{API}/bindings", headers=as_("tashi")).json["items"][0]
    assert (shown["allow_card"], shown["monthly_limit_fen"]) == (True, None)


def test_an_ended_binding_cannot_be_changed(client, as_, family):
    b = api.bind(client, as_, "tashi", "father", "parent")
    client.delete(f"{API}/bindings/{b['id']}", headers=as_("father"))
    resp = client.patch(f"{API}/bindings/{b['id']}", json={"allow_card": False}, headers=as_("tashi"))
    assert api.error(resp) == (422, "binding_ended")
