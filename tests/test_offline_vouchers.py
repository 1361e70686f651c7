"""Offline vouchers: a book of one-time codes; each pays once, a new book or a logout revokes, tampering is refused."""
import base64
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from werkzeug.serving import make_server

from services.clock import now
from services.db import db
from services.models import Voucher

from . import api, factory
from .api import API
from .counter import Counter, HttpCounter, items


def book(client, headers):
    resp = client.post(f"{API}/vouchers/offline", headers=headers)
    assert resp.status_code == 201, resp.json
    return resp.json


def unspent(client, headers):
    resp = client.get(f"{API}/vouchers/offline", headers=headers)
    assert resp.status_code == 200, resp.json
    return resp.json


def test_a_book_holds_fifteen_short_opaque_codes_and_their_qr(client, as_, family):
    issued_at = now()
    b = book(client, as_("drolma"))
    codes = b["codes"]
    assert len(codes) == 15 == len(set(codes))
    person = family["drolma"]
    for code in codes:
        assert re.fullmatch(r"GJO2[0-9A-Za-z]{44}", code)
        assert person.id_number not in code and person.name not in code
    assert [api.decode_qr(base64.b64decode(uri.split(",", 1)[1])) for uri in b["qr_pngs"]] == codes
    expires = datetime.fromisoformat(b["expires_at"])
    assert b["expires_at"].endswith("+08:00")
    assert timedelta(seconds=14_398) <= expires - issued_at <= timedelta(seconds=14_402)   # 4 hours
    assert sorted(unspent(client, as_("drolma"))["codes"]) == sorted(codes)


@pytest.mark.parametrize("config", [{"OFFLINE_VOUCHER_COUNT": 3, "OFFLINE_VOUCHER_TTL_SECONDS": 120}])
def test_count_and_lifetime_follow_the_settings(client, as_, family):
    b = book(client, as_("drolma"))
    assert len(b["codes"]) == 3
    assert datetime.fromisoformat(b["expires_at"]) - now() <= timedelta(seconds=121)


def test_a_code_settles_once_as_an_offline_voucher(client, as_, family, ali):
    api.bind(client, as_, "tashi", "father", "parent")
    codes = book(client, as_("father"))["codes"]
    scan = ali.scan(codes[4])
    assert scan.status_code == 200 and scan.json["patient"]["name_masked"] == "次***"
    s = ali.settle(scan.json["ticket"], "OFF-1", items(("XA0101", 2, 1850)))
    assert s.status_code == 201 and s.json["channel"] == "offline_voucher"
    assert s.json["mutual_aid_fen"] == 3700
    line = client.get(f"{API}/account/entries", headers=as_("tashi")).json["items"][0]
    assert (line["kind"], line["amount_fen"], line["channel"]) == ("mutual_aid", -3700, "offline_voucher")

    # the same code copied from the phone after the scan is worthless, at any counter
    balance = factory.balance(family["tashi"])
    assert api.error(ali.scan(codes[4])) == (409, "voucher_used")
    assert api.error(Counter(client, "ali-hospital").scan(codes[4])) == (409, "voucher_used")
    assert factory.balance(family["tashi"]) == balance
    left = unspent(client, as_("father"))["codes"]
    assert len(left) == 14 and codes[4] not in left
    # the other codes of the book still pay
    assert ali.scan(codes[5]).status_code == 200


@pytest.fixture
def server(app):
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


def test_two_institutions_scanning_one_code_at_once_exactly_one_wins(client, as_, family, server):
    codes = book(client, as_("drolma"))["codes"][:6]
    counters = [HttpCounter(server, "ali-pharmacy"), HttpCounter(server, "ali-hospital")]
    for code in codes:
        gate = threading.Barrier(2)

        def scan(counter):
            gate.wait()
            return counter.call("POST", "/counter/scan", {"voucher": code})

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(scan, counters))
        assert sorted(status for status, _ in results) == [200, 409], results
        assert [body["error"]["code"] for status, body in results if status == 409] == ["voucher_used"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Voucher).where(Voucher.used_at.is_not(None))) == 6


def test_a_new_book_revokes_the_unspent_codes_of_the_last_one(client, as_, family, ali):
    old = book(client, as_("drolma"))["codes"]
    assert ali.scan(old[0]).status_code == 200
    new = book(client, as_("drolma"))["codes"]
    assert api.error(ali.scan(old[1])) == (422, "voucher_invalid")
    assert api.error(ali.scan(old[0])) == (409, "voucher_used")      # spent stays spent
    assert sorted(unspent(client, as_("drolma"))["codes"]) == sorted(new)
    assert ali.scan(new[0]).status_code == 200
    # another person's book revokes nothing of hers
    book(client, as_("tashi"))
    assert ali.scan(new[1]).status_code == 200


def test_logout_revokes_the_book_of_a_lost_phone(client, as_, family, ali):
    pair = factory.login(client, "drolma")
    headers = {"Authorization": "Bearer " + pair["access_token"]}
    codes = book(client, headers)["codes"]
    resp = client.post(f"{API}/auth/logout", json={"refresh_token": pair["refresh_token"]}, headers=headers)
    assert resp.status_code == 204
    assert api.error(ali.scan(codes[0])) == (422, "voucher_invalid")
    assert unspent(client, as_("drolma")) == {"codes": [], "expires_at": None}


def test_an_expired_book_pays_nothing(client, as_, family, ali):
    codes = book(client, as_("drolma"))["codes"]
    db.session.execute(update(Voucher).values(expires_at=now() - timedelta(seconds=1)))
    db.session.commit()
    assert api.error(ali.scan(codes[0])) == (422, "voucher_expired")
    assert unspent(client, as_("drolma")) == {"codes": [], "expires_at": None}


def _altered(code, i):
    """The code with its i-th character changed to another one a forger might try."""
    c = code[i]
    other = "A" if c != "A" else "B"
    if c.isdigit():
        other = str((int(c) + 1) % 10)
    return code[:i] + other + code[i + 1:]


def test_every_character_changed_once_is_refused(client, as_, family, ali):
    code = book(client, as_("drolma"))["codes"][0]
    for i in range(len(code)):
        forged = _altered(code, i)
        assert forged != code
        assert api.error(ali.scan(forged)) == (422, "voucher_invalid"), (i, forged)
    # an online voucher's id relabelled as an offline code (and back) is refused too
    online = client.post(f"{API}/vouchers", headers=as_("drolma")).json["payload"]
    assert api.error(ali.scan("GJO2" + online[4:])) == (422, "voucher_invalid")
    assert api.error(ali.scan("GJV2" + code[4:])) == (422, "voucher_invalid")
    assert db.session.scalar(select(func.count()).select_from(Voucher).where(Voucher.used_at.is_not(None))) == 0
    assert ali.scan(code).status_code == 200


def test_no_book_for_a_person_whose_insurance_ended(client, as_, family, ali):
    codes = book(client, as_("drolma"))["codes"]
    factory.set_person(family, "drolma", status="ended")
    assert api.error(client.post(f"{API}/vouchers/offline", headers=as_("drolma"))) == (422, "not_insured")
    assert codes and unspent(client, as_("drolma"))["codes"] == []   # the insurance end revoked them (v1.2)


def test_the_service_worker_covers_the_whole_app_and_keeps_every_file_it_loads(client):
    resp = client.get("/sw.js")
    assert resp.status_code == 200 and "javascript" in resp.content_type
    assert resp.headers["Service-Worker-Allowed"] == "/" and resp.headers["Cache-Control"] == "no-cache"
    shell = set(json.loads(re.search(r"const SHELL = (\[.*?\]);", resp.get_data(as_text=True), re.S).group(1)))
    assert all(re.fullmatch(r"/static/[\w./-]+\?v=\w{12}", path) for path in shell - {"/"})   # fingerprinted
    shell = {path.split("?")[0] for path in shell}
    # every file app.html loads, and every module those import in turn, is kept for the offline start
    needed, todo = {"/"}, ["/"]
    while todo:
        text = client.get(todo.pop()).get_data().decode(errors="replace")   # the font too: it names nothing
        # a module's imports, and the catalogues static/i18n.js fetches (both languages: the switch works offline)
        found = r'(?:(?:href|src)=|url\()"(/static/[\w./-]+)(?:\?v=\w+)?"|from "(/static/[\w.]+)"|"(/static/i18n/\w+\.json)"|"(/static/fonts/[\w.-]+)\?v=\w+"'
        for path in set(re.findall(found, text)):
            path = "".join(path)
            if path not in needed:
                needed.add(path)
                todo.append(path)
    assert needed == shell
    assert all(client.get(path).status_code == 200 for path in shell)


def test_a_book_lasts_four_hours_by_default_and_at_most_a_day(client, as_, family):
    """API.md v1.2 "Offline book": at 4,300 m the way to the pharmacy is long."""
    from datetime import datetime, timedelta

    from app import create_app
    from services.clock import now
    resp = client.post("/api/v1/vouchers/offline", headers=as_("tashi"))
    left = datetime.fromisoformat(resp.json["expires_at"]) - now()
    assert timedelta(hours=4) - timedelta(minutes=1) < left <= timedelta(hours=4)
    for wrong in (86_401, 0):
        with pytest.raises(RuntimeError, match="OFFLINE_VOUCHER_TTL_SECONDS"):
            create_app({"GONGJI_ENV": "development", "OFFLINE_VOUCHER_TTL_SECONDS": wrong})
    assert create_app({"GONGJI_ENV": "development", "OFFLINE_VOUCHER_TTL_SECONDS": "86400"}).config[
        "OFFLINE_VOUCHER_TTL_SECONDS"] == 86_400
