"""Institution secrets at rest: AES-256-GCM under a key derived from INSTITUTION_SECRETS_KEY (or SECRET_KEY)."""
import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import settings


def _key() -> bytes:
    material = settings.get("INSTITUTION_SECRETS_KEY") or settings.get("SECRET_KEY")
    return hashlib.sha256(b"gongji institution secrets\0" + material.encode()).digest()


def seal(secret: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_key()).encrypt(nonce, secret.encode(), b"institution")


def open_(sealed: bytes) -> str:
    return AESGCM(_key()).decrypt(sealed[:12], sealed[12:], b"institution").decode()
