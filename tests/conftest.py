"""Fixtures: a fresh database per test (SQLite by default, PostgreSQL when DATABASE_URL says so)."""
import os
import shutil
import threading

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.serving import make_server

from app import create_app, database_uri
from services.db import db

from . import factory, fake_wechat
from .clock import Clock
from .counter import Counter

# The tests run in development (so do the servers they start); tests of production settings say so themselves.
os.environ.setdefault("GONGJI_ENV", "development")
PG_URL = os.environ.get("DATABASE_URL")
BASE_CONFIG = {"TESTING": True, "RATELIMIT_ENABLED": False, "PUBLIC_BASE_URL": "https://gongji.test",
               "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789"}


def make_app(uri, **config):
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": uri, **config})


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate once per session: a template SQLite file, or the PostgreSQL schema."""
    if PG_URL:
        uri = database_uri(PG_URL, None)
        app = make_app(uri)
        with app.app_context():
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
            upgrade()
            db.engine.dispose()
        return uri
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def database_uri_for_test(database_template, tmp_path):
    """A URI to an empty, migrated database for this test alone."""
    if PG_URL:
        app = make_app(database_template)
        with app.app_context():
            names = [t.name for t in reversed(db.metadata.sorted_tables)]
            db.session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
            db.session.commit()
            db.engine.dispose()
        return database_template
    path = tmp_path / "test.sqlite3"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def empty_database(database_template, tmp_path):
    """An empty, unmigrated database of its own (a separate schema on PostgreSQL)."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    admin = make_app(database_template)
    with admin.app_context():
        db.session.execute(text("DROP SCHEMA IF EXISTS empty_schema CASCADE; CREATE SCHEMA empty_schema"))
        db.session.commit()
        yield database_template + "?options=-csearch_path%3Dempty_schema"
        db.session.execute(text("DROP SCHEMA empty_schema CASCADE"))
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def config():
    """Per-test settings; a test overrides by updating this mapping before using `app`."""
    return {}


class ServedClient(FlaskClient):
    """Each request in an app context of its own, as when served: its own `g` and session, removed after it.

    The test's own context then ends its transaction, so the test's next read sees what the request committed."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():   # a thread of the test's own has none to refresh
            db.session.rollback()
        return response


@pytest.fixture
def app(database_uri_for_test, config):
    """The app, with an app context for the test's own reads and service calls (requests get their own)."""
    app = make_app(database_uri_for_test, **config)
    app.test_client_class = ServedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def family(app):
    """The demo family, institutions, catalogue and schedules, loaded through the services."""
    return factory.seed_demo()


@pytest.fixture
def as_(client, family):
    """as_('tashi') -> headers of a logged-in demo citizen."""
    cache = {}

    def headers(openid):
        if openid not in cache:
            cache[openid] = factory.bearer(client, openid)
        return cache[openid]

    return headers


@pytest.fixture
def server(app):
    """The app served over real HTTP on loopback (threads), for concurrent clients."""
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


@pytest.fixture
def wechat(config):
    """IDENTITY_PROVIDER=wechat against the fake platform on loopback."""
    server = fake_wechat.start()
    config.update(IDENTITY_PROVIDER="wechat", WECHAT_APPID=fake_wechat.APPID, WECHAT_SECRET=fake_wechat.SECRET,
                  WECHAT_API_BASE=f"http://127.0.0.1:{server.server_port}", WECHAT_TIMEOUT_SECONDS=2)
    fake_wechat.Handler.reset()
    yield server
    server.shutdown()


@pytest.fixture
def clock(monkeypatch):
    """clock.set(moment): the services' time; log citizens in before moving it (their tokens use real time)."""
    return Clock(monkeypatch)


@pytest.fixture
def ali(client):
    """The demo pharmacy's counter terminal in Gar (Ali), signing every request with its secret."""
    return Counter(client, "ali-pharmacy")
