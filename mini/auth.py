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
        raise Unauthenticated()  # no Authorization: Bearer <access_token>
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


def _signer(remember: bool) -> str:
    """The institution that signed this request (see counter_auth.authenticate)."""
    h = request.headers
    return counter_auth.authenticate(h.get("X-Institution-Id"), h.get("X-Timestamp"), h.get("X-Nonce"),
                                     h.get("X-Signature"), request.method, signed_path(), request.get_data(cache=True),
                                     remember=remember)


def institution_required(fn):
    """A correctly signed, fresh, never-replayed request; g.institution_id is who signed it (its nonce is spent in a
    transaction of its own)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        g.institution_id = _signer(remember=True)
        return fn(*args, **kwargs)

    return Blueprint.doc(security=SIGNED)(wrapper)


def institution_signed(fn):
    """As institution_required, but the view spends the nonce: it gets it as `nonce` and hands it to its use case,
    which records it in its own transaction (one commit per request, not two: docs/performance.md).

    Goes below @blp.response, so that whatever fails here has failed before that use case committed (a refusal, a
    rate limit, a body that does not parse): the nonce is then spent on its own, and a replay answers nonce_reused."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        g.institution_id = _signer(remember=False)
        nonce = request.headers["X-Nonce"]
        try:
            return fn(*args, nonce=nonce, **kwargs)
        except Exception:
            counter_auth.remember_nonce(g.institution_id, nonce)  # a replay's nonce_reused replaces the error
            raise

    return Blueprint.doc(security=SIGNED)(wrapper)
