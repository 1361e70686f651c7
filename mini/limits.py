"""Rate limits (Flask-Limiter; counts in Redis when REDIS_URL is set, so every worker and host shares them)."""
from flask import current_app, g, request

from extensions import client_address, limiter
from services.checkout import tickets


def _setting(name):
    return lambda: current_app.config[name]


def _client():
    return "client:" + client_address()


def _person():
    return f"person:{g.person_id}"


def _institution():
    return f"institution:{g.institution_id}"


def _beneficiary():
    """Settlements are counted per patient: the person the ticket was scanned for."""
    body = request.get_json(silent=True)
    ticket = body.get("ticket") if isinstance(body, dict) else None
    person = tickets.holder(ticket) if isinstance(ticket, str) else None
    return f"patient:{person}" if person else _institution()


login = limiter.limit(_setting("RATELIMIT_LOGIN"), key_func=_client, scope="login")
verify = limiter.limit(_setting("RATELIMIT_VERIFY"), key_func=_client, scope="verify")
voucher = limiter.limit(_setting("RATELIMIT_VOUCHER"), key_func=_person, scope="voucher")
offline_voucher = limiter.limit(_setting("RATELIMIT_OFFLINE_VOUCHER"), key_func=_person, scope="offline_voucher")
counter = limiter.shared_limit(_setting("RATELIMIT_COUNTER"), key_func=_institution, scope="counter")
settlement = limiter.limit(_setting("RATELIMIT_SETTLEMENT"), key_func=_beneficiary, scope="settlement")
