"""Small helpers that speak the HTTP contract the way the mini-program does."""
import io

API = "/api/v1"


def error(resp):
    return resp.status_code, (resp.json or {}).get("error", {}).get("code")


def invite(client, headers, relation, **named):
    return client.post(f"{API}/invitations", json={"relation": relation, **named}, headers=headers)


def bind(client, as_, benefactor, beneficiary, relation):
    """Invite and accept; returns the binding."""
    code = invite(client, as_(benefactor), relation).json["code"]
    resp = client.post(f"{API}/invitations/{code}/accept", headers=as_(beneficiary))
    assert resp.status_code == 201, resp.json
    return resp.json


def helpers(client, headers):
    resp = client.get(f"{API}/helpers", headers=headers)
    assert resp.status_code == 200, resp.json
    return resp


def helper_names(client, headers):
    return [h["benefactor"]["name_masked"] for h in helpers(client, headers).json["helpers"]]


def decode_qr(png_bytes):
    """Read a QR code back with zxing-cpp, as a phone's scanner would."""
    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png_bytes)))
    assert len(results) == 1, "exactly one QR code expected"
    return results[0].text
