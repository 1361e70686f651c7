"""Nobody reads or changes another person's invitations, bindings, order or messages; endings from the registry."""
import pytest
from sqlalchemy import select

from services.db import db
from services.models import Binding

from . import api, factory
from .api import API


@pytest.fixture
def scene(client, as_):
    """tashi (benefactor) and father (beneficiary) bound; a pending invitation of tashi's; sonam a stranger."""
    binding = api.bind(client, as_, "tashi", "father", "parent")
    pending = api.invite(client, as_("tashi"), "child").json
    return {"binding": binding["id"], "code": pending["code"]}


# (method, path template, body, expected status for: owner, other party, stranger)
MATRIX = [
    ("get", "/invitations/{code}/qr.png", None, (200, 404, 404)),
    ("post", "/invitations/{code}/cancel", None, (200, 403, 403)),
    ("patch", "/bindings/{binding}", {"monthly_limit_fen": 100}, (200, 403, 404)),
    ("post", "/helpers/{binding}/move", {"to": 0}, (200, 403, 404)),
    ("delete", "/bindings/{binding}", None, (200, 200, 404)),
]
OWNER = {"/invitations/{code}/qr.png": ("tashi", "gesang"), "/invitations/{code}/cancel": ("tashi", "gesang"),
         "/bindings/{binding}": ("tashi", "father"), "/helpers/{binding}/move": ("father", "tashi")}


@pytest.mark.parametrize("method, path, body, expected", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
@pytest.mark.parametrize("who", [0, 1, 2], ids=["owner", "other party", "stranger"])
def test_object_level_authorization(client, as_, scene, method, path, body, expected, who):
    owner, other = OWNER.get(path, ("tashi", "father"))
    person = (owner, other, "sonam")[who]
    url = API + path.format(**scene)
    resp = getattr(client, method)(url, json=body, headers=as_(person))
    assert resp.status_code == expected[who], resp.json
    if expected[who] == 404:
        assert resp.json["error"]["code"] == "not_found"


def test_strangers_see_nothing_in_lists(client, as_, scene):
    for path in ("/bindings", "/invitations?role=sent", "/invitations?role=received", "/messages"):
        assert client.get(API + path, headers=as_("sonam")).json["items"] == []
    assert api.helper_names(client, as_("sonam")) == []


def test_messages_are_marked_read_only_by_their_owner(client, as_, scene):
    tashi_msgs = client.get(f"{API}/messages", headers=as_("tashi")).json["items"]
    ids = [m["id"] for m in tashi_msgs]
    assert ids and not any(m["read"] for m in tashi_msgs)
    assert client.post(f"{API}/messages/read", json={"ids": ids}, headers=as_("sonam")).status_code == 204
    assert not any(m["read"] for m in client.get(f"{API}/messages", headers=as_("tashi")).json["items"])
    resp = client.post(f"{API}/messages/read", json={"ids": ids}, headers=as_("tashi"))
    assert resp.status_code == 204
    assert all(m["read"] for m in client.get(f"{API}/messages", headers=as_("tashi")).json["items"])


def test_lists_page_with_an_opaque_cursor(client, as_):
    for _ in range(3):
        api.invite(client, as_("tashi"), "parent")
    first = client.get(f"{API}/invitations?role=sent&limit=2", headers=as_("tashi")).json
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get(f"{API}/invitations?role=sent&limit=2&cursor={first['next_cursor']}",
                      headers=as_("tashi")).json
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    codes = [i["code"] for i in first["items"] + rest["items"]]
    assert len(set(codes)) == 3
    assert api.error(client.get(f"{API}/invitations?cursor=garbage!", headers=as_("tashi"))) == (
        400, "invalid_request")
    assert api.error(client.get(f"{API}/invitations?limit=101", headers=as_("tashi"))) == (400, "invalid_request")


@pytest.mark.parametrize("who, change, reason, ended", [
    ("father", {"status": "ended"}, "insurance_ended", 2),
    ("tashi", {"status": "ended"}, "insurance_ended", 1),
    ("tashi", {"account_status": "closed"}, "account_closed", 1),
    ("tashi", {"region_code": "510104"}, "left_tibet", 1),
])
def test_registry_import_ends_bindings_with_the_reason(client, as_, family, who, change, reason, ended):
    b = api.bind(client, as_, "tashi", "father", "parent")
    other = api.bind(client, as_, "phuntsok", "father", "parent")
    assert factory.set_person(family, who, **change)["bindings_ended"] == ended
    listed = {x["id"]: x for x in client.get(f"{API}/bindings", headers=as_("father")).json["items"]}
    assert (listed[b["id"]]["status"], listed[b["id"]]["end_reason"]) == ("ended", reason)
    if who == "father":  # the father's insurance ended: both his bindings end
        assert listed[other["id"]]["end_reason"] == "insurance_ended"
    else:
        assert [h["binding_id"] for h in api.helpers(client, as_("father")).json["helpers"]] == [other["id"]]
        assert api.helpers(client, as_("father")).json["helpers"][0]["position"] == 0
    kinds = [m["kind"] for m in client.get(f"{API}/messages", headers=as_("tashi")).json["items"]]
    assert kinds[0] == "binding_ended"


def test_a_frozen_account_ends_nothing(client, as_, family):
    b = api.bind(client, as_, "tashi", "father", "parent")
    assert factory.set_person(family, "tashi", account_status="frozen")["bindings_ended"] == 0
    assert db.session.scalar(select(Binding.status).where(Binding.id == b["id"])) == "active"
    assert api.helper_names(client, as_("father")) == ["扎***"]
