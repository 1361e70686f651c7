"""Family proxy with the WeChat provider: the relative's face check on the carer's phone is his consent."""
from services.db import db
from services.models import Proxy

from . import fake_wechat
from .api import API, error


def wechat_carer(client, openid, person):
    """A carer who logged in through the loopback platform and proved himself with his own face check."""
    tokens = client.post(f"{API}/auth/login", json={"code": f"as:{openid}"}).json
    headers = {"Authorization": "Bearer " + tokens["access_token"]}
    vr = fake_wechat.passed(f"vr-{openid}", person.id_number, person.name, openid)
    resp = client.post(f"{API}/auth/verify", json={"id_number": person.id_number, "name": person.name,
                                                   "verify_result": vr}, headers=headers)
    assert resp.status_code == 200, resp.json
    return headers


def ask(client, headers, relative, relation, verify_result=None):
    body = {"id_number": relative.id_number, "name": relative.name, "relation": relation}
    if verify_result is not None:
        body["verify_result"] = verify_result
    return client.post(f"{API}/proxies", json=body, headers=headers)


def proxies_in_db():
    db.session.rollback()
    return db.session.query(Proxy).count()


def test_the_relatives_own_face_check_activates_the_proxy_at_once(wechat, client, family):
    tashi = wechat_carer(client, "o-tashi", family["tashi"])
    wife = family["drolma"]
    resp = ask(client, tashi, wife, "spouse", fake_wechat.passed("vr-drolma", wife.id_number, wife.name, "o-tashi"))
    assert resp.status_code == 201 and resp.json["status"] == "active", resp.json
    seen = [s[2] for s in fake_wechat.Handler.seen if s[0].endswith("/face/identify/getinfo")]
    assert seen[-1] == {"verify_result": "vr-drolma"}
    voucher = client.post(f"{API}/vouchers", json={"proxy_id": resp.json["id"]}, headers=tashi)
    assert voucher.status_code == 201


def test_without_a_face_check_the_proxy_waits_for_approval(wechat, client, family):
    tashi = wechat_carer(client, "o-tashi", family["tashi"])
    resp = ask(client, tashi, family["drolma"], "spouse")
    assert resp.status_code == 201 and resp.json["status"] == "pending"


def test_a_face_check_of_someone_else_or_a_failed_one_creates_nothing(wechat, client, family):
    tashi = wechat_carer(client, "o-tashi", family["tashi"])
    before = proxies_in_db()
    # the carer's own face (or anyone else's) is no consent of his wife's
    own = fake_wechat.passed("vr-own", family["tashi"].id_number, family["tashi"].name, "o-tashi")
    assert error(ask(client, tashi, family["drolma"], "spouse", own)) == (422, "identity_mismatch")
    assert error(ask(client, tashi, family["drolma"], "spouse", "face-failed")) == (422, "identity_mismatch")
    assert proxies_in_db() == before


def test_the_platform_down_is_503_and_creates_nothing(wechat, client, family):
    tashi = wechat_carer(client, "o-tashi", family["tashi"])
    before = proxies_in_db()
    wechat.shutdown()
    wechat.server_close()
    resp = ask(client, tashi, family["drolma"], "spouse", "vr-anything")
    assert error(resp) == (503, "service_unavailable")
    assert proxies_in_db() == before


def test_the_dev_provider_ignores_a_verify_result(client, as_, family):
    resp = ask(client, as_("tashi"), family["drolma"], "spouse", "vr-whatever")
    assert resp.status_code == 201 and resp.json["status"] == "pending"
