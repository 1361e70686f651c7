"""No input from outside makes a 500, and a stranger's counter request takes no write lock."""
import json
import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select, text

from services.db import db
from services.models import Settlement

from . import api
from .conftest import PG_URL
from .counter import API, headers, items, ticket, voucher

DRUG = "XA0101"


def settlements():
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Settlement))


@pytest.mark.parametrize("order_no", ["RX/2026/0001", "a/reverse", "preview", "!\"$&'()*+,-./:;<=>@[\\]^_`{|}~"])
def test_order_numbers_with_a_slash_settle_show_and_reverse(client, as_, family, ali, order_no):
    t = ticket(client, as_, ali, "drolma")
    settled = ali.settle(t, order_no, items((DRUG, 1, 1000)))
    assert settled.status_code == 201 and settled.json["order_no"] == order_no
    shown = ali.call("GET", f"/counter/settlements/{order_no}")
    assert shown.status_code == 200 and shown.json["order_no"] == order_no and shown.json["status"] == "settled"
    reversed_ = ali.reverse(order_no)
    assert reversed_.status_code == 200 and reversed_.json["status"] == "reversed"
    assert ali.call("GET", f"/counter/settlements/{order_no}").json["status"] == "reversed"


@pytest.mark.parametrize("order_no", ["", "a b", "a?b", "a#b", "a%b", "单号1", "RX-1\n", "x" * 65, "a\tb"])
def test_bad_order_numbers_are_400_and_settle_nothing(client, as_, family, ali, order_no):
    t = ticket(client, as_, ali, "drolma")
    assert api.error(ali.settle(t, order_no, items((DRUG, 1, 1000)))) == (400, "invalid_request")
    assert settlements() == 0


@pytest.mark.parametrize("path", ["a%25b", "a%20b", "%E5%8D%95", "x" * 65])
def test_bad_order_numbers_in_the_path_are_400(client, family, ali, path):
    assert api.error(ali.call("GET", f"/counter/settlements/{path}")) == (400, "invalid_request")
    assert api.error(ali.call("POST", f"/counter/settlements/{path}/reverse", {})) == (400, "invalid_request")


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("body, problem", [
    ('{"code": ' + nested(33) + "}", "nests"),
    ('{"code": ' + nested(100_000) + "}", "nests"),            # Python's parser would recurse to its death
    ('{"code": ' + "9" * 4301 + "}", "digits"),
    ('{"code": -' + "1" * 100_000 + "}", "digits"),
])
def test_hostile_json_is_400_everywhere(client, as_, family, ali, body, problem):
    login = client.post(f"{API}/auth/login", data=body, content_type="application/json")
    assert api.error(login) == (400, "invalid_request") and problem in json.dumps(login.json["error"]["details"])
    invite = client.post(f"{API}/invitations", data=body, headers={**as_("tashi"), "Content-Type": "application/json"})
    assert api.error(invite) == (400, "invalid_request")
    raw = body.encode()
    signed = headers("ali-pharmacy", ali.secret, "POST", f"{API}/counter/settlements", raw)
    assert api.error(client.post(f"{API}/counter/settlements", data=raw, headers=signed)) == (400, "invalid_request")
    assert settlements() == 0


def test_nesting_up_to_32_levels_and_brackets_in_strings_are_ordinary_json(client, family):
    """At the limit the body is judged by its schema as before (here: `code` is not a string)."""
    for body in ('{"code": ' + nested(31) + "}", '{"code": "' + "[" * 100 + '"}'):
        resp = client.post(f"{API}/auth/login", data=body, content_type="application/json")
        assert resp.status_code in (400, 401) and "nests" not in json.dumps(resp.json)


@pytest.mark.parametrize("signature", ["é" * 64, "²" * 64, "z" * 64, "0" * 63, "0" * 65, "０" * 64])
def test_a_signature_that_is_not_64_hex_digits_is_401_bad_signature(client, family, ali, signature):
    raw = b"{}"
    h = {**headers("ali-pharmacy", ali.secret, "POST", f"{API}/counter/scan", raw), "X-Signature": signature}
    assert api.error(client.post(f"{API}/counter/scan", data=raw, headers=h)) == (401, "bad_signature")


def test_a_voucher_has_exactly_one_spelling(client, as_, family, ali):
    payload = voucher(client, as_("father"))
    prefix, vid, expires, sig = payload[:4], payload[4:21], payload[21:31], payload[31:]
    arabic = "".join(chr(0x0660 + int(d)) for d in expires)       # Arabic-Indic digits: int() reads them
    for spelling in (f"{prefix}{vid}{arabic}{sig}", f"{prefix}{vid}{expires[:-1]}²{sig}",
                     f"{prefix}{vid}0{expires}{sig}", f"{prefix}{vid}{expires}{sig}\u00a0",
                     f"{prefix}.{vid}.{int(expires)}.{sig}"):
        assert api.error(ali.scan(spelling)) == (422, "voucher_invalid")
    assert ali.scan(payload).status_code == 200  # the genuine voucher was not spent by its forgeries


def hold_write_lock(app):
    """Another connection takes the database's write lock (SQLite) or the nonce table's (PostgreSQL)."""
    if PG_URL:
        conn = db.engine.connect()
        conn.execute(text("LOCK TABLE counter_nonces IN EXCLUSIVE MODE"))
        return conn
    conn = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_unsigned_or_badly_signed_requests_take_no_write_lock(app, client, family, ali):
    db.session.rollback()
    lock = hold_write_lock(app)
    try:
        raw = json.dumps({"voucher": "GJV1.x.1.y"}).encode()
        bad = headers("ali-pharmacy", "not-the-secret", "POST", f"{API}/counter/scan", raw)
        stale = headers("ali-pharmacy", ali.secret, "POST", f"{API}/counter/scan", raw, timestamp=1)
        started = time.monotonic()
        assert api.error(client.post(f"{API}/counter/scan", data=raw)) == (401, "unauthenticated")
        assert api.error(client.post(f"{API}/counter/scan", data=raw, headers=bad)) == (401, "bad_signature")
        assert api.error(client.post(f"{API}/counter/scan", data=raw, headers=stale)) == (401, "stale_timestamp")
        assert time.monotonic() - started < 3
        # A correctly signed request does need the lock (to remember its nonce): it waits until it is released.
        done = []
        waiter = threading.Thread(target=lambda: done.append(ali.call("GET", "/counter/catalogue").status_code))
        waiter.start()
        time.sleep(1.5)
        assert done == []
    finally:
        lock.rollback() if PG_URL else lock.execute("ROLLBACK")
        lock.close()
    waiter.join(30)
    assert done == [200]
