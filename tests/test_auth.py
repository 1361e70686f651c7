"""Citizen login, identity verification, refresh rotation with reuse detection, logout, and token refusals."""
import time
import uuid

import jwt
import pytest

from . import factory

API = "/api/v1"


def post(client, path, body, headers=None):
    return client.post(API + path, json=body, headers=headers or {})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_new_login_is_unverified_until_linked(client, family):
    pair = factory.login(client, "newcomer")
    assert pair["token_type"] == "Bearer" and pair["expires_in"] == 900 and pair["verified"] is False
    me = client.get(API + "/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 403 and me.json["error"]["code"] == "verification_required"

    aunt = factory.person("resident", name="央金")
    resp = post(client, "/auth/verify", {"id_number": aunt.id_number, "name": "央金"},
                bearer(pair["access_token"]))
    assert resp.status_code == 200
    assert resp.json["id_number_masked"] == aunt.id_number[:6] + "********" + aunt.id_number[-4:]
    me = client.get(API + "/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200
    assert me.json["person"]["name"] == "央金" and me.json["account"] is None
    assert factory.login(client, "newcomer")["verified"] is True


def test_demo_login_sees_own_account(client, family):
    me = client.get(API + "/me", headers=factory.bearer(client, "tashi")).json
    assert me["account"] == {"balance_fen": 500000, "status": "normal"}
    assert me["person"]["insurance_type"] == "employee" and me["person"]["region_code"] == "542523"


@pytest.mark.parametrize("body, status, code", [
    ({"id_number": "542523195001010035", "name": "别人"}, 422, "identity_mismatch"),
    ({"id_number": "542523195001010036", "name": "次仁多吉"}, 400, "invalid_request"),
    ({"id_number": "11010519491231002X", "name": "次仁多吉"}, 422, "identity_mismatch"),
    ({"name": "次仁多吉"}, 400, "invalid_request"),
])
def test_verify_refusals(client, family, body, status, code):
    token = factory.login(client, "stranger")["access_token"]
    resp = post(client, "/auth/verify", body, bearer(token))
    assert (resp.status_code, resp.json["error"]["code"]) == (status, code)
    assert factory.login(client, "stranger")["verified"] is False


def test_verify_malformed_id_names_the_field(client, family):
    token = factory.login(client, "stranger")["access_token"]
    resp = post(client, "/auth/verify", {"id_number": "542523195001010036", "name": "x"}, bearer(token))
    assert resp.json["error"]["details"] == {"id_number": ["has a wrong check character"]}


def test_one_person_per_login_and_one_login_per_person(client, family):
    tashi = family["tashi"]
    other = factory.login(client, "second-phone")["access_token"]
    resp = post(client, "/auth/verify", {"id_number": tashi.id_number, "name": tashi.name}, bearer(other))
    assert (resp.status_code, resp.json["error"]["code"]) == (409, "already_linked")
    father = family["father"]
    own = factory.login(client, "tashi")["access_token"]  # already linked to tashi
    resp = post(client, "/auth/verify", {"id_number": father.id_number, "name": father.name}, bearer(own))
    assert (resp.status_code, resp.json["error"]["code"]) == (409, "already_linked")


def test_refresh_rotates_and_reuse_revokes_the_chain(client, family):
    first = factory.login(client, "tashi")
    second = post(client, "/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert second.status_code == 200 and second.json["refresh_token"] != first["refresh_token"]
    assert client.get(API + "/me", headers=bearer(second.json["access_token"])).status_code == 200

    replay = post(client, "/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert (replay.status_code, replay.json["error"]["code"]) == (401, "unauthenticated")
    # the thief's replay killed the whole chain: the legitimate newer token is dead too
    after = post(client, "/auth/refresh", {"refresh_token": second.json["refresh_token"]})
    assert (after.status_code, after.json["error"]["code"]) == (401, "unauthenticated")
    # another session of the same login is untouched
    other = factory.login(client, "tashi")
    assert post(client, "/auth/refresh", {"refresh_token": other["refresh_token"]}).status_code == 200


def test_refresh_with_unknown_token(client, family):
    resp = post(client, "/auth/refresh", {"refresh_token": "not-a-token"})
    assert (resp.status_code, resp.json["error"]["code"]) == (401, "unauthenticated")


def test_logout_revokes_the_chain_and_tolerates_unknown_tokens(client, family):
    pair = factory.login(client, "tashi")
    resp = post(client, "/auth/logout", {"refresh_token": pair["refresh_token"]}, bearer(pair["access_token"]))
    assert resp.status_code == 204 and resp.data == b""
    resp = post(client, "/auth/refresh", {"refresh_token": pair["refresh_token"]})
    assert resp.status_code == 401
    again = post(client, "/auth/logout", {"refresh_token": "never-issued"}, bearer(pair["access_token"]))
    assert again.status_code == 204
    no_bearer = post(client, "/auth/logout", {"refresh_token": pair["refresh_token"]})
    assert (no_bearer.status_code, no_bearer.json["error"]["code"]) == (401, "unauthenticated")


def test_logout_cannot_revoke_someone_elses_chain(client, family):
    victim = factory.login(client, "tashi")
    thief = factory.login(client, "sonam")
    post(client, "/auth/logout", {"refresh_token": victim["refresh_token"]}, bearer(thief["access_token"]))
    assert post(client, "/auth/refresh", {"refresh_token": victim["refresh_token"]}).status_code == 200


def test_login_refusals(client, family):
    resp = post(client, "/auth/login", {"code": "wx-code-without-dev-prefix"})
    assert (resp.status_code, resp.json["error"]["code"]) == (401, "unauthenticated")
    resp = post(client, "/auth/login", {})
    assert resp.status_code == 400 and resp.json["error"]["details"] == {"code": ["Missing data for required field."]}


def _claims(**over):
    now = int(time.time())
    claims = {"iss": "gongji", "aud": "gongji-mini", "sub": "1", "typ": "access", "jti": uuid.uuid4().hex,
              "iat": now, "exp": now + 600}
    claims.update(over)
    return {k: v for k, v in claims.items() if v is not None}


KEY = "test-secret-key-that-is-long-enough-0123456789"


@pytest.mark.parametrize("token_of, code", [
    (lambda: jwt.encode(_claims(), None, algorithm="none", headers={"kid": "k1"}), "unauthenticated"),
    (lambda: jwt.encode(_claims(), KEY, algorithm="HS512", headers={"kid": "k1"}), "unauthenticated"),
    (lambda: jwt.encode(_claims(aud="someone-else"), KEY, algorithm="HS256", headers={"kid": "k1"}),
     "unauthenticated"),
    (lambda: jwt.encode(_claims(iss="evil"), KEY, algorithm="HS256", headers={"kid": "k1"}), "unauthenticated"),
    (lambda: jwt.encode(_claims(exp=int(time.time()) - 5), KEY, algorithm="HS256", headers={"kid": "k1"}),
     "token_expired"),
    (lambda: jwt.encode(_claims(), KEY, algorithm="HS256", headers={"kid": "k9"}), "unauthenticated"),
    (lambda: jwt.encode(_claims(typ="refresh"), KEY, algorithm="HS256", headers={"kid": "k1"}),
     "unauthenticated"),
    (lambda: jwt.encode(_claims(), "a-different-key-that-is-also-long-enough", algorithm="HS256",
                        headers={"kid": "k1"}), "unauthenticated"),
    (lambda: jwt.encode(_claims(jti=None), KEY, algorithm="HS256", headers={"kid": "k1"}), "unauthenticated"),
    (lambda: "not.a.jwt", "unauthenticated"),
])
def test_access_token_refusals(client, family, token_of, code):
    resp = client.get(API + "/me", headers=bearer(token_of()))
    assert (resp.status_code, resp.json["error"]["code"]) == (401, code)


def test_a_well_formed_token_of_our_key_is_accepted(client, family):
    """The refusal table above would pass vacuously if nothing were ever accepted."""
    token = jwt.encode(_claims(), KEY, algorithm="HS256", headers={"kid": "k1"})
    assert client.get(API + "/me", headers=bearer(token)).status_code == 200


def test_refresh_token_is_not_an_access_token(client, family):
    pair = factory.login(client, "tashi")
    resp = client.get(API + "/me", headers=bearer(pair["refresh_token"]))
    assert (resp.status_code, resp.json["error"]["code"]) == (401, "unauthenticated")


def test_missing_or_malformed_authorization(client, family):
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}):
        resp = client.get(API + "/me", headers=headers)
        assert (resp.status_code, resp.json["error"]["code"]) == (401, "unauthenticated")


@pytest.mark.parametrize("config", [{"JWT_KEYS": "k2=new-key-0123456789-0123456789-0123,k1=" + KEY}])
def test_key_rotation_old_kid_still_verifies(client, family):
    old = jwt.encode(_claims(), KEY, algorithm="HS256", headers={"kid": "k1"})
    assert client.get(API + "/me", headers=bearer(old)).status_code == 200
    fresh = factory.login(client, "tashi")["access_token"]
    assert jwt.get_unverified_header(fresh)["kid"] == "k2"
    assert client.get(API + "/me", headers=bearer(fresh)).status_code == 200
