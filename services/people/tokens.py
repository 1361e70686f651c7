"""Citizen tokens: short-lived signed access JWTs and opaque, rotated, reuse-detecting refresh tokens."""
import hashlib
import re
import secrets
import uuid
from datetime import timedelta

import jwt
from sqlalchemy import select, update

from .. import settings
from ..clock import now
from ..db import db
from ..errors import Unauthenticated
from ..models import RefreshToken

ALGORITHM = "HS256"  # pinned: a token naming any other algorithm is refused
ISSUER = "gongji"
AUDIENCE = "gongji-mini"
CHAIN_LIFETIME = timedelta(days=90)  # a refresh chain ends this long after its login, however often it rotates
SUBJECT = re.compile(r"[1-9][0-9]{0,9}")  # a login id: ASCII digits
MAX_LOGIN_ID = 2**31 - 1                 # logins.id is a 32-bit integer


def signing_keys():
    """{kid: key}; the first is the current signing key, the others verify until retired."""
    raw = settings.get("JWT_KEYS")
    if raw:
        pairs = [p.split("=", 1) for p in raw.split(",") if "=" in p]
        return {kid.strip(): key.strip() for kid, key in pairs}
    return {"k1": settings.get("SECRET_KEY")}


def issue_access(login_id: int) -> str:
    kid, key = next(iter(signing_keys().items()))
    at = now()
    claims = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": str(login_id), "typ": "access", "jti": uuid.uuid4().hex,
        "iat": int(at.timestamp()), "exp": int((at + timedelta(seconds=access_ttl())).timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid})


def access_ttl() -> int:
    return settings.get("ACCESS_TOKEN_TTL_SECONDS")


def read_access(token: str) -> int:
    """The login id an access token speaks for, or 401."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise Unauthenticated()
    key = signing_keys().get(header.get("kid"))
    if key is None:
        raise Unauthenticated()
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("token_expired")
    except jwt.PyJWTError:  # PyJWT's own text names claims and keys: it stays in our logs, never in answers
        raise Unauthenticated()
    if claims.get("typ") != "access":
        raise Unauthenticated()
    sub = claims["sub"]
    if not isinstance(sub, str) or not SUBJECT.fullmatch(sub) or int(sub) > MAX_LOGIN_ID:
        raise Unauthenticated()  # 2**70 or ١٢ named no row and answered 500
    return int(sub)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_refresh(login_id: int, family: str | None = None, chain_started_at=None) -> str:
    """Store a new refresh token (hashed) in a family, never outliving the chain; the caller commits."""
    token = secrets.token_urlsafe(32)
    at = now()
    started = chain_started_at or at
    db.session.add(RefreshToken(
        login_id=login_id, family=family or uuid.uuid4().hex, token_hash=_digest(token), created_at=at,
        chain_started_at=started,
        expires_at=min(at + timedelta(days=settings.get("REFRESH_TOKEN_TTL_DAYS")), started + CHAIN_LIFETIME),
    ))
    return token


def spend_refresh(token: str) -> RefreshToken:
    """Spend a refresh token once; a spent one presented again revokes its whole family."""
    row = db.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _digest(token or "")))
    at = now()
    if row is None or row.revoked_at is not None or row.expires_at <= at:
        raise Unauthenticated()
    spent = db.session.execute(
        update(RefreshToken).where(RefreshToken.id == row.id, RefreshToken.spent_at.is_(None))
        .values(spent_at=at).execution_options(synchronize_session=False)
    ).rowcount
    if not spent:
        return None  # reuse: the caller revokes the family and commits that before refusing
    return row


def revoke_family(family: str):
    db.session.execute(
        update(RefreshToken).where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now()).execution_options(synchronize_session=False)
    )


def revoke_login(login_id: int) -> int:
    """Revoke every live refresh token of a login (it was unlinked); how many."""
    return db.session.execute(
        update(RefreshToken).where(RefreshToken.login_id == login_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now()).execution_options(synchronize_session=False)
    ).rowcount


def family_of(token: str) -> str | None:
    return db.session.scalar(select(RefreshToken.family).where(RefreshToken.token_hash == _digest(token or "")))


def family_owner(family: str) -> int | None:
    return db.session.scalar(select(RefreshToken.login_id).where(RefreshToken.family == family).limit(1))
