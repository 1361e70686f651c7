"""Who is asking: citizens by Bearer access token, institutions by signed request (see counter_auth)."""
import functools

from flask import g, request
from flask_smorest import Blueprint

from services import identity, tokens
from services.errors import Unauthenticated

BEARER = [{"bearerAuth": []}]


def bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(message="send the header Authorization: Bearer <access_token>")
    return token.strip()


def login_required(fn):
    """A valid access token; g.login_id is the login it speaks for (not necessarily verified)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        g.login_id = tokens.read_access(bearer_token())
        return fn(*args, **kwargs)

    return Blueprint.doc(security=BEARER)(wrapper)


def citizen_required(fn):
    """A valid access token of a login linked to an insured person; g.person_id is that person."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        g.login_id = tokens.read_access(bearer_token())
        g.person_id = identity.person_id_of(g.login_id)
        return fn(*args, **kwargs)

    return Blueprint.doc(security=BEARER)(wrapper)
