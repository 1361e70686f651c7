"""Premium paid on behalf: quote, refusals in the contract's order, idempotent retry, the race, the journey."""
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.clock import china_today
from services.db import db
from services.models import LedgerEntry, Premium
from services.money import audit, schedules

from . import api, factory
from .api import API


def pay(client, headers, binding_id, year, key="key-1"):
    extra = {} if key is None else {"Idempotency-Key": key}
    return client.post(f"{API}/premiums", json={"binding_id": binding_id, "year": year}, headers={**headers, **extra})


def quote(client, headers, binding_id, year):
    return client.get(f"{API}/premiums/quote?binding_id={binding_id}&year={year}", headers=headers)


def charged():
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "premium"))


@pytest.fixture
def father(client, as_):
    return api.bind(client, as_, "tashi", "father", "parent")["id"]


YEAR = china_today().year + 1


def test_journey_bind_quote_pay_quote_again_balance_entries_audit(app, client, as_, family, father):
    q = quote(client, as_("tashi"), father, YEAR)
    assert q.status_code == 200
    assert q.json == {"amount_fen": 38000, "year": YEAR, "payable": True, "reason": None,     # 5425 beats 54
                      "window_opens": str(china_today() - timedelta(days=60)),
                      "window_closes": str(china_today() + timedelta(days=60))}
    resp = pay(client, as_("tashi"), father, YEAR)
    assert resp.status_code == 201
    assert (resp.json["amount_fen"], resp.json["year"], resp.json["beneficiary"]) == (38000, YEAR,
                                                                                      {"name_masked": "次***"})
    again = quote(client, as_("father"), father, YEAR).json        # the beneficiary may ask too
    assert (again["payable"], again["reason"]) == (False, "already_paid")
    assert client.get(f"{API}/account", headers=as_("tashi")).json["balance_fen"] == 500000 - 38000
    entry = client.get(f"{API}/account/entries", headers=as_("tashi")).json["items"][0]
    assert (entry["kind"], entry["amount_fen"], entry["counterparty"]) == (
        "premium", -38000, {"name_masked": "次***", "relation": "parent"})
    for who, role in (("tashi", "payer"), ("father", "beneficiary")):
        listed = client.get(f"{API}/premiums?role={role}", headers=as_(who)).json["items"]
        assert [p["id"] for p in listed] == [resp.json["id"]]
        kinds = [m["kind"] for m in client.get(f"{API}/messages", headers=as_(who)).json["items"]]
        assert kinds[0] == "premium_paid"
    assert app.test_cli_runner().invoke(args=["audit"]).exit_code == 0


def test_same_key_same_body_pays_once_other_body_conflicts(client, as_, family, father):
    first = pay(client, as_("tashi"), father, YEAR)
    again = pay(client, as_("tashi"), father, YEAR)
    assert (first.status_code, again.status_code) == (201, 200) and first.json == again.json
    assert api.error(pay(client, as_("tashi"), father, YEAR - 1)) == (409, "idempotency_conflict")
    assert api.error(pay(client, as_("tashi"), father, YEAR, key="key-2")) == (409, "already_paid")
    assert charged() == 1


@pytest.mark.parametrize("key", [None, "", "k" * 256])
def test_idempotency_key_is_required_and_bounded(client, as_, family, father, key):
    assert api.error(pay(client, as_("tashi"), father, YEAR, key=key)) == (400, "invalid_request")
    assert charged() == 0


def test_refusal_binding_ended(client, as_, family, father):
    client.delete(f"{API}/bindings/{father}", headers=as_("father"))
    assert api.error(pay(client, as_("tashi"), father, YEAR)) == (422, "binding_ended")
    assert quote(client, as_("tashi"), father, YEAR).json["reason"] == "binding_ended"
    assert charged() == 0


def test_refusal_not_resident_insured(client, as_, family):
    spouse = api.bind(client, as_, "tashi", "drolma", "spouse")["id"]
    assert api.error(pay(client, as_("tashi"), spouse, YEAR)) == (422, "not_resident_insured")
    assert charged() == 0


def test_refusal_no_schedule(client, as_, family, father):
    assert api.error(pay(client, as_("tashi"), father, 2040)) == (422, "no_schedule")
    assert quote(client, as_("tashi"), father, 2040).json == {
        "amount_fen": None, "year": 2040, "window_opens": None, "window_closes": None, "payable": False,
        "reason": "no_schedule"}
    assert charged() == 0


def test_refusal_outside_collection_window(client, as_, family, father):
    today = china_today()
    schedules.add("5425", 2035, 38000, today + timedelta(days=1), today + timedelta(days=90))
    assert api.error(pay(client, as_("tashi"), father, 2035)) == (422, "outside_collection_window")
    schedules.add("5425", 2035, 38000, today - timedelta(days=90), today - timedelta(days=1))
    assert api.error(pay(client, as_("tashi"), father, 2035)) == (422, "outside_collection_window")
    schedules.add("5425", 2035, 38000, today, today)               # the window is inclusive
    assert pay(client, as_("tashi"), father, 2035).status_code == 201


def test_refusal_insufficient_balance_pays_nothing_partly(client, as_, family, father):
    factory.set_person(family, "tashi", balance_fen="37999")
    assert api.error(pay(client, as_("tashi"), father, YEAR)) == (422, "insufficient_balance")
    assert factory.balance(family["tashi"]) == 37999 and charged() == 0
    factory.set_person(family, "tashi", balance_fen="38000")
    assert pay(client, as_("tashi"), father, YEAR).status_code == 201
    assert factory.balance(family["tashi"]) == 0


def test_only_the_benefactor_pays_and_strangers_see_nothing(client, as_, family, father):
    assert api.error(pay(client, as_("father"), father, YEAR)) == (403, "forbidden")
    assert api.error(pay(client, as_("sonam"), father, YEAR)) == (404, "not_found")
    assert api.error(quote(client, as_("sonam"), father, YEAR)) == (404, "not_found")
    assert charged() == 0


def test_already_paid_by_another_benefactor(client, as_, family, father):
    brother = api.bind(client, as_, "phuntsok", "father", "parent")["id"]
    assert pay(client, as_("phuntsok"), brother, YEAR).status_code == 201
    assert api.error(pay(client, as_("tashi"), father, YEAR)) == (409, "already_paid")
    assert charged() == 1


def test_two_keys_racing_for_one_person_and_year_pay_once(client, as_, family, father):
    app = client.application
    headers = as_("tashi")
    results, barrier = [], threading.Barrier(6)

    def worker(n):
        with app.test_client() as own:
            barrier.wait()
            results.append(pay(own, headers, father, YEAR, key=f"race-{n % 3}").status_code)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(201) == 1
    assert set(results) <= {200, 201, 409}
    assert charged() == 1 and db.session.scalar(select(func.count()).select_from(Premium)) == 1
    assert factory.balance(family["tashi"]) == 500000 - 38000
    assert audit.run() == []


def test_six_payments_with_one_key_at_once_answer_the_one_premium(client, as_, family, father, server):
    """Over real HTTP: whoever waited for the account lock finds the twin's premium, never 409 already_paid."""
    headers = {**as_("tashi"), "Idempotency-Key": "one-key", "Content-Type": "application/json"}
    body = json.dumps({"binding_id": father, "year": YEAR}).encode()
    barrier = threading.Barrier(6)

    def attempt(_):
        barrier.wait()
        req = urllib.request.Request(f"{server}{API}/premiums", data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(attempt, range(6)))
    statuses = [status for status, _ in answers]
    assert statuses.count(201) == 1, answers
    for status, answer in answers:
        assert status in (200, 201) and answer["id"] == answers[statuses.index(201)][1]["id"] or \
            (status, answer["error"]["code"]) == (409, "request_in_progress"), answers
    assert charged() == 1
    assert factory.balance(family["tashi"]) == 500000 - 38000
