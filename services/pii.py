"""Personal data at rest (PIPL): AES-GCM under PII_KEYS (the first seals, every one opens) and a keyed blind index.

A sealed value is stored as "<kid>:<base64(nonce | ciphertext | tag)>"; the purpose ("id_number", "card_no") is the
associated data, so a value cannot be moved to a column of another kind. The blind index is HMAC-SHA256 under
PII_INDEX_KEY, its own key: equal values meet for lookups and uniqueness without the database seeing them.
"""
import base64
import binascii
import functools
import hashlib
import hmac
import logging

from cryptography.exceptions import InvalidTag

from . import settings, vault
from .errors import Unavailable

log = logging.getLogger(__name__)
DEV_KID = "dev"


@functools.lru_cache(maxsize=8)
def parse_keys(spec: str | None, secret: str) -> tuple[tuple[str, bytes], ...]:
    if not spec:  # development: derived from SECRET_KEY (production refuses to start without PII_KEYS)
        return ((DEV_KID, hashlib.sha256(b"gongji pii\0" + secret.encode()).digest()),)
    keys = []
    for part in spec.split(","):
        kid, _, material = part.strip().partition("=")
        try:
            key = base64.b64decode(material, validate=True)
        except binascii.Error:
            key = b""
        if not kid or ":" in kid or len(key) != 32:
            raise ValueError(f"PII_KEYS entry {kid or '?'!r} must be kid=<base64 of 32 bytes>")
        keys.append((kid, key))
    return tuple(keys)


def keys() -> tuple[tuple[str, bytes], ...]:
    """(kid, key) pairs; the first seals."""
    return parse_keys(settings.get("PII_KEYS"), settings.get("SECRET_KEY"))


@functools.lru_cache(maxsize=8)
def parse_index_key(spec: str | None, secret: str) -> bytes:
    if not spec:
        return hashlib.sha256(b"gongji pii index\0" + secret.encode()).digest()
    key = base64.b64decode(spec, validate=True)
    if len(key) < 32:
        raise ValueError("PII_INDEX_KEY must be the base64 of at least 32 bytes")
    return key


def seal(value: str, purpose: str) -> str:
    kid, key = keys()[0]
    return f"{kid}:{base64.b64encode(vault.encrypt(key, value.encode(), purpose.encode())).decode()}"


def kid_of(sealed: str) -> str:
    return sealed.partition(":")[0]


def open_(sealed: str, purpose: str) -> str:
    kid, _, blob = sealed.partition(":")
    key = dict(keys()).get(kid)
    try:
        if key is None:
            raise InvalidTag()
        return vault.decrypt(key, base64.b64decode(blob), purpose.encode()).decode()
    except (InvalidTag, binascii.Error):
        # the key it was sealed under is no longer configured: keep it in PII_KEYS until `pii rotate` ran
        log.error("a sealed %s cannot be opened: key %r is not in PII_KEYS", purpose, kid)
        raise Unavailable()


def blind(value: str, purpose: str) -> str:
    """The blind index of a value: the same for equal values of one purpose, useless without the key."""
    key = parse_index_key(settings.get("PII_INDEX_KEY"), settings.get("SECRET_KEY"))
    return hmac.new(key, purpose.encode() + b"\0" + value.encode(), hashlib.sha256).hexdigest()
