"""Identity a stranger cannot claim: the face check (a real loopback server), takeover of unproven links, unlink."""
import pytest
from sqlalchemy import select

from services import providers
from services.db import db
from services.errors import Unavailable
from services.models import Login, Message

from . import factory, fake_wechat
from .api import API, error


def wechat_login(client, openid):
    resp = client.post(f"{API}/auth/login", json={"code": f"as:{openid}"})
    assert resp.status_code == 200, resp.json
    return resp.json


def bearer(tokens):
    return {"Authorization": "Bearer " + tokens["access_token"]}


def verify(client, tokens, person, verify_result=None, name=None):
    body = {"id_number": person.id_number, "name": name or person.name}
    if verify_result is not None:
        body["verify_result"] = verify_result
    return client.post(f"{API}/auth/verify", json=body, headers=bearer(tokens))


def link_of(openid, provider="wechat"):
    db.session.rollback()
    return db.session.scalar(select(Login).where(Login.provider == provider, Login.openid == openid))


def test_a_passed_face_check_of_the_person_links_and_is_recorded(wechat, client, family):
    person = factory.person(name="次仁央宗")
    tokens = wechat_login(client, "o-real")
    vr = fake_wechat.passed("vr-1", person.id_number, person.name, "o-real")
    resp = verify(client, tokens, person, vr)
    assert resp.status_code == 200 and resp.json["name"] == "次仁央宗"
    path, query, body = fake_wechat.Handler.seen[-1]
    assert path == "/cityservice/face/identify/getinfo" and body == {"verify_result": "vr-1"}
    assert query == {"access_token": "at-1"}
    login = link_of("o-real")
    assert login.person_id == person.id and login.face_checked is True
    assert client.get(f"{API}/me", headers=bearer(tokens)).json["person"]["name"] == "次仁央宗"


@pytest.mark.parametrize("verify_result, status, code", [
    (None, 400, "invalid_request"),                 # the face check is not optional with WeChat
    ("face-failed", 422, "identity_mismatch"),      # the face did not match the ID photo
    ("someone-else", 422, "identity_mismatch"),     # a passed check of another person (his MD5s)
    ("face-unknown", 422, "identity_mismatch"),     # a token the platform does not know
    ("face-busy", 503, "service_unavailable"),      # the platform is busy
    ("face-garbage", 503, "service_unavailable"),   # the platform answers something unreadable
])
def test_a_claim_without_a_passed_face_check_of_this_person_links_nothing(wechat, client, family, verify_result,
                                                                          status, code):
    person = factory.person(name="次仁央宗")
    fake_wechat.passed("someone-else", family["sonam"].id_number, family["sonam"].name, "o-stranger")
    tokens = wechat_login(client, "o-stranger")
    resp = verify(client, tokens, person, verify_result)
    assert error(resp) == (status, code)
    assert link_of("o-stranger").person_id is None
    assert error(client.get(f"{API}/me", headers=bearer(tokens))) == (403, "verification_required")


def test_the_platform_down_is_503_and_links_nothing(wechat, client, family, app):
    person = factory.person()
    tokens = wechat_login(client, "o-real")
    app.config["WECHAT_API_BASE"] = "http://127.0.0.1:9"  # nothing listens there
    assert error(verify(client, tokens, person, "vr-1")) == (503, "service_unavailable")
    assert link_of("o-real").person_id is None


def test_a_face_check_takes_the_person_over_from_an_unproven_link(wechat, client, family, app):
    victim = family["sonam"]
    app.config["IDENTITY_PROVIDER"] = "dev"  # a link made without a face check (v1, or a development login)
    squatter = factory.login(client, "sonam")
    app.config["IDENTITY_PROVIDER"] = "wechat"
    real = wechat_login(client, "o-sonam")
    resp = verify(client, real, victim, fake_wechat.passed("vr-sonam", victim.id_number, victim.name, "o-sonam"))
    assert resp.status_code == 200
    assert link_of("o-sonam").person_id == victim.id and link_of("o-sonam").face_checked
    assert link_of("sonam", "dev").person_id is None
    # The squatter is signed out everywhere and told why; the real owner sees it in his messages.
    refused = client.post(f"{API}/auth/refresh", json={"refresh_token": squatter["refresh_token"]})
    assert error(refused) == (401, "unauthenticated")
    old = client.get(f"{API}/me", headers=bearer(squatter))
    assert error(old) == (403, "verification_required") and "face check" in old.json["error"]["details"]["notice"]
    kinds = [m["kind"] for m in client.get(f"{API}/messages", headers=bearer(real)).json["items"]]
    assert "identity_taken_over" in kinds
    assert client.get(f"{API}/me", headers=bearer(real)).json["person"]["id"] == victim.id


def test_a_face_checked_link_is_never_taken_over(wechat, client, family):
    person = factory.person()
    owner = wechat_login(client, "o-owner")
    vr = fake_wechat.passed("vr-a", person.id_number, person.name, "o-owner")
    assert verify(client, owner, person, vr).status_code == 200
    rival = wechat_login(client, "o-rival")
    resp = verify(client, rival, person, fake_wechat.passed("vr-b", person.id_number, person.name, "o-rival"))
    assert error(resp) == (409, "already_linked")
    assert link_of("o-owner").person_id == person.id and link_of("o-rival").person_id is None
    assert db.session.scalar(select(Message.id).where(Message.kind == "identity_taken_over")) is None


def test_dev_links_behave_as_in_v1(client, family):
    """Without face checks nobody takes anybody over: the second claim is 409."""
    person = factory.person()
    first, second = factory.login(client, "first"), factory.login(client, "second")
    assert verify(client, first, person).status_code == 200
    assert error(verify(client, second, person)) == (409, "already_linked")
    assert link_of("first", "dev").face_checked is False


def test_face_check_is_a_reusable_client_with_its_own_access_token(wechat, app, family):
    person = family["tashi"]
    fake_wechat.passed("vr-t", person.id_number, person.name, "o-t", finish_time=1_800_000_000)
    assert providers.face_check("vr-t")["identify_ret"] == 0
    assert providers.face_check_matches("vr-t", person.id_number, person.name, "o-t", 1_800_000_000)
    assert not providers.face_check_matches("vr-t", person.id_number, "扎西", "o-t", 1_800_000_000)
    assert not providers.face_check_matches("face-failed", person.id_number, person.name, "o-t", 1_800_000_000)
    fake_wechat.Handler.access_token = "at-2"  # the platform expired our token: we fetch a new one and retry
    assert providers.face_check_matches("vr-t", person.id_number, person.name, "o-t", 1_800_000_000)
    tokens_fetched = [s for s in fake_wechat.Handler.seen if s[0] == "/cgi-bin/token"]
    assert len(tokens_fetched) == 2
    with pytest.raises(Unavailable):
        providers.face_check_matches("face-busy", person.id_number, person.name, "o-t", 1_800_000_000)


def test_cli_unlink_frees_the_person_and_signs_the_login_out(client, family, app):
    tokens = factory.login(client, "tashi")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["identity", "unlink", family["tashi"].id_number])
    assert result.exit_code == 0, result.output
    assert "unlinked 扎*** (" in result.output and "login dev:tashi" in result.output
    assert "扎西次仁" not in result.output   # his full name stays out of the terminal
    assert "1 refresh tokens revoked" in result.output
    assert link_of("tashi", "dev").person_id is None
    assert error(client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})) == \
        (401, "unauthenticated")
    again = runner.invoke(args=["identity", "unlink", family["tashi"].id_number])  # linked to nobody now
    assert again.exit_code != 0 and "no login is linked" in again.output
    assert runner.invoke(args=["identity", "unlink", "not-an-id"]).exit_code != 0
