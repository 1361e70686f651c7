"""The only place that turns exceptions into HTTP statuses and the contract's error shape."""
import logging
import time

from flask import jsonify
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from extensions import limiter
from services.errors import ServiceError

log = logging.getLogger(__name__)

STATUS = {
    "invalid_request": 400,
    "unauthenticated": 401, "token_expired": 401, "bad_signature": 401, "stale_timestamp": 401,
    "nonce_reused": 401, "unknown_institution": 401,
    "verification_required": 403, "forbidden": 403,
    "not_found": 404,
    "already_linked": 409, "already_bound": 409, "invitation_not_pending": 409, "voucher_used": 409,
    "ticket_used": 409, "idempotency_conflict": 409, "already_paid": 409, "request_in_progress": 409,
    "precondition_failed": 412, "precondition_required": 428,
    "rate_limited": 429,
    "service_unavailable": 503,
}
HTTP_CODES = {400: "invalid_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
              429: "rate_limited"}


def error_body(code, message, details=None):
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _answer(status, code, message, details=None, headers=None):
    resp = jsonify(error_body(code, message, details))
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


def handle_service_error(exc: ServiceError):
    status = STATUS.get(exc.code, 422)
    headers = {}
    if status == 429:
        headers["Retry-After"] = str(getattr(exc, "retry_after", 1))
    return _answer(status, exc.code, exc.message, exc.details, headers)


def handle_http_exception(exc: HTTPException):
    if exc.code in (400, 422) and "messages" in (getattr(exc, "data", None) or {}):  # webargs validation
        return _answer(400, "invalid_request", "the request is not valid",
                       _validation_details(exc.data["messages"]))
    if isinstance(exc, RateLimitExceeded):
        hit = limiter.current_limit
        retry = max(1, int(hit.reset_at - time.time())) if hit else 1
        return _answer(429, "rate_limited", "too many requests; slow down", {}, {"Retry-After": str(retry)})
    if exc.code == 400:
        return _answer(400, "invalid_request", "the request is not valid", _validation_details(
            (getattr(exc, "data", None) or {}).get("messages")) or {"body": [exc.description or "bad request"]})
    code = HTTP_CODES.get(exc.code, "http_error")
    headers = dict(exc.get_headers()) if exc.code == 405 else {}
    headers.pop("Content-Type", None)
    return _answer(exc.code or 500, code, exc.description or code.replace("_", " "), {}, headers)


def handle_database_down(exc: OperationalError):
    """The database is unreachable (restarting, failing over): say so and when to retry; nothing was changed."""
    log.warning("database unavailable: %s", type(exc.orig).__name__ if exc.orig else exc)
    return _answer(503, "service_unavailable", "the service is briefly unavailable; try again", {},
                   {"Retry-After": "1"})


def handle_unexpected(exc: Exception):
    log.exception("unhandled error")
    return _answer(500, "internal_error", "something went wrong on our side; the request changed nothing")


def register(app):
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
