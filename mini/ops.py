"""Operations: liveness, readiness and the browsable API document."""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from services.db import db
from services.errors import Unavailable

blp = Blueprint("ops", __name__)


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
        raise Unavailable(message="database unreachable") from None  # 503 in the caller's language
    return jsonify(status="ok")


@blp.get("/api/v1/docs")
def docs():
    return current_app.send_static_file("docs.html")
