"""The Gongji service: create_app() reads settings, wires extensions, the HTTP face and the admin CLI."""
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import cli
import logsafe
import mini
import nhsa
from extensions import babel, limiter, migrate
from mini import language, requestlog
from services import pii
from services.db import configure_engine, db
from services.notify import notifications

DEV_SECRET = "dev-only-secret-never-use-in-production"
PROVIDERS = ("dev", "wechat")
MIN_DISTINCT = 10  # characters a key must use: 32 spaces or one letter 40 times is no secret (docs/security.md)
# Settings with bounds (API.md): a lost phone's offline book must not outlive a day.
LIMITS = {"OFFLINE_VOUCHER_TTL_SECONDS": (1, 86_400)}

# Defaults in code; the environment (the names of API.md) overrides; a test mapping overrides both.
DEFAULTS = {
    "DATABASE_URL": None,
    "SECRET_KEY": None,             # required outside development (DEV_SECRET there)
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "IDENTITY_PROVIDER": None,      # required outside development ("dev" there)
    "VOUCHER_TTL_SECONDS": 60,
    "TICKET_TTL_SECONDS": 600,
    "OFFLINE_VOUCHER_COUNT": 15,                 # one-time codes in an offline book
    "OFFLINE_VOUCHER_TTL_SECONDS": 14_400,       # an offline book's lifetime from issue: 4 h, the way to a pharmacy
    "INVITATION_TTL_HOURS": 24.0,
    "MAX_BENEFICIARIES": 7,
    "REDIS_URL": None,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_LOGIN": "30 per minute",          # per client address
    "RATELIMIT_VERIFY": "10 per minute",         # per client address
    "RATELIMIT_VOUCHER": "20 per minute",        # per person
    "RATELIMIT_OFFLINE_VOUCHER": "10 per minute",  # per person; a phone needs a book every few minutes at most
    "RATELIMIT_COUNTER": "1200 per minute",      # per institution, all counter calls together
    "RATELIMIT_SETTLEMENT": "30 per minute",     # per patient
    "ACCESS_TOKEN_TTL_SECONDS": 900,
    "REFRESH_TOKEN_TTL_DAYS": 30,
    "JWT_KEYS": None,
    "INSTITUTION_SECRETS_KEY": None,
    "PII_KEYS": None,            # kid=base64(32 bytes),...: the first seals ID numbers, all open (services/pii.py)
    "PII_INDEX_KEY": None,       # base64(>= 32 bytes): the HMAC key of the blind index
    "METRICS_TOKEN": None,       # Bearer token for /metrics; production without one serves no /metrics
    "PROXY_HOPS": 0,             # reverse proxies in front that set X-Forwarded-For/-Proto/-Host (ProxyFix)
    "WECHAT_API_BASE": "https://api.weixin.qq.com",
    "WECHAT_APPID": "",
    "WECHAT_SECRET": "",
    "WECHAT_TIMEOUT_SECONDS": 5.0,
    "WECHAT_TEMPLATE_IDS": "",   # kind=template_id,...: the subscribe-message template of each kind told on WeChat
    "WECHAT_MINIPROGRAM_STATE": "formal",   # which mini-program a message opens: developer, trial or formal
    "NOTIFY_ENABLED": None,      # queue and send WeChat messages; default: when IDENTITY_PROVIDER=wechat
    "GONGJI_ENV": "production",     # safe unless told otherwise: make run and the tests say "development"
}


def typed(value, default):
    """A setting as the type of its default, whether the environment (text) or a test mapping gave it."""
    if value is None or default is None:
        return value
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
    return type(default)(value)


def database_uri(url, instance_path):
    """DATABASE_URL, with postgres URLs sent through psycopg 3; by default a SQLite file under instance/.

    libpq's multi-host form (postgresql://u@h1:p1,h2:p2/db?target_session_attrs=read-write, docs/deploy.md) is
    written as SQLAlchemy reads it: postgresql+psycopg://u@/db?host=h1:p1&host=h2:p2&target_session_attrs=..."""
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "gongji.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + _hosts_as_query(url[len(prefix):])
    return url


def _hosts_as_query(rest):
    """u@h1:p1,h2:p2/db?x -> u@/db?host=h1:p1&host=h2:p2&x; a single host stays where it is."""
    login, at, location = rest.rpartition("@")
    hosts, _, path = location.partition("/")
    if "," not in hosts:
        return rest
    database, _, query = path.partition("?")
    return f"{login}{at}/{database}?" + "&".join([f"host={h}" for h in hosts.split(",")] + ([query] if query else []))


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True, static_folder="static", static_url_path="/static")
    app.config.update({name: os.environ.get(name, default) for name, default in DEFAULTS.items()})
    if os.environ.get("FLASK_ENV") == "production":
        app.config["GONGJI_ENV"] = "production"
    app.config.update(test_config or {})
    # Typed once here: services read settings.get(name) as an int, a float or a bool and never cast again.
    app.config.update({name: typed(app.config[name], default) for name, default in DEFAULTS.items()})
    for name, (low, high) in LIMITS.items():
        if not low <= app.config[name] <= high:
            raise RuntimeError(f"{name} must be between {low} and {high:,}")
    if app.config["GONGJI_ENV"] == "development":
        app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or DEV_SECRET
        app.config["IDENTITY_PROVIDER"] = app.config["IDENTITY_PROVIDER"] or "dev"
    else:
        _refuse_unsafe_production(app.config)
    if app.config["IDENTITY_PROVIDER"] not in PROVIDERS:  # exactly: WeChat, DEV or bogus fail closed, not open
        raise RuntimeError(f"IDENTITY_PROVIDER must be exactly one of {', '.join(PROVIDERS)} "
                           f"(dev in development only), not {app.config['IDENTITY_PROVIDER']!r}")
    notify_settings(app.config)
    pii.parse_keys(app.config["PII_KEYS"], app.config["SECRET_KEY"])  # a malformed key stops the start, not a request
    pii.parse_index_key(app.config["PII_INDEX_KEY"], app.config["SECRET_KEY"])
    os.makedirs(app.instance_path, exist_ok=True)

    app.config.setdefault("SQLALCHEMY_DATABASE_URI", database_uri(app.config["DATABASE_URL"], app.instance_path))
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True, "pool_size": 10})
    app.config.update(
        RATELIMIT_STORAGE_URI=app.config["REDIS_URL"] or "memory://",
        RATELIMIT_HEADERS_ENABLED=False,  # Retry-After only on a 429 (mini/errors.py), not on every answer
        MAX_CONTENT_LENGTH=256 * 1024,
        JSON_AS_ASCII=False,
    )
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"), render_as_batch=True)
    logsafe.install()
    requestlog.register(app)  # before the limiter's hook, so a refused request is timed and logged too
    limiter.init_app(app)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", language.DEFAULT)
    babel.init_app(app, locale_selector=language.choose)  # catalogues in translations/ (pybabel compile)
    app.json.ensure_ascii = False

    nhsa.register(app, mini.register(app))
    cli.register(app)
    if app.config["PROXY_HOPS"]:  # the client's address (rate limits, logs) as the trusted proxies saw it
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def notify_settings(config):
    """WECHAT_TEMPLATE_IDS as {kind: template_id}; NOTIFY_ENABLED a bool, on by default with WeChat logins."""
    pairs = [pair.partition("=") for pair in config["WECHAT_TEMPLATE_IDS"].split(",") if pair.strip()]
    if any(not kind.strip() or not template.strip() for kind, _, template in pairs):
        raise RuntimeError("WECHAT_TEMPLATE_IDS must read kind=template_id,...")
    config["WECHAT_TEMPLATE_IDS"] = {kind.strip(): template.strip() for kind, _, template in pairs}
    if set(config["WECHAT_TEMPLATE_IDS"]) - set(notifications.KINDS):
        raise RuntimeError(f"WECHAT_TEMPLATE_IDS names a kind not told on WeChat; kinds: {notifications.KINDS}")
    enabled = config["NOTIFY_ENABLED"]
    config["NOTIFY_ENABLED"] = config["IDENTITY_PROVIDER"] == "wechat" if enabled in (None, "") \
        else typed(enabled, True)


def _refuse_unsafe_production(config):
    """Outside development: a real secret, real signing keys, a named identity provider that is not `dev`."""
    secret = config["SECRET_KEY"]
    if secret in (None, "", DEV_SECRET) or len(secret) < 32 or _guessable(secret):
        raise RuntimeError(f"SECRET_KEY must be set to a random value of at least 32 characters, {MIN_DISTINCT} "
                           "of them different (or set GONGJI_ENV=development on a development machine)")
    if config.get("JWT_KEYS"):
        keys = [pair.partition("=")[2].strip() for pair in config["JWT_KEYS"].split(",")]
        if any(len(key.encode()) < 32 or key == DEV_SECRET or _guessable(key) for key in keys):
            raise RuntimeError(f"every JWT_KEYS key must be a random value of at least 32 bytes, "
                               f"{MIN_DISTINCT} characters of it different")
    if not config["IDENTITY_PROVIDER"]:
        raise RuntimeError("IDENTITY_PROVIDER must be set (wechat) outside development")
    if config["IDENTITY_PROVIDER"] == "dev":
        raise RuntimeError("production must not accept dev:<openid> logins: set IDENTITY_PROVIDER=wechat")
    if not config["PII_KEYS"] or not config["PII_INDEX_KEY"]:
        raise RuntimeError("production needs PII_KEYS and PII_INDEX_KEY: ID numbers are sealed under them")


def _guessable(key: str) -> bool:
    """Too few different characters to be random (whitespace counts for none): `openssl rand -hex 32` has ~16."""
    return len(set(key) - set(" \t\r\n\v\f")) < MIN_DISTINCT
