"""Hostile JSON is refused before anything parses it: Python's parser would recurse or convert without end.

No string a client sends reaches a view with a lone surrogate (UTF-8 cannot encode it: every encode() would fail)
or, in JSON, a control character other than tab, CR and LF (API.md v1.2 "Trust, round two")."""
import re

from flask import current_app, request

from services.errors import InvalidRequest, Unauthenticated

MAX_DEPTH = 32
MAX_DIGITS = 4300  # CPython's own limit for turning digits into an int
_LONG_NUMBER = re.compile(rb"[0-9]{%d}" % (MAX_DIGITS + 1))


def _depth(text: str) -> int:
    """How deep arrays and objects nest, brackets inside strings aside."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _own_shape() -> bool:
    """A view that parses its own request answers hostile input in its own shape (the national interface)."""
    return getattr(current_app.view_functions.get(request.endpoint), "own_json", False)


def refuse_hostile_json():
    """400 invalid_request for nesting deeper than 32 levels, a number of more than 4,300 digits, or a string with a
    lone surrogate or a control character (401 where the body is a credential)."""
    if not request.is_json or _own_shape():
        return
    raw = request.get_data(cache=True)
    if _LONG_NUMBER.search(raw):
        raise InvalidRequest(details={"body": [f"numbers have at most {MAX_DIGITS} digits"]})
    # Only a body with more brackets than the limit can nest past it: the others skip the scan.
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(raw.decode("utf-8", "replace")) > MAX_DEPTH:
        raise InvalidRequest(details={"body": [f"JSON nests at most {MAX_DEPTH} levels deep"]})
    # Only an escape (\ud800, \u0000, \b) brings either in: the parser refuses them raw. Bodies without such an
    # escape (Chinese written \u963f included) skip the walk; a surrogate pair (an emoji) is walked and passes.
    if _BAD_ESCAPE.search(raw) and any(_BAD_IN_JSON.search(s) for s in _strings(request.get_json(silent=True))):
        raise _refusal(request.endpoint in CREDENTIAL_ENDPOINTS, "body",
                       "strings hold no lone surrogate and no control character but tab, CR and LF")


# Where the body is a credential (a login code, a refresh token), a bad string is a bad credential: 401.
CREDENTIAL_ENDPOINTS = {"identity.login", "identity.refresh", "identity.logout"}
CREDENTIAL_HEADERS = {"authorization", "x-institution-id", "x-timestamp", "x-nonce", "x-signature"}
_BAD_IN_JSON = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD_ESCAPE = re.compile(rb"\\(?:u(?:[dD][89a-fA-F]|00[01]|007[fF])|[bf])")


def _strings(value):
    """Every string of a parsed JSON document, keys too (its depth is already bounded)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _refusal(credential: bool, where: str, why: str):
    if credential:
        return Unauthenticated()
    return InvalidRequest(details={where: [why]})


def refuse_hostile_headers():
    """A header with a lone surrogate (a server decodes headers as Latin-1, so only a WSGI caller can send one):
    400, or 401 for the headers that carry a token or a signature."""
    if _own_shape():
        return
    for name, value in request.headers.items():
        if _SURROGATE.search(value):
            raise _refusal(name.lower() in CREDENTIAL_HEADERS, name, "a header holds no lone surrogate")
