"""The helper order: exact permutations, If-Match against lost updates, move, and concurrent reorders."""
import threading

import pytest

from mini.helper_order import if_match_version
from services.errors import PreconditionFailed, PreconditionRequired

from . import api
from .api import API


@pytest.fixture
def two_helpers(client, as_):
    first = api.bind(client, as_, "tashi", "father", "parent")
    second = api.bind(client, as_, "phuntsok", "father", "parent")
    return first["id"], second["id"]


def put(client, headers, ids, etag):
    extra = {} if etag is None else {"If-Match": etag}
    return client.put(f"{API}/helpers/order", json={"binding_ids": ids}, headers={**headers, **extra})


def test_put_requires_if_match_and_refuses_a_stale_one(client, as_, two_helpers):
    a, b = two_helpers
    etag = api.helpers(client, as_("father")).headers["ETag"]
    assert api.error(put(client, as_("father"), [b, a], None)) == (428, "precondition_required")
    assert put(client, as_("father"), [b, a], etag).status_code == 200
    stale = put(client, as_("father"), [a, b], etag)
    assert api.error(stale) == (412, "precondition_failed")
    assert api.helper_names(client, as_("father")) == ["平*", "扎***"]


@pytest.mark.parametrize("ids", ["duplicate"])   # the other wrong lists: tests/test_helper_order_services.py
def test_put_must_be_exactly_the_active_helpers(client, as_, two_helpers, ids):
    a, b = two_helpers
    other = api.bind(client, as_, "tashi", "drolma", "spouse")["id"]
    order = {"missing": [a], "duplicate": [a, a, b], "foreign": [a, other], "extra": [a, b, other]}[ids]
    before = api.helpers(client, as_("father"))
    resp = put(client, as_("father"), order, before.headers["ETag"])
    assert api.error(resp) == (422, "invalid_order")
    after = api.helpers(client, as_("father"))
    assert after.json == before.json and after.headers["ETag"] == before.headers["ETag"]


@pytest.mark.parametrize("to", [2])
def test_move_out_of_range(client, as_, two_helpers, to):
    a, _ = two_helpers
    resp = client.post(f"{API}/helpers/{a}/move", json={"to": to}, headers=as_("father"))
    assert api.error(resp) == (422, "invalid_order")
    assert api.helper_names(client, as_("father")) == ["扎***", "平*"]


def test_only_the_beneficiary_orders(client, as_, two_helpers):
    a, _ = two_helpers
    assert api.error(client.post(f"{API}/helpers/{a}/move", json={"to": 1}, headers=as_("tashi"))) == (
        403, "forbidden")
    assert api.error(client.post(f"{API}/helpers/{a}/move", json={"to": 1}, headers=as_("sonam"))) == (
        404, "not_found")
    # the benefactor's own helper list is his own (empty), not the father's
    assert api.helper_names(client, as_("tashi")) == []


def test_move_answers_like_get(client, as_, two_helpers):
    a, b = two_helpers
    moved = client.post(f"{API}/helpers/{b}/move", json={"to": 0}, headers=as_("father"))
    got = api.helpers(client, as_("father"))
    assert moved.json == got.json and moved.headers["ETag"] == got.headers["ETag"]
    assert [h["binding_id"] for h in got.json["helpers"]] == [b, a]


def test_concurrent_reorders_never_lose_or_duplicate_a_helper(client, as_, two_helpers):
    a, b = two_helpers
    c = api.bind(client, as_, "tashi", "drolma", "spouse")  # another beneficiary, unaffected
    etag = api.helpers(client, as_("father")).headers["ETag"]
    headers = as_("father")
    app = client.application
    results = []
    barrier = threading.Barrier(6)

    def worker(order):
        with app.test_client() as own:
            barrier.wait()
            if order == "move":
                results.append(("move", own.post(f"{API}/helpers/{a}/move", json={"to": 1},
                                                 headers=headers).status_code))
            else:
                results.append(("put", put(own, headers, order, etag).status_code))

    threads = [threading.Thread(target=worker, args=(o,)) for o in ([b, a], [a, b], [b, a], [a, b], "move", "move")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # moves need no version and always apply; of the PUTs made against one ETag at most one wins
    assert [code for kind, code in results if kind == "move"] == [200, 200]
    put_codes = sorted(code for kind, code in results if kind == "put")
    assert put_codes in ([200, 412, 412, 412], [412, 412, 412, 412])
    final = [h["binding_id"] for h in api.helpers(client, headers).json["helpers"]]
    assert sorted(final) == [a, b]
    assert [h["position"] for h in api.helpers(client, headers).json["helpers"]] == [0, 1]
    assert c["status"] == "active"


@pytest.mark.parametrize("header, version", [('"3"', 3), ('W/"3"', 3), ("3", 3), (" * ", None)])
def test_if_match_names_a_version_or_any(header, version):
    assert if_match_version(header) == version


@pytest.mark.parametrize("header, refusal", [(None, PreconditionRequired), ("  ", PreconditionRequired),
                                             ('"v3"', PreconditionFailed), ('W/"-1"', PreconditionFailed)])
def test_if_match_absent_or_unreadable(header, refusal):
    with pytest.raises(refusal):
        if_match_version(header)
