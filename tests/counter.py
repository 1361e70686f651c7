"""A counter terminal for tests: signs requests exactly as API.md describes, over the Flask client or real HTTP."""
import json
import secrets
import urllib.error
import urllib.request

from sqlalchemy import update

from services.clock import now
from services.db import db
from services.models import Ticket
from services.people.counter_auth import sign

API = "/api/v1"
DRUG, CHECKUP, SUPPLEMENT = "XA0101", "JC0404", "NX0901"   # demo catalogue: eligible, eligible, ineligible


def headers(inst_id, secret, method, path, body: bytes, *, timestamp=None, nonce=None):
    ts = str(int(now().timestamp()) if timestamp is None else timestamp)  # the services' clock
    nonce = nonce or secrets.token_hex(12)
    return {"X-Institution-Id": inst_id, "X-Timestamp": ts, "X-Nonce": nonce,
            "X-Signature": sign(secret, method, path, ts, nonce, body), "Content-Type": "application/json"}


class Counter:
    """Signed calls through the Flask test client."""

    def __init__(self, client, inst_id, secret=None):
        self.client, self.inst_id = client, inst_id
        self.secret = secret or f"demo-secret-{inst_id}"

    def call(self, method, path, body=None, **sig):
        raw = b"" if body is None else json.dumps(body).encode()
        h = headers(self.inst_id, self.secret, method, API + path, raw, **sig)
        return self.client.open(API + path, method=method, data=raw, headers=h)

    def scan(self, voucher):
        return self.call("POST", "/counter/scan", {"voucher": voucher})

    def read_card(self, card_no):
        """The card reader read a medical-insurance card (its PIN checked by the reader)."""
        return self.call("POST", "/counter/scan", {"card_no": card_no})

    def settle(self, ticket, order_no, items, **extra):
        return self.call("POST", "/counter/settlements", {"ticket": ticket, "order_no": order_no, "items": items,
                                                         **extra})

    def preview(self, ticket, items, **extra):
        return self.call("POST", "/counter/settlements/preview", {"ticket": ticket, "items": items, **extra})

    def reverse(self, order_no, reason=None):
        return self.call("POST", f"/counter/settlements/{order_no}/reverse", {"reason": reason} if reason else {})


class HttpCounter:
    """The same terminal over a real socket (for tests against a running server)."""

    def __init__(self, base_url, inst_id, secret=None):
        self.base, self.inst_id = base_url.rstrip("/"), inst_id
        self.secret = secret or f"demo-secret-{inst_id}"
        self.headers = {}

    def call(self, method, path, body=None):
        raw = b"" if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + API + path, data=raw if body is not None else None, method=method,
                                     headers=headers(self.inst_id, self.secret, method, API + path, raw))
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                self.headers = resp.headers   # the last answer's headers (Retry-After on a 503)
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as err:
            self.headers = err.headers
            return err.code, json.loads(err.read() or b"null")


def items(*lines):
    """items(("XA0101", 2, 1500), ...) -> the contract's item list."""
    return [{"code": c, "quantity": q, "unit_price_fen": p} for c, q, p in lines]


def voucher(client, headers_):
    resp = client.post(f"{API}/vouchers", headers=headers_)
    assert resp.status_code == 201, resp.json
    return resp.json["payload"]


def ticket(client, as_, counter, who):
    resp = counter.scan(voucher(client, as_(who)))
    assert resp.status_code == 200, resp.json
    return resp.json["ticket"]


def settle(client, as_, counter, who, order_no, bill, channel="voucher"):
    """Scan `who`'s voucher and settle the bill as paid through `channel` (the card and offline scans set a
    ticket's channel; here the test does)."""
    token = ticket(client, as_, counter, who)
    db.session.execute(update(Ticket).where(Ticket.token == token).values(channel=channel))
    db.session.commit()
    resp = counter.settle(token, order_no, bill)
    assert resp.status_code == 201 and resp.json["channel"] == channel, resp.json
    return resp.json
