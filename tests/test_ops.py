"""Operations endpoints, the error shape everywhere, the OpenAPI document, production safety."""
import base64
from datetime import timedelta

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from app import create_app
from services.db import db, utcnow
from services.models import CounterNonce

from .counter import Counter


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ok"}


def test_readiness_says_when_the_database_is_down(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/x"})
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503 and resp.json["error"]["code"] == "service_unavailable"


@pytest.mark.parametrize("method, path, status, code", [
    ("get", "/api/v1/nowhere", 404, "not_found"),
    ("delete", "/api/v1/me", 405, "method_not_allowed"),
    ("put", "/api/v1/auth/login", 405, "method_not_allowed"),
])
def test_errors_have_the_contract_shape(client, method, path, status, code):
    resp = getattr(client, method)(path)
    assert resp.status_code == status
    assert resp.json["error"]["code"] == code and resp.json["error"]["details"] == {}
    assert isinstance(resp.json["error"]["message"], str)


def test_malformed_json_is_invalid_request(client):
    resp = client.post("/api/v1/auth/login", data="{nope", content_type="application/json")
    assert resp.status_code == 400
    assert resp.json == {"error": {"code": "invalid_request", "message": "请求内容有误，请检查后重试。",
                                   "details": {"body": ["Invalid JSON body."]}}}


def test_openapi_document_is_valid_and_complete(client):
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    assert "/api/v1/auth/login" in spec["paths"] and "/api/v1/me" in spec["paths"]
    assert spec["paths"]["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]
    page = client.get("/api/v1/docs")  # the browsable page: tests/test_browser_docs.py
    assert page.status_code == 200 and b"/api/v1/openapi.json" in page.data


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.setenv("FLASK_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):   # 40 characters, one of them different: no secret
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("SECRET_KEY", "Zq3vW8nR2xLk7Pd5Ty9Hb4Mc6Fg1Js0A")
    with pytest.raises(RuntimeError, match="IDENTITY_PROVIDER"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("IDENTITY_PROVIDER", "wechat")
    with pytest.raises(RuntimeError, match="PII_KEYS"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("PII_KEYS", "k1=" + base64.b64encode(b"k" * 32).decode())
    monkeypatch.setenv("PII_INDEX_KEY", base64.b64encode(b"i" * 32).decode())
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["GONGJI_ENV"] == "production"


@pytest.mark.parametrize("method, path, body, status", [
    ("patch", "/api/v1/bindings/99999999999999999999", {"monthly_limit_fen": 1}, 404),   # id beyond any row
    ("post", "/api/v1/messages/read", {"ids": [2**40]}, 400),
    ("post", "/api/v1/invitations", {"relation": "parent\x00"}, 400),                 # NUL in a body
    ("get", "/api/v1/invitations/abc%00def", None, 404),                              # NUL in a path
    ("get", "/api/v1/invitations?cursor=djE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5", None, 400),  # cursor past any id
    ("get", "/api/v1/premiums/quote?binding_id=99999999999&year=2026", None, 400),
])
def test_inputs_found_by_schemathesis_answer_cleanly(client, as_, method, path, body, status):
    """Each of these once reached the database and answered 500 (on SQLite or PostgreSQL)."""
    resp = getattr(client, method)(path, json=body, headers=as_("tashi"))
    assert resp.status_code == status and "error" in resp.json


def test_premium_idempotency_key_must_be_printable(client, as_):
    resp = client.post("/api/v1/premiums", json={"binding_id": 1, "year": 2027},
                       headers={**as_("tashi"), "Idempotency-Key": "bad\x01key"})
    assert (resp.status_code, resp.json["error"]["code"]) == (400, "invalid_request")


def test_an_unreachable_database_is_503_with_retry_after_not_500():
    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 40,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/x"})
    resp = app.test_client().post("/api/v1/auth/login", json={"code": "dev:tashi"})
    assert (resp.status_code, resp.json["error"]["code"]) == (503, "service_unavailable")
    assert resp.headers["Retry-After"] == "1"


def test_purge_nonces_forgets_only_those_past_their_memory(app, family):
    at = utcnow()
    db.session.add_all([CounterNonce(institution_id="ali-pharmacy", nonce="old-nonce-0123456789", seen_at=at
                                     - timedelta(minutes=11)),
                        CounterNonce(institution_id="ali-pharmacy", nonce="new-nonce-0123456789", seen_at=at)])
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-nonces"])
    assert result.exit_code == 0 and "1 nonces forgotten" in result.output
    assert db.session.scalars(select(CounterNonce.nonce)).all() == ["new-nonce-0123456789"]


def test_requests_leave_old_nonces_to_the_scheduled_purge(app, client, family):
    db.session.add(CounterNonce(institution_id="ali-pharmacy", nonce="old-nonce-0123456789",
                                seen_at=utcnow() - timedelta(minutes=11)))
    db.session.commit()
    ali = Counter(client, "ali-pharmacy")
    for _ in range(100):   # a request path that purged even 2% of the time would almost surely have done it
        assert ali.scan("GJV1.x.1.y").status_code == 422
    assert "old-nonce-0123456789" in db.session.scalars(select(CounterNonce.nonce)).all()


def test_settings_are_typed_once_from_the_environment_or_a_test_mapping(monkeypatch):
    monkeypatch.setenv("MAX_BENEFICIARIES", "3")
    monkeypatch.setenv("RATELIMIT_ENABLED", "off")
    config = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "INVITATION_TTL_HOURS": "1.5",
                         "VOUCHER_TTL_SECONDS": "90", "WECHAT_TIMEOUT_SECONDS": 2}).config
    assert (config["MAX_BENEFICIARIES"], config["RATELIMIT_ENABLED"], config["INVITATION_TTL_HOURS"],
            config["VOUCHER_TTL_SECONDS"], config["WECHAT_TIMEOUT_SECONDS"]) == (3, False, 1.5, 90, 2.0)
    assert isinstance(config["WECHAT_TIMEOUT_SECONDS"], float)
