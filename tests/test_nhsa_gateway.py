"""The national interface's gateway (both schemes), its paths and envelope checks, msgid as the idempotency key,
its /metrics and its OpenAPI description."""
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from services.db import db
from services.models import LedgerEntry, Settlement, Voucher

from . import factory
from .api import API
from .nhsa_client import Pos, api_headers, flask_sender, http_sender, stale_ms, tif_headers


def voucher(client, headers):
    return client.post(f"{API}/vouchers", headers=headers).json["payload"]


def spent(client):
    return db.session.scalar(select(func.count()).select_from(Voucher).where(Voucher.used_at.is_not(None)))


SECRET = "demo-secret-ali-pharmacy"
REFUSALS = [
    ("missing", {}, "缺少服务网关的请求头!"),
    ("api wrong", api_headers("ali-pharmacy", "wrong-secret"), "签名不一致!"),
    ("api stale", api_headers("ali-pharmacy", SECRET, timestamp=0), "签名时间戳超时!"),
    ("api unknown", api_headers("no-such-pharmacy", SECRET), "非法用户!"),
    ("api partial", {k: v for k, v in api_headers("ali-pharmacy", SECRET).items() if k != "_api_version"},
     "缺少服务网关的请求头!"),
    ("tif wrong", tif_headers("ali-pharmacy", "wrong-secret"), "签名不一致!"),
    ("tif stale", tif_headers("ali-pharmacy", SECRET, timestamp=1000), "签名时间戳超时!"),
    ("tif unknown", tif_headers("nobody", SECRET), "非法用户!"),
]


@pytest.mark.parametrize("why, headers, message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_bad_signature_is_401_in_the_gateway_shape_and_changes_nothing(client, as_, family, why, headers, message):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    status, body = pos.post("1101", Pos.person_input("01", voucher(client, as_("drolma"))), headers=headers)
    assert (status, body) == (401, {"code": 401, "message": message})
    assert spent(client) == 0


def test_timestamps_at_the_edges(client, as_, family):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    assert pos.post("9001", {}, headers=api_headers("ali-pharmacy", SECRET, timestamp=stale_ms()))[0] == 401
    ok_ms = stale_ms() + 2 * 60 * 1000   # 29 minutes old
    assert pos.post("9001", {}, headers=api_headers("ali-pharmacy", SECRET, timestamp=ok_ms))[0] == 200
    assert pos.post("9001", {}, headers=api_headers("ali-pharmacy", SECRET, timestamp=ok_ms // 1000))[0] == 401


def test_an_x_tif_nonce_is_good_once(client, as_, family):
    pos = Pos(flask_sender(client), "ali-pharmacy", scheme="tif")
    headers = tif_headers("ali-pharmacy", SECRET, nonce="n-0001")
    payload = voucher(client, as_("drolma"))
    assert pos.post("1101", Pos.person_input("01", payload), headers=headers)[1]["infcode"] == 0
    replay = pos.post("1101", Pos.person_input("01", payload), headers=headers)
    assert replay[0] == 401 and replay[1]["code"] == 401
    upper = {**tif_headers("ali-pharmacy", SECRET)}
    upper["x-tif-signature"] = upper["x-tif-signature"].upper()
    assert pos.post("9001", {}, headers=upper)[0] == 200


def test_any_api_name_and_version_and_both_paths(client, family):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    for headers in (api_headers("ali-pharmacy", SECRET, name="anything", version="9.9"),
                    api_headers("ali-pharmacy", SECRET, name="", version="1.0")):
        status, body = pos.post("9001", {}, headers=headers)
        assert status == (200 if headers["_api_name"] else 401)
    assert pos.call("9001", {}, path="/nhsa/9001")["infcode"] == 0
    assert pos.call("9001", {}, path=f"{API}/nhsa")["infcode"] == 0
    assert pos.call("9001", {}, path="/nhsa")["infcode"] == 0
    disagree = pos.call("9001", {}, path=f"{API}/nhsa/9002")
    assert disagree["infcode"] == -1 and "envelope.infno" in disagree["err_msg"]


def test_fixmedins_code_must_be_the_signer(client, family):
    hospital = Pos(flask_sender(client), "ali-hospital")
    envelope = hospital.envelope("9001", {})
    envelope["fixmedins_code"] = "ali-pharmacy"
    answer = hospital.post("9001", None, raw=json.dumps(envelope))[1]
    assert answer["infcode"] == -1 and answer["err_msg"].endswith("envelope.fixmedins_code [invalid_request]")


def test_unsupported_transaction(client, family):
    answer = Pos(flask_sender(client), "ali-pharmacy").call("2401", {"mdtrtinfo": {}})
    assert (answer["infcode"], answer["output"]) == (-1, {}) and answer["err_msg"].endswith("[unsupported_transaction]")
    assert len(answer["inf_refmsgid"]) == 30 and len(answer["respond_time"]) == 17


def test_a_retried_msgid_answers_the_first_answer(client, as_, family):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    payload = voucher(client, as_("drolma"))
    first = pos.call("1101", Pos.person_input("01", payload), msgid="RETRY-1101")
    again = pos.call("1101", Pos.person_input("01", payload), msgid="RETRY-1101")
    assert first["infcode"] == again["infcode"] == 0 and first["output"] == again["output"]
    psn_no = first["output"]["baseinfo"]["psn_no"]
    bill = Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 1, "30.00")))
    refused = pos.call("2102", {**bill, "druginfo": {**bill["druginfo"], "psn_no": "999"}}, msgid="RETRY-BAD")
    assert refused["infcode"] == -1
    assert pos.call("2102", {**bill, "druginfo": {**bill["druginfo"], "psn_no": "999"}}, msgid="RETRY-BAD") \
        ["err_msg"] == refused["err_msg"]
    settled = pos.call("2102", bill, msgid="RETRY-2102")
    entries = db.session.scalar(select(func.count()).select_from(LedgerEntry))
    assert pos.call("2102", bill, msgid="RETRY-2102")["output"] == settled["output"]
    other = pos.call("2102", Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 2, "30.00"))),
                     msgid="RETRY-2102")
    assert other["infcode"] == -1 and other["err_msg"].endswith("[idempotency_conflict]")
    assert pos.call("2102", bill, msgid="RETRY-2102")["output"] == settled["output"]   # still the first answer
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == entries
    assert factory.balance(family["drolma"]) == 5000


def test_eight_concurrent_copies_settle_once(server, client, as_, family):
    # x-tif: werkzeug's development server, like gunicorn's default, drops headers named with "_" (test_nhsa_served)
    pos = Pos(http_sender(server), "ali-pharmacy", scheme="tif")
    payload = voucher(client, as_("drolma"))
    psn_no = pos.call("1101", Pos.person_input("01", payload))["output"]["baseinfo"]["psn_no"]
    bill = Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 1, "70.00")))
    with ThreadPoolExecutor(8) as threads:
        answers = list(threads.map(lambda _: pos.call("2102", bill, msgid="CONCURRENT-1"), range(8)))
    assert {a["infcode"] for a in answers} == {0}
    assert len({json.dumps(a["output"], sort_keys=True) for a in answers}) == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Settlement)) == 1
    assert factory.balance(family["drolma"]) == 1000


def test_metrics_count_by_infno_and_infcode(client, family):
    pos = Pos(flask_sender(client), "ali-pharmacy")

    def count(infno, infcode):
        text = client.get("/metrics").data.decode()
        line = next((ln for ln in text.splitlines() if ln.startswith("gongji_nhsa_requests_total{")
                     and f'infno="{infno}"' in ln and f'infcode="{infcode}"' in ln), None)
        return float(line.rsplit(" ", 1)[1]) if line else 0.0

    before = (count("9001", "0"), count("1101", "-1"), count("other", "-1"), count("9001", "401"))
    pos.call("9001", {})
    pos.call("1101", Pos.person_input("02", "x"))
    pos.call("7777", {})
    pos.post("9001", {}, headers={})
    after = (count("9001", "0"), count("1101", "-1"), count("other", "-1"), count("9001", "401"))
    assert [a - b for a, b in zip(after, before)] == [1, 1, 1, 1]


def test_the_openapi_document_describes_nhsa(client):
    doc = client.get(f"{API}/openapi.json").json
    assert {"/api/v1/nhsa/{infno}", "/api/v1/nhsa"} <= set(doc["paths"]) or \
        {"/nhsa/{infno}", "/nhsa"} <= set(doc["paths"])
    operation = (doc["paths"].get("/api/v1/nhsa/{infno}") or doc["paths"]["/nhsa/{infno}"])["post"]
    assert "401" in operation["responses"] and "msgid" in json.dumps(operation["requestBody"])
    assert {"nhsaApiSignature", "nhsaTifSignature"} <= set(doc["components"]["securitySchemes"])
