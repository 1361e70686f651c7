"""E-vouchers (expired, tampered, replayed, cross-institution) and signed counter requests."""
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from services.clock import now
from services.db import db
from services.models import Ticket, Voucher

from . import api, factory
from .api import API
from .counter import Counter, items, voucher


def test_voucher_is_short_signed_and_its_qr_reads_back(client, as_, family):
    resp = client.post(f"{API}/vouchers", headers=as_("drolma"))
    v = resp.json
    assert resp.status_code == 201 and re.fullmatch(r"GJV2[0-9A-Za-z]{44}", v["payload"])
    assert family["drolma"].id_number not in v["payload"] and "卓玛" not in v["payload"]
    assert v["qr_png"].startswith("data:image/png;base64,")
    import base64
    assert api.decode_qr(base64.b64decode(v["qr_png"].split(",", 1)[1])) == v["payload"]
    assert v["expires_at"].endswith("+08:00")


def test_scan_answers_the_masked_patient_and_a_ticket(client, as_, family, ali):
    resp = ali.scan(voucher(client, as_("father")))
    assert resp.status_code == 200
    assert resp.json["patient"] == {"name_masked": "次***", "insurance_type": "resident",
                                    "id_number_masked": family["father"].id_number[:6] + "*" * 8
                                    + family["father"].id_number[-4:]}


def test_a_voucher_scans_once_at_every_institution(client, as_, family, ali):
    payload = voucher(client, as_("drolma"))
    assert ali.scan(payload).status_code == 200
    assert api.error(ali.scan(payload)) == (409, "voucher_used")
    assert api.error(Counter(client, "ali-hospital").scan(payload)) == (409, "voucher_used")


def test_a_spent_voucher_stays_spent_even_if_the_settlement_failed(client, as_, family, ali):
    payload = voucher(client, as_("drolma"))
    t = ali.scan(payload).json["ticket"]
    assert api.error(ali.settle(t, "x" * 65, items(("XA0101", 1, 1)))) == (400, "invalid_request")
    assert api.error(ali.scan(payload)) == (409, "voucher_used")


def test_expired_voucher(client, as_, family, ali):
    payload = voucher(client, as_("drolma"))
    db.session.execute(update(Voucher).values(expires_at=now() - timedelta(seconds=1)))
    db.session.commit()
    assert api.error(ali.scan(payload)) == (422, "voucher_expired")


@pytest.mark.parametrize("mutate", [
    lambda p: p[:-2] + ("AA" if not p.endswith("AA") else "BB"),          # signature
    lambda p: p[:21] + str(int(p[21:31]) + 3600) + p[31:],                 # pushed expiry
    lambda p: "GJV2" + "A" * 17 + p[21:],                                  # another voucher id
    lambda p: "hello",
    lambda p: p + "." + "x" * 200,
])
def test_tampered_voucher_is_invalid(client, as_, family, ali, mutate):
    payload = voucher(client, as_("drolma"))
    assert api.error(ali.scan(mutate(payload))) == (422, "voucher_invalid")
    assert ali.scan(payload).status_code == 200   # the genuine one was not spent by the forgeries


def test_expired_ticket(client, as_, family, ali):
    t = ali.scan(voucher(client, as_("drolma"))).json["ticket"]
    db.session.execute(update(Ticket).values(expires_at=now() - timedelta(seconds=1)))
    db.session.commit()
    assert api.error(ali.settle(t, "NO-1", items(("XA0101", 1, 100)))) == (422, "ticket_invalid")


def test_signature_refusals(client, as_, family, ali):
    body = {"voucher": "GJV1.x.1.y"}
    assert api.error(ali.call("POST", "/counter/scan", body)) == (422, "voucher_invalid")  # control: it signs
    stale = ali.call("POST", "/counter/scan", body, timestamp=int(time.time()) - 301)
    assert api.error(stale) == (401, "stale_timestamp")
    assert api.error(ali.call("POST", "/counter/scan", body, timestamp=int(time.time()) + 301)) == (
        401, "stale_timestamp")
    nonce = "n" * 16
    assert ali.call("POST", "/counter/scan", body, nonce=nonce).status_code == 422
    assert api.error(ali.call("POST", "/counter/scan", body, nonce=nonce)) == (401, "nonce_reused")
    # the same nonce at another institution is its own business
    assert Counter(client, "ali-hospital").call("POST", "/counter/scan", body, nonce=nonce).status_code == 422
    assert api.error(Counter(client, "nobody").call("POST", "/counter/scan", body)) == (401, "unknown_institution")
    assert api.error(Counter(client, "ali-pharmacy", "wrong-secret").call("POST", "/counter/scan", body)) == (
        401, "bad_signature")


@pytest.mark.parametrize("body, status", [
    (lambda t: {"ticket": t}, 400),                                                     # refused before the use case
    (lambda t: {"ticket": "unknown", "order_no": "N-1", "items": items(("XA0101", 1, 100))}, 422),   # inside it
    (lambda t: {"ticket": t, "order_no": "N-1", "items": items(("XA0101", 1, 100))}, 201),  # committed with it
])
def test_a_settlement_spends_its_nonce_whatever_its_answer(client, as_, family, ali, body, status):
    """The settle request's nonce is recorded in the settlement's transaction, or on its own when that never
    committed (mini/auth.py institution_signed): the same nonce again is a replay, and moves nothing."""
    t = ali.scan(voucher(client, as_("drolma"))).json["ticket"]
    nonce = "settle-nonce-0123456789"
    assert ali.call("POST", "/counter/settlements", body(t), nonce=nonce).status_code == status
    before = factory.money_state()
    assert api.error(ali.call("POST", "/counter/settlements", body(t), nonce=nonce)) == (401, "nonce_reused")
    assert factory.money_state() == before


def _signed_then(client, mutate):
    import json
    from .counter import headers
    raw = json.dumps({"voucher": "GJV1.x.1.y"}).encode()
    h = headers("ali-pharmacy", "demo-secret-ali-pharmacy", "POST", f"{API}/counter/scan", raw)
    path, raw, h = mutate(f"{API}/counter/scan", raw, h)
    return client.post(path, data=raw, headers=h)


@pytest.mark.parametrize("mutate, code", [
    (lambda p, b, h: (p, b.replace(b"x", b"z"), h), "bad_signature"),                       # tampered body
    (lambda p, b, h: (p + "?a=1", b, h), "bad_signature"),                                  # other path
    (lambda p, b, h: (p, b, {**h, "X-Nonce": "short"}), "bad_signature"),
    (lambda p, b, h: (p, b, {**h, "X-Timestamp": "soon"}), "bad_signature"),
    (lambda p, b, h: (p, b, {k: v for k, v in h.items() if k != "X-Signature"}), "unauthenticated"),
    (lambda p, b, h: (p, b, {k: v for k, v in h.items() if k != "X-Institution-Id"}), "unauthenticated"),
])
def test_tampered_requests(client, family, mutate, code):
    assert api.error(_signed_then(client, mutate)) == (401, code)


def test_citizen_token_is_not_an_institution(client, as_, family):
    resp = client.post(f"{API}/counter/scan", json={"voucher": "x"}, headers=as_("tashi"))
    assert api.error(resp) == (401, "unauthenticated")


def test_rotated_secret_with_grace(app, client, as_, family):
    result = app.test_cli_runner().invoke(args=["institution", "rotate-secret", "ali-pharmacy",
                                                "--grace-minutes", "5"])
    import json
    new = json.loads(result.output)["secret"]
    assert Counter(client, "ali-pharmacy", new).scan(voucher(client, as_("drolma"))).status_code == 200
    assert Counter(client, "ali-pharmacy").scan(voucher(client, as_("drolma"))).status_code == 200  # old, in grace
    app.test_cli_runner().invoke(args=["institution", "rotate-secret", "ali-pharmacy"])
    assert api.error(Counter(client, "ali-pharmacy", new).scan(voucher(client, as_("drolma")))) == (
        401, "bad_signature")


def test_a_secret_sealed_under_another_key_is_a_clear_503_not_a_crash(app, client, as_, family, ali):
    app.config["SECRET_KEY"] = "an-operator-changed-the-key-" + "z" * 20
    resp = ali.call("POST", "/counter/scan", {"voucher": "GJV1.x.1.y"})
    assert api.error(resp) == (503, "service_unavailable")
