"""Gunicorn as deployed (gunicorn.conf.py), sent what a raw socket can send: a %0A in the URL forges no access-log
line; a 4 KB URL reaches the app and gets the contract's JSON (issue 22, minor points)."""
import json
import socket
import time

import pytest

from . import server


@pytest.fixture
def served(database_uri_for_test, tmp_path):
    log = tmp_path / "server.log"
    with open(log, "wb") as output, server.gunicorn(
            database_uri_for_test, "-c", "gunicorn.conf.py", "--workers", "1",
            env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")}, output=output) as (proc, base):
        yield base, log


def raw_request(base, request_line: bytes) -> bytes:
    """Send one request exactly as written (no client library re-encodes it); the whole answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_line_break_in_the_url_forges_no_access_log_line(served):
    base, log = served
    answer = raw_request(base, b"GET /healthz%0A10.0.0.1%20%22GET%20/admin%22%20200%0D HTTP/1.1")
    assert answer.startswith(b"HTTP/1.1 404")
    time.sleep(0.5)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if line.startswith("10.0.0.1")]   # no line of its own
    mine = [line for line in lines if "/healthz" in line and not line.startswith("{")]
    assert len(mine) == 1 and '/healthz\\n10.0.0.1 \\"GET /admin\\" 200\\r"' in mine[0], mine


def test_a_4_kb_url_is_answered_by_the_app_in_json(served):
    base, _ = served
    answer = raw_request(base, b"GET /api/v1/invitations/" + b"a" * 4096 + b" HTTP/1.1")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 401") and b"application/json" in head, head
    assert json.loads(body)["error"]["code"] == "unauthenticated"
