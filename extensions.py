"""Extension objects, created unbound and attached in create_app()."""
from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_migrate import Migrate


def client_address():
    """The client's address as the trusted proxies saw it (ProxyFix), the key of per-client limits."""
    return request.remote_addr or "unknown"


babel = Babel()
migrate = Migrate()
limiter = Limiter(key_func=client_address, default_limits=[])
