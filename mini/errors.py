"""The only place that turns exceptions into HTTP statuses and the contract's error shape."""
import logging
import time

from flask import jsonify
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from extensions import limiter
from services import errors as service

from error_texts import message

log = logging.getLogger(__name__)

# The exception's class decides the status: a new code lands on its family's status without a table entry.
STATUS = {
    service.InvalidRequest: 400, service.Unauthenticated: 401, service.Forbidden: 403, service.NotFound: 404,
    service.Conflict: 409, service.PreconditionFailed: 412, service.Refused: 422,
    service.PreconditionRequired: 428, service.TooManyRequests: 429, service.Unavailable: 503,
}
HTTP_CODES = {400: "invalid_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
              429: "rate_limited"}


def status_of(exc_class) -> int:
    """The status of a ServiceError family; a bare ServiceError (no family chosen) is our bug: 500."""
    return next((STATUS[k] for k in exc_class.__mro__ if k in STATUS), 500)


def error_body(code, text, details=None):
    return {"error": {"code": code, "message": text, "details": details or {}}}


def _answer(status, code, details=None, headers=None):
    """The contract's error shape, its message in the request's language (the code never changes)."""
    resp = jsonify(error_body(code, message(code), details))
    resp.status_code = status
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def flatten(messages, prefix="") -> dict:
    """webargs/marshmallow messages, nested by location and field, as {"items.3.quantity": [...]}."""
    out = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                out.update(flatten(value, name))
            else:
                out[name] = [str(m) for m in value] if isinstance(value, list) else [str(value)]
    return out


def _validation_details(messages) -> dict:
    details = {}
    for location, value in (messages or {}).items():
        if isinstance(value, dict):
            details.update(flatten(value))
        else:
            details["body" if location == "json" else location] = [str(m) for m in value]
    return details


def handle_service_error(exc: service.ServiceError):
    status = status_of(type(exc))
    headers = {"Retry-After": str(getattr(exc, "retry_after", 1))} if status == 429 else {}
    return _answer(status, exc.code, exc.details, headers)


def handle_http_exception(exc: HTTPException):
    if exc.code in (400, 422) and "messages" in (getattr(exc, "data", None) or {}):  # webargs validation
        return _answer(400, "invalid_request", _validation_details(exc.data["messages"]))
    if isinstance(exc, RateLimitExceeded):
        hit = limiter.current_limit
        retry = max(1, int(hit.reset_at - time.time())) if hit else 1
        return _answer(429, "rate_limited", {}, {"Retry-After": str(retry)})
    if exc.code == 400:
        return _answer(400, "invalid_request", _validation_details(
            (getattr(exc, "data", None) or {}).get("messages")) or {"body": [exc.description or "bad request"]})
    code = HTTP_CODES.get(exc.code, "http_error")
    headers = dict(exc.get_headers()) if exc.code == 405 else {}
    headers.pop("Content-Type", None)
    return _answer(exc.code or 500, code, {}, headers)


def handle_database_down(exc: OperationalError):
    """The database is unreachable (restarting, failing over): say so and when to retry; nothing was changed."""
    log.warning("database unavailable: %s", type(exc.orig).__name__ if exc.orig else exc)
    return _answer(503, "service_unavailable", {}, {"Retry-After": "1"})


def handle_unexpected(exc: Exception):
    log.exception("unhandled error")
    return _answer(500, "internal_error")


def register(app):
    app.register_error_handler(service.ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_down)
    if not app.testing:  # a test sees an unexpected exception raised where it happened, not a 500 body
        app.register_error_handler(Exception, handle_unexpected)
