"""The text of an e-voucher or an offline code: signed, free of personal data, at most 50 letters and digits.

v1.2 (API.md "Vouchers fit the spec's field"): `GJV2` (online) or `GJO2` (offline) + the voucher id (17 base62
characters, 96 random bits) + the expiry (10 decimal digits, unix seconds) + a MAC (17 base62 characters: the first
96 bits of HMAC-SHA256 over everything before it, the kind included). 48 characters of A-Z a-z 0-9, so a scanner's
text goes into a POS's `mdtrt_cert_no` unchanged. The v1.1 dotted form (`GJV1.<id>.<expiry>.<MAC>`) is still read
until the last of them expires.
"""
import base64
import hashlib
import hmac
import re
import secrets

from .. import settings
from ..errors import Refused

ONLINE, OFFLINE = "GJV2", "GJO2"
LEGACY = {"GJV1": ONLINE, "GJO1": OFFLINE}   # v1.1's dotted payloads, read as the same kinds
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
WIDTH = 17          # base62 characters for 96 bits (62**17 > 2**96)
CODE = re.compile(r"(GJV2|GJO2)([0-9A-Za-z]{17})([0-9]{10})([0-9A-Za-z]{17})")
LEGACY_CODE = re.compile(r"(GJV1|GJO1)\.([A-Za-z0-9_-]{1,32})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{1,64})")


def _base62(raw: bytes) -> str:
    n, out = int.from_bytes(raw, "big"), []
    for _ in range(WIDTH):
        n, digit = divmod(n, 62)
        out.append(ALPHABET[digit])
    return "".join(reversed(out))


def new_id() -> str:
    """A fresh voucher id: 96 random bits in 17 base62 characters."""
    return _base62(secrets.token_bytes(12))


def _key() -> bytes:
    return hashlib.sha256(b"gongji voucher\0" + settings.get("SECRET_KEY").encode()).digest()


def _mac(text: str) -> str:
    return _base62(hmac.new(_key(), text.encode(), hashlib.sha256).digest()[:12])


def _legacy_mac(kind: str, voucher_id: str, expires: int) -> str:
    raw = hmac.new(_key(), f"{kind}.{voucher_id}.{expires}".encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def make(kind: str, voucher_id: str, expires: int) -> str:
    """The code of a voucher of `kind` (ONLINE or OFFLINE) expiring at `expires` (unix seconds)."""
    body = f"{kind}{voucher_id}{expires:010d}"
    return body + _mac(body)


def read(payload) -> tuple[str, str]:
    """(kind, voucher id) of a code we signed, either form; anything else is voucher_invalid.

    ASCII only, so no superscript or Arabic-Indic digit passes for a digit; a changed character fails the MAC."""
    if not isinstance(payload, str) or len(payload) > 120 or not payload.isascii():
        raise Refused("voucher_invalid")
    if m := CODE.fullmatch(payload):
        kind, voucher_id, expires, mac = m.groups()
        good = hmac.compare_digest(_mac(f"{kind}{voucher_id}{expires}"), mac)
    elif m := LEGACY_CODE.fullmatch(payload):
        old, voucher_id, expires, mac = m.groups()
        kind, good = LEGACY[old], hmac.compare_digest(_legacy_mac(old, voucher_id, int(expires)), mac)
    else:
        raise Refused("voucher_invalid")
    if not good:
        raise Refused("voucher_invalid")
    return kind, voucher_id
