"""The national interface as deployed: gunicorn with gunicorn.conf.py lets the `_api_*` gateway headers through
(its default header_map drops every header named with "_"), and a POS completes its journey over the socket."""
import pytest

from services.db import db

from . import factory, server
from .api import API
from .nhsa_client import Pos, http_sender


@pytest.fixture
def served(database_uri_for_test, family, tmp_path):
    with open(tmp_path / "server.log", "wb") as output, server.gunicorn(
            database_uri_for_test, "-c", "gunicorn.conf.py", "--workers", "1",
            env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")}, output=output) as (_, base):
        yield base


@pytest.mark.parametrize("scheme, base_path", [("api", API), ("tif", API), ("api", "")])
def test_a_pos_settles_and_reverses_through_gunicorn(served, client, as_, family, scheme, base_path):
    pos = Pos(http_sender(served), "ali-pharmacy", scheme=scheme, base=base_path)
    payload = client.post(f"{API}/vouchers", headers=as_("drolma")).json["payload"]
    person = pos.call("1101", Pos.person_input("01", payload))
    assert person["infcode"] == 0, person
    psn_no = person["output"]["baseinfo"]["psn_no"]
    bill = Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 1, "60.00"), ("NX0901", 2, "1.25")))
    setl = pos.call("2102", bill, msgid=f"GUNI-{scheme}")["output"]["setlinfo"]
    assert (setl["acct_pay"], setl["psn_cash_pay"], setl["balc"]) == (60.0, 2.5, 20.0)
    db.session.rollback()   # read what the server committed
    assert factory.balance(family["drolma"]) == 2000
    back = pos.call("2103", {"data": {"setl_id": setl["setl_id"], "psn_no": psn_no}})["output"]["setlinfo"]
    db.session.rollback()
    assert back["acct_pay"] == -60.0 and factory.balance(family["drolma"]) == 8000


def test_gunicorn_without_our_config_drops_the_api_headers(database_uri_for_test, family, tmp_path):
    """Why gunicorn.conf.py sets header_map: with gunicorn's default every _api_* request is refused."""
    empty = tmp_path / "empty.conf.py"   # else gunicorn reads ./gunicorn.conf.py by itself
    empty.write_text("")
    with server.gunicorn(database_uri_for_test, "-c", str(empty), "app:create_app()",
                         env={"GONGJI_ENV": "development"}) as (_, base):
        status, body = Pos(http_sender(base), "ali-pharmacy").post("9001", {})
    assert (status, body) == (401, {"code": 401, "message": "缺少服务网关的请求头!"})


def test_other_headers_named_with_an_underscore_are_still_dropped(served):
    """Only the five gateway headers pass: an `X_Request_Id` (or an `X_Forwarded_For`) never reaches the app."""
    import urllib.request
    req = urllib.request.Request(served + "/healthz", headers={"X_Request_Id": "spoofed-by-underscore"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.headers["X-Request-Id"] != "spoofed-by-underscore"
    req = urllib.request.Request(served + "/healthz", headers={"X-Request-Id": "sent-with-a-hyphen"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.headers["X-Request-Id"] == "sent-with-a-hyphen"
