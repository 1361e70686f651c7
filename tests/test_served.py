"""The app as deployed: gunicorn with gunicorn.conf.py, two workers. Their metrics add up; its logs keep no secrets."""
import glob
import json
import os
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from . import factory, server
from .counter import HttpCounter, items


@pytest.fixture
def served(database_uri_for_test, family, tmp_path):
    prom, log = tmp_path / "prometheus", tmp_path / "server.log"
    with open(log, "wb") as output, server.gunicorn(
            database_uri_for_test, "-c", "gunicorn.conf.py", "--workers", "2",
            env={"PROMETHEUS_MULTIPROC_DIR": str(prom)}, output=output) as (proc, base):
        yield proc, base, prom, log


def http(base, method, path, body=None, token=None, **headers):
    """(status, JSON body, response headers) of one request over the socket."""
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw, status, got = resp.read(), resp.status, resp.headers
    except urllib.error.HTTPError as err:
        raw, status, got = err.read(), err.code, err.headers
    is_json = got.get("Content-Type", "").startswith("application/json")
    return status, json.loads(raw) if is_json and raw else raw, got


def healthz_count(samples):
    return sum(s.value for s in samples if s.name == "gongji_http_requests_total"
               and s.labels.get("route") == "/healthz" and s.labels.get("status") == "200")


def per_worker(prom):
    """Requests to /healthz as each worker's own file holds them, by pid."""
    counts = {}
    for path in glob.glob(os.path.join(prom, "counter_*.db")):
        pid = int(os.path.basename(path)[len("counter_"):-len(".db")])
        counts[pid] = healthz_count(s for m in MultiProcessCollector.merge([path]) for s in m.samples)
    return counts


def test_the_metrics_of_two_workers_add_up(served):
    proc, base, prom, _ = served
    sent = 0
    with ThreadPoolExecutor(8) as pool:
        for _ in range(100):  # until both workers have answered some (the kernel picks who accepts)
            assert all(s == 200 for s, _, _ in pool.map(lambda _: http(base, "GET", "/healthz"), range(16)))
            sent += 16
            if len([n for n in per_worker(prom).values() if n]) == 2:
                break
            time.sleep(0.05)  # on a loaded machine the second worker may boot seconds after the first answers
    counts = per_worker(prom)
    assert set(counts) == set(server.workers_of(proc)) and all(counts.values()), counts
    assert sum(counts.values()) == sent
    status, text, _ = http(base, "GET", "/metrics")
    samples = [s for m in text_string_to_metric_families(text.decode()) for s in m.samples]
    assert status == 200 and healthz_count(samples) == sent
    pool_size = [s.value for s in samples if s.name == "gongji_db_pool_size"]
    assert pool_size and pool_size[0] >= 2  # each worker's pool, added up


def test_a_journey_leaves_no_id_number_token_or_code_in_the_logs(served, family):
    _, base, _, log = served
    relative = factory.person(insurance_type="resident", name="央金")
    factory.kin(family["tashi"], relative, "sibling")
    number = relative.id_number

    status, login, _ = http(base, "POST", "/api/v1/auth/login", {"code": "dev:yangjin"})
    assert status == 200
    token, refresh = login["access_token"], login["refresh_token"]
    assert http(base, "POST", "/api/v1/auth/verify", {"id_number": number, "name": "央金"}, token)[0] == 200
    tashi = http(base, "POST", "/api/v1/auth/login", {"code": "dev:tashi"})[1]["access_token"]
    status, invitation, _ = http(base, "POST", "/api/v1/invitations", {
        "relation": "sibling", "invitee_id_number": number, "invitee_name": "央金"}, tashi)
    assert status == 201, invitation
    code = invitation["code"]
    assert http(base, "GET", f"/i/{code}")[0] == 200
    assert http(base, "POST", f"/api/v1/invitations/{code}/accept", None, token)[0] == 201
    status, voucher, headers = http(base, "POST", "/api/v1/vouchers", None, token, **{"X-Request-Id": "journey-42"})
    assert status == 201 and headers["X-Request-Id"] == "journey-42"
    counter = HttpCounter(base, "ali-pharmacy")
    status, scanned = counter.call("POST", "/counter/scan", {"voucher": voucher["payload"]})
    assert status == 200
    status, settled = counter.call("POST", "/counter/settlements", {
        "ticket": scanned["ticket"], "order_no": "RX-LOG-1", "items": items(("XA0101", 2, 1850))})
    assert status == 201 and settled["mutual_aid_fen"] == 3700

    time.sleep(0.5)
    text = log.read_text(encoding="utf-8")
    secrets = {"ID number": number, "benefactor's ID number": family["tashi"].id_number, "access token": token,
               "other access token": tashi, "refresh token": refresh, "invitation code": code,
               "voucher": voucher["payload"], "ticket": scanned["ticket"]}
    assert [what for what, value in secrets.items() if value in text] == []
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    mine = next(x for x in lines if x.get("request_id") == "journey-42")
    assert (mine["route"], mine["status"], mine["person_id"]) == ("/api/v1/vouchers", 201, relative.id)
    assert mine["duration_ms"] >= 0 and mine["method"] == "POST" and mine["time"]
    settle_line = next(x for x in lines if x.get("route") == "/api/v1/counter/settlements")
    assert (settle_line["status"], settle_line["institution_id"]) == (201, "ali-pharmacy")
    assert len(settle_line["request_id"]) == 32  # issued when the caller sent none
    assert '"GET /i/<code>" 200' in text and '"POST /api/v1/invitations/<code>/accept" 201' in text  # access log
