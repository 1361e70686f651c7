"""The scripted journey of the family binding issue, through the HTTP API with demo logins."""
from . import api
from .api import API


def test_invite_scan_accept_second_benefactor_reorder_and_unbind(client, as_):
    # 扎西 invites his father; the QR PNG decodes to the link the mini-program opens
    inv = api.invite(client, as_("tashi"), "parent")
    assert inv.status_code == 201
    code = inv.json["code"]
    assert inv.json["status"] == "pending" and inv.json["relation"] == "parent"
    assert inv.json["qr_content"] == f"https://gongji.test/i/{code}"
    png = client.get(inv.json["qr_png_url"], headers=as_("tashi"))
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert api.decode_qr(png.data) == inv.json["qr_content"]

    # the father opens the scanned code: who invites him (masked) and as what
    opened = client.get(f"{API}/invitations/{code}", headers=as_("father"))
    assert opened.status_code == 200
    assert opened.json["benefactor"] == {"name_masked": "扎***"} and opened.json["relation"] == "parent"

    first = client.post(f"{API}/invitations/{code}/accept", headers=as_("father"))
    assert first.status_code == 201
    assert first.json["status"] == "active" and first.json["beneficiary"] == {"name_masked": "次***"}
    for who, role in (("tashi", "benefactor"), ("father", "beneficiary")):
        listed = client.get(f"{API}/bindings?role={role}", headers=as_(who)).json["items"]
        assert [b["id"] for b in listed] == [first.json["id"]]

    # his brother in Lhasa binds the same father: he joins the end of the order
    second = api.bind(client, as_, "phuntsok", "father", "parent")
    order = api.helpers(client, as_("father"))
    assert [h["binding_id"] for h in order.json["helpers"]] == [first.json["id"], second["id"]]
    assert [h["position"] for h in order.json["helpers"]] == [0, 1]

    # the father drags his younger son first (PUT with If-Match), then back with move
    put = client.put(f"{API}/helpers/order", json={"binding_ids": [second["id"], first.json["id"]]},
                     headers={**as_("father"), "If-Match": order.headers["ETag"]})
    assert put.status_code == 200 and put.headers["ETag"] != order.headers["ETag"]
    assert api.helper_names(client, as_("father")) == ["平*", "扎***"]
    moved = client.post(f"{API}/helpers/{first.json['id']}/move", json={"to": 0}, headers=as_("father"))
    assert moved.status_code == 200
    assert [h["binding_id"] for h in moved.json["helpers"]] == [first.json["id"], second["id"]]

    # 扎西 ends his binding; the order closes the gap
    ended = client.delete(f"{API}/bindings/{first.json['id']}", headers=as_("tashi"))
    assert ended.status_code == 200
    assert (ended.json["status"], ended.json["end_reason"]) == ("ended", "ended_by_benefactor")
    final = api.helpers(client, as_("father")).json["helpers"]
    assert [(h["binding_id"], h["position"]) for h in final] == [(second["id"], 0)]
    # ended bindings stay listed
    statuses = {b["id"]: b["status"] for b in client.get(f"{API}/bindings", headers=as_("father")).json["items"]}
    assert statuses == {first.json["id"]: "ended", second["id"]: "active"}

    kinds = [m["kind"] for m in client.get(f"{API}/messages", headers=as_("tashi")).json["items"]]
    assert kinds == ["binding_ended", "invitation_accepted"]
    kinds = [m["kind"] for m in client.get(f"{API}/messages", headers=as_("father")).json["items"]]
    assert kinds == ["binding_ended", "invitation_accepted", "invitation_accepted"]
