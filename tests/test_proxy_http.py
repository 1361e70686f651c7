"""Family proxy over HTTP: the contract's shapes, who may do what, and the relative's money rules at the counter."""
import base64

import pytest

from . import api, factory
from .api import API, error
from .counter import Counter, items

BILL = items(("XA0101", 10, 2000), ("NX0901", 1, 500))  # ¥200 eligible, ¥5 cash


def ask(client, headers, relative, relation):
    return client.post(f"{API}/proxies", json={"id_number": relative.id_number, "name": relative.name,
                                               "relation": relation}, headers=headers)


def father_proxy(client, as_):
    """The demo's approved proxy: tashi shows his father's voucher."""
    return client.get(f"{API}/proxies?role=carer", headers=as_("tashi")).json["items"][0]


def voucher(client, headers, proxy_id=None):
    return client.post(f"{API}/vouchers", json={} if proxy_id is None else {"proxy_id": proxy_id}, headers=headers)


def kinds(client, headers):
    return [m["kind"] for m in client.get(f"{API}/messages", headers=headers).json["items"]]


def test_ask_approve_list_and_end(client, as_, family):
    resp = ask(client, as_("tashi"), family["drolma"], "spouse")
    assert resp.status_code == 201
    proxy = resp.json
    assert proxy["status"] == "pending" and proxy["relation"] == "spouse" and proxy["ended_at"] is None
    assert proxy["person"] == {"name_masked": "卓*"} and proxy["carer"] == {"name_masked": "扎***"}
    assert proxy["created_at"].endswith("+08:00")
    assert kinds(client, as_("drolma")) == ["proxy_requested"]
    assert error(client.post(f"{API}/proxies/{proxy['id']}/approve", headers=as_("tashi"))) == (403, "forbidden")

    approved = client.post(f"{API}/proxies/{proxy['id']}/approve", headers=as_("drolma"))
    assert approved.status_code == 200 and approved.json["status"] == "active"
    mine = client.get(f"{API}/proxies?role=person", headers=as_("drolma")).json
    assert [p["id"] for p in mine["items"]] == [proxy["id"]] and mine["next_cursor"] is None
    first = client.get(f"{API}/proxies?role=carer&limit=1", headers=as_("tashi")).json
    assert first["items"][0]["id"] == proxy["id"] and first["next_cursor"]  # newest first; the father's is next
    rest = client.get(f"{API}/proxies?role=carer&limit=1&cursor={first['next_cursor']}", headers=as_("tashi")).json
    assert rest["items"][0]["person"]["name_masked"] == "次***" and rest["next_cursor"] is None

    ended = client.delete(f"{API}/proxies/{proxy['id']}", headers=as_("drolma"))
    assert ended.status_code == 200 and ended.json["status"] == "ended" and ended.json["ended_at"]
    assert kinds(client, as_("tashi"))[:3] == ["proxy_ended", "proxy_approved", "proxy_requested"]


def test_decline_over_http(client, as_, family):
    proxy = ask(client, as_("tashi"), family["drolma"], "spouse").json
    assert error(client.post(f"{API}/proxies/{proxy['id']}/decline", headers=as_("tashi"))) == (403, "forbidden")
    resp = client.post(f"{API}/proxies/{proxy['id']}/decline", headers=as_("drolma"))
    assert resp.status_code == 200 and resp.json["status"] == "declined"
    assert kinds(client, as_("tashi"))[0] == "proxy_declined"


@pytest.mark.parametrize("body, field", [
    ({"name": "卓玛", "relation": "spouse"}, "id_number"),
    ({"id_number": "123", "name": "卓玛", "relation": "spouse"}, "id_number"),
    ({"id_number": "x", "name": "卓玛", "relation": "cousin"}, "relation"),
    ({"id_number": "x", "relation": "spouse"}, "name"),
])
def test_bad_input_is_400_and_changes_nothing(client, as_, family, body, field):
    resp = client.post(f"{API}/proxies", json=body, headers=as_("tashi"))
    assert error(resp) == (400, "invalid_request") and field in resp.json["error"]["details"]
    assert len(client.get(f"{API}/proxies", headers=as_("tashi")).json["items"]) == 1  # the demo's own


@pytest.mark.parametrize("case, code, status", [
    ("wrong_name", "identity_mismatch", 422), ("no_kinship", "identity_mismatch", 422),  # no oracle (v1.2)
    ("self_binding", "self_binding", 422), ("already_bound", "already_bound", 409)])
def test_refusals_over_http(client, as_, family, case, code, status):
    who, relation, name = {"wrong_name": ("drolma", "spouse", "错名"), "self_binding": ("tashi", "child", None),
                           "no_kinship": ("sonam", "sibling", None),
                           "already_bound": ("father", "parent", None)}[case]
    person = family[who]
    resp = client.post(f"{API}/proxies", json={"id_number": person.id_number, "name": name or person.name,
                                               "relation": relation}, headers=as_("tashi"))
    assert error(resp) == (status, code)
    assert len(client.get(f"{API}/proxies", headers=as_("tashi")).json["items"]) == 1


def test_a_sixth_active_proxy_is_422_too_many_proxies(client, as_, family):
    for n in range(4):
        kid = factory.person("resident", name=f"孩子{n}", born="20200101")
        factory.kin(family["tashi"], kid, "child")
        assert ask(client, as_("tashi"), kid, "child").json["status"] == "active"
    kid = factory.person("resident", name="孩子五", born="20200101")
    factory.kin(family["tashi"], kid, "child")
    assert error(ask(client, as_("tashi"), kid, "child")) == (422, "too_many_proxies")
    assert len(client.get(f"{API}/proxies?limit=100", headers=as_("tashi")).json["items"]) == 5


def test_strangers_get_404_on_every_route(client, as_, family):
    pid = father_proxy(client, as_)["id"]
    for method, path, body in [("POST", f"/proxies/{pid}/approve", None), ("POST", f"/proxies/{pid}/decline", None),
                               ("DELETE", f"/proxies/{pid}", None), ("POST", "/vouchers", {"proxy_id": pid}),
                               ("GET", f"/settlements?proxy_id={pid}", None)]:
        resp = client.open(API + path, method=method, json=body, headers=as_("sonam"))
        assert error(resp) == (404, "not_found"), (method, path)
    assert pid not in [p["id"] for p in client.get(f"{API}/proxies", headers=as_("sonam")).json["items"]]
    assert father_proxy(client, as_)["status"] == "active"
    # the relative himself does not hold the carer's side either
    assert error(voucher(client, as_("father"), pid)) == (404, "not_found")
    assert error(client.get(f"{API}/settlements?proxy_id={pid}", headers=as_("father"))) == (404, "not_found")


def test_a_pending_or_ended_proxy_gives_no_voucher(client, as_, family):
    pending = ask(client, as_("tashi"), family["drolma"], "spouse").json
    assert error(voucher(client, as_("tashi"), pending["id"])) == (422, "proxy_not_active")
    assert error(client.get(f"{API}/settlements?proxy_id={pending['id']}", headers=as_("tashi"))) \
        == (422, "proxy_not_active")
    father = father_proxy(client, as_)
    client.delete(f"{API}/proxies/{father['id']}", headers=as_("father"))
    assert error(voucher(client, as_("tashi"), father["id"])) == (422, "proxy_not_active")
    assert "voucher_by_proxy" not in kinds(client, as_("father"))


def test_the_carer_shows_the_voucher_and_sees_the_settlement(client, as_, family):
    api.bind(client, as_, "tashi", "father", "parent")
    pid = father_proxy(client, as_)["id"]
    resp = voucher(client, as_("tashi"), pid)
    assert resp.status_code == 201 and resp.json["payload"].startswith("GJV2")
    assert api.decode_qr(base64.b64decode(resp.json["qr_png"].split(",", 1)[1])) == resp.json["payload"]
    assert kinds(client, as_("father"))[0] == "voucher_by_proxy"
    counter = Counter(client, "ali-pharmacy")
    scan = counter.scan(resp.json["payload"])
    assert scan.json["patient"]["name_masked"] == "次***"
    assert scan.json["patient"]["id_number_masked"] == family["father"].id_number[:6] + "*" * 8 \
        + family["father"].id_number[-4:]
    settled = counter.settle(scan.json["ticket"], "RX-P1", BILL).json
    assert (settled["mutual_aid_fen"], settled["cash_fen"]) == (20000, 500)
    seen = client.get(f"{API}/settlements?proxy_id={pid}", headers=as_("tashi")).json["items"]
    assert [s["order_no"] for s in seen] == ["RX-P1"]
    assert client.get(f"{API}/settlements", headers=as_("tashi")).json["items"] == []  # not the carer's own


SPLIT = ("own_account_fen", "mutual_aid_fen", "cash_fen", "own_balance_after_fen")


@pytest.mark.parametrize("relative, relation", [("drolma", "spouse"), ("father", "parent")])
def test_the_relative_pays_exactly_as_with_his_own_voucher(client, as_, family, relative, relation):
    """Own account first, then his helpers in his order, then cash: the proxy changes nothing of it."""
    if relative == "drolma":
        api.bind(client, as_, "tashi", "drolma", "spouse")
        pid = ask(client, as_("tashi"), family["drolma"], "spouse").json["id"]
        client.post(f"{API}/proxies/{pid}/approve", headers=as_("drolma"))
    else:
        api.bind(client, as_, "phuntsok", "father", "parent")
        api.bind(client, as_, "tashi", "father", "parent")
        pid = father_proxy(client, as_)["id"]
    counter = Counter(client, "ali-pharmacy")
    own = counter.scan(voucher(client, as_(relative)).json["payload"]).json["ticket"]
    expected = counter.preview(own, BILL).json
    by_proxy = counter.scan(voucher(client, as_("tashi"), pid).json["payload"]).json["ticket"]
    settled = counter.settle(by_proxy, "RX-SAME", BILL).json
    assert {k: settled[k] for k in SPLIT} == {k: expected[k] for k in SPLIT}
    assert settled["mutual_aid"] == expected["mutual_aid"]
    if relative == "drolma":   # ¥80 of her own, the rest from her husband, the ineligible ¥5 in cash
        assert [settled[k] for k in SPLIT] == [8000, 12000, 500, 0]
    else:                      # no own account; the brother (first helper) pays it all
        assert [settled[k] for k in SPLIT] == [0, 20000, 500, None]
        assert [a["benefactor"]["name_masked"] for a in settled["mutual_aid"]] == ["平*"]
    assert [s["id"] for s in client.get(f"{API}/settlements", headers=as_(relative)).json["items"]] == [settled["id"]]


def test_the_carer_keeps_an_offline_book_for_his_relative(client, as_, family):
    """POST/GET /vouchers/offline with proxy_id: the relative's codes; the counter settles one for the relative."""
    pid = father_proxy(client, as_)["id"]
    resp = client.post(f"{API}/vouchers/offline", json={"proxy_id": pid}, headers=as_("tashi"))
    assert resp.status_code == 201 and len(resp.json["codes"]) == 15
    got = client.get(f"{API}/vouchers/offline?proxy_id={pid}", headers=as_("tashi"))
    listed = got.json["codes"]
    assert set(listed) == set(resp.json["codes"])
    assert client.get(f"{API}/vouchers/offline", headers=as_("tashi")).json["codes"] == []  # his own: none
    assert "voucher_by_proxy" in kinds(client, as_("father"))

    counter = Counter(client, "ali-pharmacy")
    scan = counter.scan(resp.json["codes"][0])
    assert scan.status_code == 200 and scan.json["patient"]["name_masked"] == "次***"
    settled = counter.settle(scan.json["ticket"], "RX-OFF-P", BILL).json
    assert settled["channel"] == "offline_voucher" and settled["total_fen"] == 20500
    assert settled["own_account_fen"] + settled["mutual_aid_fen"] + settled["cash_fen"] == 20500
    left = client.get(f"{API}/vouchers/offline?proxy_id={pid}", headers=as_("tashi")).json["codes"]
    assert len(left) == 14 and resp.json["codes"][0] not in left


def test_no_offline_book_through_a_proxy_not_active(client, as_, family):
    pending = ask(client, as_("tashi"), family["drolma"], "spouse").json
    resp = client.post(f"{API}/vouchers/offline", json={"proxy_id": pending["id"]}, headers=as_("tashi"))
    assert error(resp) == (422, "proxy_not_active")
    assert client.get(f"{API}/vouchers/offline", headers=as_("drolma")).json["codes"] == []
    stranger = client.post(f"{API}/vouchers/offline", json={"proxy_id": pending["id"]}, headers=as_("sonam"))
    assert error(stranger) == (404, "not_found")
