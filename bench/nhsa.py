"""The national interface's 2102 for the bench: tickets a 1101 would have opened (each with its e-voucher, spent),
written straight to the database, and 2102 envelopes pre-signed with the `_api_*` gateway headers (good 30 min)."""
import json
import time
import uuid
from datetime import timedelta

from services.people import gateway_auth


def pre_open(person_ids, count, institution_id, ttl=timedelta(minutes=10)):
    """`count` (psn_no, e-voucher payload) pairs whose 1101 has been done at `institution_id` (untimed)."""
    import secrets

    from sqlalchemy import insert

    from services.checkout import voucher_codes
    from services.clock import now
    from services.db import db
    from services.models import Ticket, Voucher
    at, vouchers, tickets, pairs = now(), [], [], []
    for i in range(count):
        person, vid = person_ids[i % len(person_ids)], voucher_codes.new_id()
        vouchers.append({"id": vid, "person_id": person, "issued_at": at, "expires_at": at + ttl, "used_at": at,
                         "used_by": institution_id})
        tickets.append({"token": secrets.token_urlsafe(32), "institution_id": institution_id, "person_id": person,
                        "voucher_id": vid, "channel": "voucher", "created_at": at, "expires_at": at + ttl})
        pairs.append((str(person), voucher_codes.make(voucher_codes.ONLINE, vid, int((at + ttl).timestamp()))))
    db.session.execute(insert(Voucher), vouchers)
    db.session.execute(insert(Ticket), tickets)
    db.session.commit()
    return pairs


def settles(inst, secret, pairs, amount=300):
    """One 2102 per pair, the same bill as the counter scenario's (XA0101 × 1 at `amount` fen)."""
    from bench.wrk import raw
    ts = str(int(time.time() * 1000))
    headers = {"_api_access_key": inst, "_api_name": "api_2102", "_api_timestamp": ts, "_api_version": "1.0",
               "_api_signature": gateway_auth.api_signature(secret, inst, "api_2102", ts, "1.0")}
    yuan = f"{amount // 100}.{amount % 100:02d}"
    out = []
    for psn_no, payload in pairs:
        body = {"infno": "2102", "msgid": uuid.uuid4().hex[:30], "fixmedins_code": inst, "input": {
            "druginfo": {"psn_no": psn_no, "mdtrt_cert_type": "01", "mdtrt_cert_no": payload, "medfee_sumamt": yuan,
                         "acct_used_flag": "1", "med_type": "41", "insutype": "310"},
            "drugdetail": [{"feedetl_sn": "1", "med_list_codg": "XA0101", "medins_list_codg": "XA0101", "cnt": 1,
                            "pric": yuan, "det_item_fee_sumamt": yuan}]}}
        out.append(raw("POST", "/api/v1/nhsa/2102", json.loads(json.dumps(body)), headers))
    return out
