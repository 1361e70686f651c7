"""Hostile JSON is refused before anything parses it: Python's parser would recurse or convert without end."""
import re

from flask import current_app, request

from services.errors import InvalidRequest

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


def refuse_hostile_json():
    """400 invalid_request for nesting deeper than 32 levels or a number of more than 4,300 digits."""
    if not request.is_json or getattr(current_app.view_functions.get(request.endpoint), "own_json", False):
        return  # a view that parses its own body answers hostile JSON in its own shape (the national interface)
    raw = request.get_data(cache=True)
    if _LONG_NUMBER.search(raw):
        raise InvalidRequest(details={"body": [f"numbers have at most {MAX_DIGITS} digits"]})
    # Only a body with more brackets than the limit can nest past it: the others skip the scan.
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(raw.decode("utf-8", "replace")) > MAX_DEPTH:
        raise InvalidRequest(details={"body": [f"JSON nests at most {MAX_DEPTH} levels deep"]})
