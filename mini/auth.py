"""Who is asking: citizens by Bearer access token, institutions by signed request (see counter_auth)."""
import functools

from flask import g, request
from flask_smorest import Blueprint

from services import counter_auth, identity, tokens
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


SIGNED = [{"institutionSignature": []}]


def signed_path() -> str:
    """The path as the terminal sent it (raw, with the query string only when there is one)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        return raw
    query = request.query_string.decode("latin-1")
    return request.path + ("?" + query if query else "")


def institution_required(fn):
    """A correctly signed, fresh, never-replayed request; g.institution_id is who signed it."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        h = request.headers
        g.institution_id = counter_auth.authenticate(
            h.get("X-Institution-Id"), h.get("X-Timestamp"), h.get("X-Nonce"), h.get("X-Signature"),
            request.method, signed_path(), request.get_data(cache=True))
        return fn(*args, **kwargs)

    return Blueprint.doc(security=SIGNED)(wrapper)
