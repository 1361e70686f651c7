"""Every answered request: an X-Request-Id (the caller's, or a new one), a JSON log line and its metrics.

The route is the URL rule (/api/v1/invitations/<code>/accept), never the raw path: codes and order numbers
stay out of logs and out of metric labels.
"""
import logging
import re
import time
import uuid

from flask import g, request

from . import metrics

log = logging.getLogger("gongji.request")
GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def method() -> str:
    """The request's method, or OTHER: a client may send any token there, an ID number included."""
    return request.method if request.method in METHODS else "OTHER"


def route() -> str:
    return request.url_rule.rule if request.url_rule is not None else "<unmatched>"


def start():
    g.started = time.perf_counter()
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if GOOD_ID.match(given) else uuid.uuid4().hex


def finish(response):
    seconds = time.perf_counter() - g.get("started", time.perf_counter())
    response.headers["X-Request-Id"] = g.get("request_id", "")
    metrics.observe(method(), route(), response.status_code, seconds)
    log.info("%s %s %s", method(), route(), response.status_code, extra={
        "request_id": g.get("request_id"), "method": method(), "route": route(),
        "status": response.status_code, "duration_ms": round(seconds * 1000, 1),
        "person_id": g.get("person_id"), "institution_id": g.get("institution_id"),
        "masked": True})  # method, URL rule and status: nothing in it to mask
    return response


def register(app):
    app.before_request(start)
    app.after_request(finish)
