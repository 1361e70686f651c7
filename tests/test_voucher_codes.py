"""v1.2 e-voucher and offline code text: at most 50 letters and digits, signed, and v1.1 payloads still scan."""
import re

import pytest
from sqlalchemy import select

from services.checkout import voucher_codes
from services.db import db
from services.errors import Refused
from services.models import Voucher

from . import api
from .api import API


def _issued(client, headers):
    resp = client.post(f"{API}/vouchers", headers=headers)
    assert resp.status_code == 201, resp.json
    return resp.json["payload"]


def test_online_and_offline_codes_are_at_most_50_letters_and_digits(client, as_, family):
    payload = _issued(client, as_("drolma"))
    codes = client.post(f"{API}/vouchers/offline", headers=as_("drolma")).json["codes"]
    for code in [payload, *codes]:
        assert len(code) <= 50 and re.fullmatch(r"[A-Za-z0-9]+", code), code
        assert family["drolma"].id_number not in code


def test_every_single_character_change_is_refused(app, client, as_, family):
    payload = _issued(client, as_("drolma"))
    assert voucher_codes.read(payload)[0] == voucher_codes.ONLINE
    for i, c in enumerate(payload):
        for other in voucher_codes.ALPHABET:
            if other != c:
                with pytest.raises(Refused) as refused:
                    voucher_codes.read(payload[:i] + other + payload[i + 1:])
                assert refused.value.code == "voucher_invalid"


def test_a_changed_character_scans_as_invalid_and_spends_nothing(client, as_, family, ali):
    payload = _issued(client, as_("drolma"))
    for i in (0, 3, 10, 25, 40, 47):
        forged = payload[:i] + ("x" if payload[i] != "x" else "y") + payload[i + 1:]
        assert api.error(ali.scan(forged)) == (422, "voucher_invalid")
    assert ali.scan(payload).status_code == 200


@pytest.mark.parametrize("old_kind, channel", [("GJV1", "voucher"), ("GJO1", "offline_voucher")])
def test_a_payload_of_the_old_format_still_scans_until_it_expires(client, as_, family, ali, old_kind, channel):
    if old_kind == "GJV1":
        _issued(client, as_("drolma"))
    else:
        client.post(f"{API}/vouchers/offline", headers=as_("drolma"))
    v = db.session.scalars(select(Voucher).order_by(Voucher.issued_at.desc())).first()
    expires = int(v.expires_at.timestamp())
    old = f"{old_kind}.{v.id}.{expires}.{voucher_codes._legacy_mac(old_kind, v.id, expires)}"
    assert len(old) > 50 and "." in old
    relabelled = ("GJO1" if old_kind == "GJV1" else "GJV1") + old[4:]
    assert api.error(ali.scan(relabelled)) == (422, "voucher_invalid")
    resp = ali.scan(old)
    assert resp.status_code == 200, resp.json
    settled = ali.settle(resp.json["ticket"], "OLD-1", [{"code": "XA0101", "quantity": 1, "unit_price_fen": 100}])
    assert settled.status_code == 201 and settled.json["channel"] == channel
    assert api.error(ali.scan(old)) == (409, "voucher_used")
