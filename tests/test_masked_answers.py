"""What one person sees of another in an answer: the masked name and ID number, never the full ones.

Services hand the real names over; the schemas mask them. These tests read the answers as their readers do."""
import json

import pytest

from . import api
from .api import API
from .counter import Counter, items, voucher

DRUG, FATHER_CARD = "XA0101", "ALK000003"
FULL_NAMES = ("次仁多吉", "扎西次仁")   # the father (patient, beneficiary) and tashi (his benefactor)


def shown(resp, status=200):
    """The answer's JSON, once no full name is anywhere in it (the body's own escapes would hide one: re-dumped)."""
    assert resp.status_code == status, resp.json
    text = json.dumps(resp.json, ensure_ascii=False)
    assert not [name for name in FULL_NAMES if name in text], text
    return resp.json


@pytest.mark.parametrize("read", ["voucher", "card"])
def test_the_counter_sees_the_patient_masked(client, as_, family, read):
    ali, number = Counter(client, "ali-pharmacy"), family["father"].id_number
    scanned = ali.scan(voucher(client, as_("father"))) if read == "voucher" else ali.read_card(FATHER_CARD)
    assert shown(scanned)["patient"] == {"name_masked": "次***", "id_number_masked": number[:6] + "*" * 8 + number[-4:],
                                         "insurance_type": "resident"}
    assert number not in json.dumps(scanned.json)


def test_every_answer_about_a_settlement_shows_the_benefactor_masked(client, as_, family):
    binding = api.bind(client, as_, "tashi", "father", "parent")
    ali, bill = Counter(client, "ali-pharmacy"), items((DRUG, 1, 2500))
    token = shown(ali.scan(voucher(client, as_("father"))))["ticket"]
    aid = [{"binding_id": binding["id"], "relation": "parent", "benefactor": {"name_masked": "扎***"},
            "amount_fen": 2500}]
    assert shown(ali.preview(token, bill))["mutual_aid"] == aid
    assert shown(ali.settle(token, "NO-1", bill), 201)["mutual_aid"] == aid
    assert shown(ali.settle(token, "NO-1", bill))["mutual_aid"] == aid   # the replay of the same order number
    assert shown(ali.call("GET", "/counter/settlements/NO-1"))["mutual_aid"] == aid
    assert shown(client.get(f"{API}/settlements", headers=as_("father")))["items"][0]["mutual_aid"] == aid
    entry = shown(client.get(f"{API}/account/entries", headers=as_("tashi")))["items"][0]
    assert (entry["kind"], entry["counterparty"]) == ("mutual_aid", {"name_masked": "次***", "relation": "parent"})
    summary = shown(client.get(f"{API}/account/summary", headers=as_("tashi")))
    assert summary["items"][0]["beneficiary"] == {"name_masked": "次***"}
    assert shown(ali.reverse("NO-1"))["mutual_aid"] == aid
    assert shown(client.get(f"{API}/account/entries", headers=as_("tashi")))["items"][0]["counterparty"] == \
        {"name_masked": "次***", "relation": "parent"}
