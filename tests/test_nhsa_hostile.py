"""Hostile envelopes at the national interface: -1 naming the field, or 401, never a 5xx, and nothing changes."""
import json

import pytest
from sqlalchemy import func, select

from services.db import db
from services.models import Settlement

from . import factory
from .api import API
from .nhsa_client import Pos, api_headers, flask_sender


@pytest.fixture
def scene(client, as_, family):
    """A POS whose 1101 opened a ticket for drolma, and a good 2102 input to spoil."""
    pos = Pos(flask_sender(client), "ali-pharmacy")
    payload = client.post(f"{API}/vouchers", headers=as_("drolma")).json["payload"]
    psn_no = pos.call("1101", Pos.person_input("01", payload))["output"]["baseinfo"]["psn_no"]
    return pos, Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 2, "15.00")))


def spoil(bill, where, value):
    """The bill with one field replaced (a dotted path; value None removes it)."""
    bill = json.loads(json.dumps(bill))
    *path, last = where.split(".")
    node = bill
    for key in path:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        last = int(last)
    if value is None:
        del node[last]
    else:
        node[last] = value
    return bill


def state():
    return factory.money_state(), db.session.scalar(select(func.count()).select_from(Settlement))


SPOILED = [
    ("druginfo", None, "input.druginfo"),
    ("druginfo", "text", "input.druginfo"),
    ("drugdetail", None, "input.drugdetail"),
    ("drugdetail", {"a": 1}, "input.drugdetail"),
    ("drugdetail", [], "input.drugdetail"),
    ("drugdetail.0", "line", "input.drugdetail.0"),
    ("drugdetail.0.cnt", "1.5", "input.drugdetail.0.cnt"),
    ("drugdetail.0.cnt", 0, "input.drugdetail.0.cnt"),
    ("drugdetail.0.cnt", True, "input.drugdetail.0.cnt"),
    ("drugdetail.0.pric", "15.00001", "input.drugdetail.0.pric"),
    ("drugdetail.0.pric", "-15.00", "input.drugdetail.0.pric"),
    ("drugdetail.0.pric", "1e30", "input.drugdetail.0.pric"),
    ("drugdetail.0.pric", "NaN", "input.drugdetail.0.pric"),
    ("drugdetail.0.pric", [15], "input.drugdetail.0.pric"),
    ("drugdetail.0.det_item_fee_sumamt", "31.00", "input.drugdetail.0.det_item_fee_sumamt"),
    ("drugdetail.0.med_list_codg", None, "input.drugdetail.0.med_list_codg"),
    ("drugdetail.0.med_list_codg", "\ud800", "input.drugdetail.0.med_list_codg"),
    ("druginfo.medfee_sumamt", "30.01", "input.druginfo.medfee_sumamt"),
    ("druginfo.medfee_sumamt", -30, "input.druginfo.medfee_sumamt"),
    ("druginfo.medfee_sumamt", "9" * 40, "input.druginfo.medfee_sumamt"),
    ("druginfo.acct_used_flag", "3", "input.druginfo.acct_used_flag"),
    ("druginfo.psn_no", "2 OR 1=1", "psn_no"),
    ("druginfo.psn_no", {"$gt": 0}, "input.druginfo.psn_no"),
    ("druginfo.mdtrt_cert_type", "02", None),
]


@pytest.mark.parametrize("where, value, named", SPOILED, ids=[f"{w}={v!r}"[:40] for w, v, _ in SPOILED])
def test_a_spoiled_input_is_minus_one_naming_the_field(scene, where, value, named):
    pos, bill = scene
    before = state()
    answer = pos.call("2102", spoil(bill, where, value))
    assert answer["infcode"] == -1 and answer["output"] == {}, answer
    if named:
        assert f" {named} [" in answer["err_msg"] or f" {named}" in answer["err_msg"], answer["err_msg"]
    assert state() == before


def test_ten_thousand_detail_lines(scene):
    pos, bill = scene
    before = state()
    lines = Pos.lines(*[("XA0101", 1, "0.01")] * 10_000)
    answer = pos.call("2102", {**bill, "drugdetail": lines,
                               "druginfo": {**bill["druginfo"], "medfee_sumamt": "100.00"}})
    assert answer["infcode"] == -1 and answer["err_msg"].endswith("[invalid_request]")   # too large, or too many
    assert state() == before


@pytest.mark.parametrize("raw", [
    "", "not json", "[]", "null", '{"infno": "2102"}', '{"infno": 2102, "msgid": "m", "input": {}}',
    '{"infno": "2102", "msgid": "m", "fixmedins_code": "ali-pharmacy"}',
    '{"infno": "2102", "msgid": "m", "fixmedins_code": "ali-pharmacy", "input": "text"}',
    '{"infno": "2102", "msgid": "' + "m" * 31 + '", "fixmedins_code": "ali-pharmacy", "input": {}}',
    '{"infno": "2102", "msgid": "a b", "fixmedins_code": "ali-pharmacy", "input": {}}',
    '{"infno": "2102", "msgid": "m", "fixmedins_code": "ali-pharmacy", "input": {"a": NaN}}',
    '{"infno": "2102", "msgid": "m", "fixmedins_code": "ali-pharmacy", "input": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"infno": "2102", "msgid": "m", "fixmedins_code": "ali-pharmacy", "input": {"n": ' + "9" * 5000 + "}}",
    b"\xff\xfe{",
])
@pytest.mark.parametrize("content_type", ["text/plain", "application/json"])
def test_a_malformed_envelope_is_minus_one(scene, raw, content_type):
    pos, _ = scene
    before = state()
    status, answer = pos.post("2102", None, raw=raw, headers={**pos.headers("2102"), "Content-Type": content_type})
    assert status == 200 and answer["infcode"] == -1 and answer["err_msg"].endswith("[invalid_request]")
    assert state() == before


def test_a_one_megabyte_body(scene):
    pos, bill = scene
    before = state()
    raw = json.dumps(pos.envelope("2102", {**bill, "padding": "x" * (1 << 20)}))
    status, answer = pos.post("2102", None, raw=raw)
    assert status == 200 and answer["infcode"] == -1
    assert state() == before


@pytest.mark.parametrize("header, value", [
    ("_api_access_key", "阿里药房"), ("_api_signature", "签名"), ("_api_name", "api_１１０１"),
    ("x-tif-nonce", "随机"), ("x-tif-paasid", "ali-pharmacy\x01")])
def test_non_ascii_headers_are_401(scene, header, value):
    pos, bill = scene
    headers = api_headers("ali-pharmacy", "demo-secret-ali-pharmacy") if header.startswith("_") else \
        Pos(pos.send, "ali-pharmacy", scheme="tif").headers("2102")
    headers[header] = value.encode().decode("latin-1")
    before = state()
    status, answer = pos.post("2102", bill, headers=headers)
    assert status == 401 and answer["code"] == 401
    assert state() == before
