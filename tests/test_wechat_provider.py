"""The wechat identity provider against a loopback server that speaks code2Session."""
import pytest

from . import fake_wechat


def login(client, code):
    return client.post("/api/v1/auth/login", json={"code": code})


def test_good_code_logs_in_and_names_a_stable_login(wechat, client):
    first = login(client, "good-code")
    assert first.status_code == 200 and first.json["verified"] is False
    path, query = fake_wechat.Handler.seen[0]
    assert path == "/sns/jscode2session"
    assert query == {"appid": fake_wechat.APPID, "secret": fake_wechat.SECRET, "js_code": "good-code",
                     "grant_type": "authorization_code"}
    me = client.get("/api/v1/me", headers={"Authorization": "Bearer " + first.json["access_token"]})
    assert me.json["error"]["code"] == "verification_required"


@pytest.mark.parametrize("code, status, error", [
    ("bad-code", 401, "unauthenticated"),
    ("used-code", 401, "unauthenticated"),
    ("risky", 401, "unauthenticated"),
    ("slow-down", 429, "rate_limited"),
    ("busy-code", 503, "service_unavailable"),
    ("garbage", 503, "service_unavailable"),
])
def test_platform_errors_are_mapped(wechat, client, code, status, error):
    resp = login(client, code)
    assert (resp.status_code, resp.json["error"]["code"]) == (status, error)
    if status == 429:
        assert resp.headers["Retry-After"].isdigit()


def test_misconfigured_app_is_a_server_problem_not_the_users(wechat, client, app):
    app.config["WECHAT_SECRET"] = "wrong"
    resp = login(client, "good-code")
    assert (resp.status_code, resp.json["error"]["code"]) == (503, "service_unavailable")


def test_unreachable_platform(config, client):
    config.update(IDENTITY_PROVIDER="wechat")
    client.application.config.update(IDENTITY_PROVIDER="wechat", WECHAT_API_BASE="http://127.0.0.1:9",
                                     WECHAT_TIMEOUT_SECONDS=1)
    resp = login(client, "good-code")
    assert (resp.status_code, resp.json["error"]["code"]) == (503, "service_unavailable")
