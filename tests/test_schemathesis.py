"""Hostile input generated from our own OpenAPI document: no 500s, and every error in the contract's shape."""
import json
from urllib.parse import urlencode

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from schemathesis.checks import not_a_server_error

from schemathesis.core import NOT_SET

from . import api
from .counter import headers as signed_headers
from .nhsa_client import api_headers

from app import create_app


def pytest_generate_tests(metafunc):
    """One test per operation of the document as the app serves it (built at collection, not at import)."""
    if "operation" in metafunc.fixturenames:
        spec = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).test_client().get("/api/v1/openapi.json").json
        operations = [op.ok() for op in schemathesis.openapi.from_dict(spec).get_all_operations()]
        metafunc.parametrize("operation", operations, ids=[f"{o.method.upper()} {o.path}" for o in operations])


def test_api_survives_generated_requests(operation, client, family, as_):
    api.bind(client, as_, "tashi", "father", "parent")

    @given(operation.as_strategy())
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case):
        send_and_check(case, client, as_)

    run()


def send_and_check(case, client, as_):
    """Send a generated case as the mini-program or a counter would (with a token or a signature)."""
    body = b"" if case.body is NOT_SET else json.dumps(case.body).encode()
    query = urlencode(case.query or {}, doseq=True)
    path = case.formatted_path + ("?" + query if query else "")
    headers = {"Content-Type": "application/json"}
    for name in ("If-Match", "Idempotency-Key"):
        if case.headers and name in case.headers:
            headers[name] = str(case.headers[name])
    if "/counter/" in path:
        headers.update(signed_headers("ali-pharmacy", "demo-secret-ali-pharmacy", case.method, path, body))
    elif "/nhsa" in path:
        headers.update(api_headers("ali-pharmacy", "demo-secret-ali-pharmacy"))
    elif not path.endswith(("/auth/login", "/auth/refresh")):
        headers.update(as_("tashi"))
    resp = client.open(path, method=case.method, data=body, headers=headers)
    case.validate_response(resp, checks=[not_a_server_error, response_schema_conformance,
                                         content_type_conformance])
    if "/nhsa" in path:   # the national interface's own shapes: an output envelope, or the gateway's 401
        assert resp.status_code == 200 and resp.json["infcode"] in (0, -1), resp.json
        return
    if resp.status_code >= 400:
        error = resp.json["error"]
        assert set(error) == {"code", "message", "details"} and isinstance(error["details"], dict)
        assert all(isinstance(v, list) for v in error["details"].values())
