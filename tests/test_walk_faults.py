"""Faults a walk through the pages found on the server's side (issue 24): each told once, nothing told to strangers."""
from . import api
from .api import API, error


def kinds(client, headers):
    return [m["kind"] for m in client.get(f"{API}/messages", headers=headers).json["items"]]


def test_one_showing_of_a_relatives_voucher_tells_him_once(client, as_, family):
    """The voucher page asks for a voucher and, the first time, an offline book: one showing, one message."""
    pid = client.get(f"{API}/proxies?role=carer", headers=as_("tashi")).json["items"][0]["id"]
    before = kinds(client, as_("father")).count("voucher_by_proxy")
    assert client.post(f"{API}/vouchers", json={"proxy_id": pid}, headers=as_("tashi")).status_code == 201
    assert client.post(f"{API}/vouchers/offline", json={"proxy_id": pid}, headers=as_("tashi")).status_code == 201
    assert client.post(f"{API}/vouchers", json={"proxy_id": pid}, headers=as_("tashi")).status_code == 201  # a refresh
    assert kinds(client, as_("father")).count("voucher_by_proxy") == before + 1


def test_a_closed_invitation_tells_a_stranger_nothing(client, as_, family):
    """Who invited whom stays between them once the invitation is answered; the parties still see it."""
    inv = api.invite(client, as_("tashi"), "spouse").json
    assert client.post(f"{API}/invitations/{inv['code']}/accept", headers=as_("drolma")).status_code == 201
    stranger = client.get(f"{API}/invitations/{inv['code']}", headers=as_("sonam"))
    assert error(stranger) == (409, "invitation_not_pending")
    assert "扎" not in stranger.get_data(as_text=True) and "benefactor" not in stranger.json["error"]
    for party in ("tashi", "drolma"):
        seen = client.get(f"{API}/invitations/{inv['code']}", headers=as_(party))
        assert seen.status_code == 200 and seen.json["status"] == "accepted"
    cancelled = api.invite(client, as_("tashi"), "child").json
    client.post(f"{API}/invitations/{cancelled['code']}/cancel", headers=as_("tashi"))
    assert error(client.get(f"{API}/invitations/{cancelled['code']}", headers=as_("gesang"))) \
        == (409, "invitation_not_pending")
