"""The HTTP face: one blueprint per noun of the contract, the error handlers, the OpenAPI document."""
from flask import abort
from flask.sessions import SessionInterface
from flask_babel import refresh
from flask_smorest import Api

from . import (assets, checkout, compression, counter, errors, family, helper_order, identity, json_guard, messages,
               metrics, notifications, ops, pages, premiums, proxies, reconciliation, schemas)

PREFIX = "/api/v1"
LANGUAGES = ("Send `Accept-Language: bo` (Tibetan) or `zh-CN` (Chinese, the default): error `message` and message "
             "`text` come in that language; error `code` and message `kind` never change.")


class ContractApi(Api):
    """flask-smorest, documenting the contract's error shape instead of its own."""

    ERROR_SCHEMA = schemas.ErrorSchema


class NoCookieSession(SessionInterface):
    """Nothing here keeps a cookie session (a token or a signature says who asks): none is opened per request."""

    def open_session(self, app, request):
        return None  # Flask then hands out its empty null session

    def save_session(self, app, session, response):
        pass


def refuse_nul_in_path(endpoint, values):
    """A path segment with NUL names nothing we hold (PostgreSQL text cannot even store it): 404."""
    if any(isinstance(v, str) and "\x00" in v for v in (values or {}).values()):
        abort(404)


def register(app):
    app.session_interface = NoCookieSession()
    app.url_value_preprocessor(refuse_nul_in_path)
    app.before_request(refresh)  # Flask-Babel keeps the language in g, which requests share in a pushed app context
    app.before_request(json_guard.refuse_hostile_headers)
    app.before_request(json_guard.refuse_hostile_json)
    app.config.update(
        API_TITLE="Gongji family mutual aid (家庭共济)", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=PREFIX, OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs", OPENAPI_SWAGGER_UI_URL=ops.SWAGGER_UI_URL,  # the page at /api/v1/docs
        API_SPEC_OPTIONS={"info": {"description": LANGUAGES}, "components": {"securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "institutionSignature": {"type": "apiKey", "in": "header", "name": "X-Signature",
                                     "description": "HMAC-SHA256 request signature; see API.md"},
        }}},
    )
    api = ContractApi(app)
    for module in (identity, family, helper_order, messages, notifications, checkout, counter, reconciliation,
                   premiums, proxies):
        api.register_blueprint(module.blp, url_prefix=PREFIX)
    app.register_blueprint(ops.blp)
    app.register_blueprint(ops.swagger_ui)
    app.register_blueprint(metrics.blp)
    app.register_blueprint(pages.blp)
    assets.register(app)
    compression.register(app)
    errors.register(app)  # after Api(app), so ours replace flask-smorest's default handler
    return api
