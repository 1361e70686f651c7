"""Every route of the OpenAPI document and of the url_map, sent lone surrogates, control characters and oversized
headers, as a citizen with a good token and as a counter with a good signature: never a 5xx (issue 22, break 6)."""
import json
import re

import jwt
import pytest

from . import api, factory
from .counter import DRUG, Counter, items, ticket
from .counter import headers as signed_headers
from .nhsa_client import tif_headers
from .test_auth import KEY, _claims

STRINGS = ["\ud800", "a\udfffb", "\x00", "x\x01\x1fy", "\x7f", "line\r\nforged: 1", "\u2028"]
PLAIN_HEADERS = ["If-Match", "Idempotency-Key", "Accept-Language", "X-Request-Id", "Content-Type"]
CREDENTIALS = {True: ["X-Institution-Id", "X-Timestamp", "X-Nonce", "X-Signature"], False: ["Authorization"]}
HEADER_VALUES = ["\ud800", "Bearer \ud800", "\x00", "x\x01y", "1" * 5000, "Bearer " + "e" * 8000, "é\x80\xff"]


def resolve(spec, schema):
    while "$ref" in (schema or {}):
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema or {}


def sample(spec, schema, hostile):
    """A body of the schema's shape: every string the hostile one, numbers 1, arrays of one."""
    schema = resolve(spec, schema)
    kind = schema.get("type") or ("object" if "properties" in schema else "string")
    if kind == "object":
        return {name: sample(spec, prop, hostile) for name, prop in schema.get("properties", {}).items()
                if not prop.get("readOnly")}
    if kind == "array":
        return [sample(spec, schema.get("items", {}), hostile)]
    return {"integer": 1, "number": 1, "boolean": True}.get(kind, hostile)


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method.upper(), op


def concrete(path, value="1"):
    return re.sub(r"\{[^}]+\}", value, path)


def send(client, as_, method, path, body=None, extra=None):
    raw = b"" if body is None else json.dumps(body).encode()   # json.dumps escapes a lone surrogate as \ud800
    headers = {"Content-Type": "application/json"}
    if "/counter/" in path:
        headers.update(signed_headers("ali-pharmacy", "demo-secret-ali-pharmacy", method, path.split("#")[0], raw))
    elif "/nhsa" in path:  # the national interface signs at its gateway and answers in the spec's envelope
        headers.update(tif_headers("ali-pharmacy", "demo-secret-ali-pharmacy"))
    else:
        headers.update(as_("tashi"))
    headers.update(extra or {})
    resp = client.open(path, method=method, data=raw, headers=headers)
    assert resp.status_code < 500, (method, path, body, extra, resp.status_code, resp.get_data(as_text=True))
    if "/nhsa" in path:  # a refusal is infcode -1 (HTTP 200), or the gateway's own 401 for a bad header
        assert resp.json["infcode"] == -1 if resp.status_code == 200 else set(resp.json) == {"code", "message"}
    elif resp.status_code >= 400 and resp.is_json:
        assert set(resp.json["error"]) == {"code", "message", "details"}
    return resp


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json


def test_hostile_strings_in_every_body_and_query_are_never_a_5xx(client, as_, family, spec):
    api.bind(client, as_, "tashi", "father", "parent")
    sent = 0
    for path, method, op in operations(spec):
        schema = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
        query = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
        for hostile in STRINGS:
            body = sample(spec, schema, hostile) if schema else None
            qs = "&".join(f"{name}=%ED%A0%80%00" for name in query)
            send(client, as_, method, concrete(path) + ("?" + qs if qs else ""), body)
            sent += 1
    assert sent > 200


def test_hostile_headers_on_every_route_are_never_a_5xx(client, as_, family, app):
    api.bind(client, as_, "tashi", "father", "parent")
    rules = [(re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", r.rule), m) for r in app.url_map.iter_rules()
             for m in sorted(r.methods - {"HEAD", "OPTIONS"}) if "static" not in r.rule]
    for path, method in rules:
        body = {} if method in ("POST", "PUT", "PATCH") else None
        for value in HEADER_VALUES:  # the others all at once behind good credentials, then each credential alone
            send(client, as_, method, path, body, {name: value for name in PLAIN_HEADERS})
            for name in CREDENTIALS["/counter/" in path]:
                send(client, as_, method, path, body, {name: value})
    assert len(rules) > 40


def raw_post(client, path, text, headers=None):
    return client.post(path, data=text, headers={"Content-Type": "application/json", **(headers or {})})


# Issue 22, break 6: each of these answered 500. A body is sent as the escaped JSON a client would write.
@pytest.mark.parametrize("path, body, expected", [
    ("/auth/refresh", '{"refresh_token": "\\ud800"}', (401, "unauthenticated")),           # no login needed
    ("/auth/login", '{"code": "dev:\\ud800"}', (401, "unauthenticated")),
    ("/auth/logout", '{"refresh_token": "a\\udfff"}', (401, "unauthenticated")),
    ("/auth/refresh", '{"refresh_token": "\\u0000"}', (401, "unauthenticated")),
    ("/proxies", '{"id_number": "x", "name": "\\ud800", "relation": "spouse"}', (400, "invalid_request")),
    ("/invitations", '{"relation": "parent", "\\ud800": 1}', (400, "invalid_request")),         # a key too
])
def test_a_lone_surrogate_or_control_character_in_a_citizen_body(client, as_, family, path, body, expected):
    before = factory.money_state()
    assert api.error(raw_post(client, api.API + path, body, as_("tashi"))) == expected
    assert factory.money_state() == before


@pytest.mark.parametrize("body", [
    {"ticket": "\ud800", "order_no": "A1", "items": items((DRUG, 1, 100))},
    {"ticket": "t", "order_no": "A1", "items": [{"code": "\ud800", "quantity": 1, "unit_price_fen": 1}]},
    {"ticket": "t", "order_no": "A1", "items": [{"code": DRUG, "name": "\udc00", "quantity": 1,
                                                 "unit_price_fen": 1}]},
    {"ticket": "t", "order_no": "A1", "items": [{"code": DRUG, "name": "x\x00", "quantity": 1, "unit_price_fen": 1}]},
])
def test_a_lone_surrogate_at_the_counter_is_400_and_settles_nothing(client, as_, family, body):
    ali = Counter(client, "ali-pharmacy")
    t = ticket(client, as_, ali, "drolma")
    body = {**body, "ticket": t if body["ticket"] == "t" else body["ticket"]}
    before = factory.money_state()
    assert api.error(ali.call("POST", "/counter/settlements", body)) == (400, "invalid_request")
    assert factory.money_state() == before


def test_a_lone_surrogate_in_a_reverse_reason_is_400_and_reverses_nothing(client, as_, family):
    ali = Counter(client, "ali-pharmacy")
    assert ali.settle(ticket(client, as_, ali, "drolma"), "RX-S1", items((DRUG, 1, 1000))).status_code == 201
    before = factory.money_state()
    assert api.error(ali.reverse("RX-S1", "\ud800")) == (400, "invalid_request")
    assert factory.money_state() == before and ali.call("GET", "/counter/settlements/RX-S1").json["status"] == \
        "settled"


@pytest.mark.parametrize("if_match", ["1" * 5000, '"' + "9" * 11 + '"', "١", "²"])
def test_an_if_match_no_version_can_be_is_412(client, as_, family, if_match):
    api.bind(client, as_, "tashi", "father", "parent")
    order = client.get(f"{api.API}/helpers", headers=as_("father")).json
    body = {"binding_ids": [h["binding_id"] for h in order["helpers"]]}
    resp = client.put(f"{api.API}/helpers/order", json=body, headers={**as_("father"), "If-Match": if_match})
    assert api.error(resp) == (412, "precondition_failed")


@pytest.mark.parametrize("sub", [str(2**70), "١٢", "0", "-1", " 1"])
def test_a_token_naming_a_login_out_of_range_is_401(client, family, sub):
    token = jwt.encode(_claims(sub=sub), KEY, algorithm="HS256", headers={"kid": "k1"})
    assert api.error(client.get(f"{api.API}/me", headers={"Authorization": f"Bearer {token}"})) == \
        (401, "unauthenticated")


@pytest.mark.parametrize("name, value, expected", [
    ("Authorization", "Bearer \ud800", (401, "unauthenticated")),
    ("Accept-Language", "bo\ud800", (400, "invalid_request")),
])
def test_a_lone_surrogate_in_a_header(client, family, name, value, expected):
    assert api.error(client.get(f"{api.API}/me", headers={name: value})) == expected


@pytest.mark.parametrize("name", ["\\u5353\\u739b", "\\ud83d\\ude00", "tab\\there", "a\\\\u0000b"])
def test_escaped_chinese_an_emoji_a_tab_and_an_escaped_backslash_are_no_hostile_strings(client, as_, family, name):
    """The guard refuses only what it must: these reach the registry check (a wrong name: 422, not 400)."""
    body = '{"id_number": "%s", "name": "%s", "relation": "sibling"}' % (family["sonam"].id_number, name)
    assert api.error(raw_post(client, f"{api.API}/proxies", body, as_("tashi"))) == (422, "identity_mismatch")
