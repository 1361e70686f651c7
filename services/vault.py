"""Institution secrets at rest: AES-256-GCM under a key derived from INSTITUTION_SECRETS_KEY (or SECRET_KEY)."""
import hashlib
import os

import logging

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import settings
from .errors import Unavailable

log = logging.getLogger(__name__)


def _key() -> bytes:
    material = settings.get("INSTITUTION_SECRETS_KEY") or settings.get("SECRET_KEY")
    return hashlib.sha256(b"gongji institution secrets\0" + material.encode()).digest()


def seal(secret: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_key()).encrypt(nonce, secret.encode(), b"institution")


def open_(sealed: bytes) -> str:
    try:
        return AESGCM(_key()).decrypt(sealed[:12], sealed[12:], b"institution").decode()
    except InvalidTag:
        # sealed under another key (SECRET_KEY/INSTITUTION_SECRETS_KEY changed): an operator must rotate it
        log.error("an institution secret cannot be opened with the current key; rotate it")
        raise Unavailable(message="this institution's credentials cannot be checked now; contact the operator")
