"""AES-256-GCM sealing: the primitive for secrets at rest, and institution secrets under INSTITUTION_SECRETS_KEY."""
import functools
import hashlib
import os

import logging

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import settings
from .errors import Unavailable

log = logging.getLogger(__name__)


def encrypt(key: bytes, plain: bytes, aad: bytes) -> bytes:
    """A fresh 96-bit nonce per message, stored in front of the ciphertext and its tag."""
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plain, aad)


def decrypt(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    """Raises cryptography's InvalidTag when the key or the associated data is not the one sealed with."""
    return AESGCM(key).decrypt(sealed[:12], sealed[12:], aad)


def _key() -> bytes:
    material = settings.get("INSTITUTION_SECRETS_KEY") or settings.get("SECRET_KEY")
    return hashlib.sha256(b"gongji institution secrets\0" + material.encode()).digest()


def seal(secret: str) -> bytes:
    return encrypt(_key(), secret.encode(), b"institution")


def open_(sealed: bytes) -> str:
    return _open(_key(), bytes(sealed))


@functools.lru_cache(maxsize=256)
def _open(key: bytes, sealed: bytes) -> str:
    """Opened once per process for each sealed value and key (every signed request checks one)."""
    try:
        return decrypt(key, sealed, b"institution").decode()
    except InvalidTag:
        # sealed under another key (SECRET_KEY/INSTITUTION_SECRETS_KEY changed): an operator must rotate it
        log.error("an institution secret cannot be opened with the current key; rotate it")
        raise Unavailable()
