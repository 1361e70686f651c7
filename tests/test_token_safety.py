"""Tokens tell nothing about our checks, and a refresh chain ends 90 days after its login however often it rotates."""
import time
from datetime import timedelta

import jwt
import pytest

from services.clock import now
from services.people import tokens

from . import factory
from .api import API, error
from .test_auth import KEY, _claims


# Each token is made when its test runs (not at collection): a long suite must not see them expire first.
@pytest.mark.parametrize("make_token, pyjwt_says", [
    (lambda: jwt.encode(_claims(aud="someone-else"), KEY, algorithm="HS256", headers={"kid": "k1"}), "audience"),
    (lambda: jwt.encode(_claims(iss="evil"), KEY, algorithm="HS256", headers={"kid": "k1"}), "issuer"),
    (lambda: jwt.encode(_claims(jti=None), KEY, algorithm="HS256", headers={"kid": "k1"}), "jti"),
    (lambda: jwt.encode(_claims(), "another-key-that-is-long-enough-too", algorithm="HS256", headers={"kid": "k1"}),
     "Signature verification failed"),
    (lambda: jwt.encode(_claims(iat=int(time.time()) + 3600), KEY, algorithm="HS256", headers={"kid": "k1"}), "iat"),
    (lambda: jwt.encode(_claims(), KEY, algorithm="HS512", headers={"kid": "k1"}), "algorithm"),
])
def test_pyjwt_error_text_is_never_echoed(client, family, make_token, pyjwt_says):
    resp = client.get(f"{API}/me", headers={"Authorization": f"Bearer {make_token()}"})
    assert error(resp) == (401, "unauthenticated")
    assert resp.json["error"]["message"] == "您尚未登录或登录已失效，请重新登录。"  # the code's catalogue text
    assert pyjwt_says.lower() not in resp.get_data(as_text=True).lower()


def refresh(client, token):
    return client.post(f"{API}/auth/refresh", json={"refresh_token": token})


def test_a_refresh_chain_ends_90_days_after_its_login(client, family, monkeypatch):
    start = now()

    def at(days):
        monkeypatch.setattr(tokens, "now", lambda: start + timedelta(days=days))

    token = factory.login(client, "tashi")["refresh_token"]
    for day in (29, 58, 87):  # rotated within every 30-day window: each token alone would live on
        at(day)
        resp = refresh(client, token)
        assert resp.status_code == 200, (day, resp.json)
        token = resp.json["refresh_token"]
    at(89.9)
    token = refresh(client, token).json["refresh_token"]
    at(90.01)
    assert error(refresh(client, token)) == (401, "unauthenticated")
    at(90.02)  # a new login starts a new chain
    assert refresh(client, factory.login(client, "tashi")["refresh_token"]).status_code == 200
