"""The national platform's service gateway signature, in either of its two schemes (API.md "Gateway signature"),
checked with the institution's secret (the counter API's). Headers come in as plain strings; no Flask here.

(a) `_api_*`: Base64(HMAC-SHA1(secret, "_api_access_key=…&_api_name=…&_api_timestamp=…&_api_version=…")), a
    13-digit millisecond timestamp within 30 minutes. (b) `x-tif-*`: hex SHA-256(timestamp + secret + nonce +
    timestamp), seconds within 300 s, the nonce good once (kept with the counter's nonces).
"""
import base64
import hashlib
import hmac
import re

from ..clock import now
from ..db import db
from ..errors import Unauthenticated
from . import counter_auth

API_SKEW_MS = 30 * 60 * 1000
TIF_SKEW_SECONDS = 300
# The gateway's own words (the spec's table 6); the envelope's err_msg is ours, these are the gateway's.
MISSING, STALE, UNKNOWN, MISMATCH = "缺少服务网关的请求头!", "签名时间戳超时!", "非法用户!", "签名不一致!"
API_HEADERS = ("_api_access_key", "_api_name", "_api_timestamp", "_api_version")
TIF_HEADERS = ("x-tif-paasid", "x-tif-timestamp", "x-tif-nonce", "x-tif-signature")


def api_string(access_key: str, name: str, timestamp: str, version: str) -> str:
    """The four headers, names sorted, key=value joined by &."""
    return "&".join(f"{k}={v}" for k, v in sorted(zip(API_HEADERS, (access_key, name, timestamp, version))))


def api_signature(secret: str, access_key: str, name: str, timestamp: str, version: str) -> str:
    message = api_string(access_key, name, timestamp, version).encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha1).digest()).decode()


def tif_signature(secret: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha256((timestamp + secret + nonce + timestamp).encode()).hexdigest()


class GatewayRefused(Unauthenticated):
    """401 gateway_refused, with the gateway's own words for the 401 body: the spec's text, not one of ours."""

    def __init__(self, words: str):
        super().__init__("gateway_refused")
        self.words = words


def _refuse(words: str):
    raise GatewayRefused(words)


def _institution_secrets(inst_id: str) -> list[str]:
    if not inst_id or len(inst_id) > 32 or not inst_id.isascii() or not inst_id.isprintable():
        _refuse(UNKNOWN)
    inst = db.session.connection().execute(counter_auth.INSTITUTION, {"i": inst_id}).first()
    if inst is None:
        _refuse(UNKNOWN)
    return list(counter_auth.secrets_of(inst))


def _ascii(*values) -> bool:
    return all(isinstance(v, str) and v and v.isascii() and v.isprintable() and len(v) <= 300 for v in values)


def check_api(access_key, name, timestamp, version, signature) -> str:
    """Scheme (a): the institution id, or GatewayRefused with the gateway's words."""
    if not _ascii(access_key, name, timestamp, version, signature):
        _refuse(MISSING)
    if not re.fullmatch(r"[0-9]{13}", timestamp):
        _refuse(STALE)
    secrets = _institution_secrets(access_key)
    if not any(hmac.compare_digest(api_signature(s, access_key, name, timestamp, version).encode(),
                                   signature.encode()) for s in secrets):
        _refuse(MISMATCH)
    if abs(now().timestamp() * 1000 - int(timestamp)) > API_SKEW_MS:
        _refuse(STALE)
    return access_key


def check_tif(paasid, timestamp, nonce, signature) -> str:
    """Scheme (b): the institution id once its nonce is remembered, or GatewayRefused with the gateway's words."""
    if not _ascii(paasid, timestamp, nonce, signature) or len(nonce) > 60:
        _refuse(MISSING)
    if not re.fullmatch(r"[0-9]{1,12}", timestamp):
        _refuse(STALE)
    secrets = _institution_secrets(paasid)
    if not any(hmac.compare_digest(tif_signature(s, timestamp, nonce), signature.lower()) for s in secrets):
        _refuse(MISMATCH)
    if abs(now().timestamp() - int(timestamp)) > TIF_SKEW_SECONDS:
        _refuse(STALE)
    try:
        counter_auth.remember_nonce(paasid, "tif:" + nonce)
    except Unauthenticated:
        _refuse("nonce已使用!")
    return paasid
