"""Who is asking: citizens by Bearer access token, institutions by signed request (see counter_auth)."""
import functools

from flask import g, request
from flask_smorest import Blueprint

from services.errors import Unauthenticated
from services.people import counter_auth, identity, tokens

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
    return _signed(fn, in_use_case=False)


def institution_signed_use_case(fn):
    """As institution_required, but the view's use case records the nonce in its own transaction (with_nonce).

    Should the view fail before that transaction committed, the nonce is remembered on its own: a failed request
    still spends its nonce, and a replay still answers nonce_reused."""
    return _signed(fn, in_use_case=True)


def _signed(fn, in_use_case):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        h = request.headers
        g.institution_id = counter_auth.authenticate(
            h.get("X-Institution-Id"), h.get("X-Timestamp"), h.get("X-Nonce"), h.get("X-Signature"),
            request.method, signed_path(), request.get_data(cache=True), remember=not in_use_case)
        g.nonce = h.get("X-Nonce") if in_use_case else None
        try:
            return fn(*args, **kwargs)
        except BaseException:
            if g.nonce is not None:
                counter_auth.remember_nonce(g.institution_id, g.nonce)  # a replay's nonce_reused replaces the error
            raise

    return Blueprint.doc(security=SIGNED)(wrapper)


def with_nonce(use_case, *args, **kwargs):
    """Run a use case that records this request's nonce in its transaction; once it has returned, it has."""
    result = use_case(*args, nonce=g.nonce, **kwargs)
    g.nonce = None
    return result
