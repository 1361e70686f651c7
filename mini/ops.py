"""Operations: liveness, readiness and the files of the browsable API document.

flask-smorest serves the page itself (Swagger UI at /api/v1/docs, mini/__init__.py); its scripts and styles come
from the pinned swagger-ui-bundle package, served here from our own origin: Ali's networks reach no CDN."""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from swagger_ui_bundle import swagger_ui_path

from services.db import db
from services.errors import Unavailable

blp = Blueprint("ops", __name__)
SWAGGER_UI_URL = "/api/v1/docs/ui/"  # OPENAPI_SWAGGER_UI_URL: where the page loads swagger-ui-bundle.js and its CSS
swagger_ui = Blueprint("swagger_ui", __name__, static_folder=str(swagger_ui_path), static_url_path=SWAGGER_UI_URL)


@blp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception:  # the database is down: say so, do not crash
        current_app.logger.warning("readiness check failed", exc_info=True)
        raise Unavailable() from None  # 503 in the caller's language
    return jsonify(status="ok")

