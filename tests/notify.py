"""WeChat subscribe messages in tests: the stand-in's settings, a subscribed benefactor, a settlement that tells him,
a real `flask notify run` process."""
import contextlib
import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import select

from services.db import db
from services.models import Outbox

from . import api, fake_wechat
from .conftest import BASE_CONFIG, PG_URL
from .counter import Counter, items, settle

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATES = {"aid_paid": "tmpl-aid", "invitation_accepted": "tmpl-bound", "binding_ended": "tmpl-ended",
             "voucher_by_proxy": "tmpl-proxy", "premium_paid": "tmpl-premium"}
TEMPLATE_IDS = ",".join(f"{k}={v}" for k, v in TEMPLATES.items())


@pytest.fixture
def stand_in(config):
    """WeChat's stand-in on loopback, sending on (logins stay dev:<openid>, so the demo family logs in)."""
    server = fake_wechat.start()
    config.update(NOTIFY_ENABLED=True, WECHAT_TEMPLATE_IDS=TEMPLATE_IDS, WECHAT_APPID=fake_wechat.APPID,
                  WECHAT_SECRET=fake_wechat.SECRET, WECHAT_API_BASE=f"http://127.0.0.1:{server.server_port}",
                  WECHAT_TIMEOUT_SECONDS=2)
    fake_wechat.Handler.reset()
    yield server
    fake_wechat.Handler.hold = None
    server.shutdown()


def subscribe(client, headers, accepted, asked=None, language="zh-CN"):
    resp = client.post(f"{api.API}/notifications/subscriptions", headers={**headers, "Accept-Language": language},
                       json={"template_ids": asked or accepted, "accepted": accepted})
    assert resp.status_code == 200, resp.json
    return resp.json


def aid_settlement(client, as_, order_no="NO-1", fen=1500, bind=True):
    """tashi's account pays `fen` for his father (resident, no account of his own) at the Ali pharmacy."""
    if bind:
        api.bind(client, as_, "tashi", "father", "parent")
    return settle(client, as_, Counter(client, "ali-pharmacy"), "father", order_no, items(("XA0101", 1, fen)))


def outbox():
    """(status, attempts, errcode) of every outbox row, in order."""
    db.session.rollback()
    return db.session.execute(select(Outbox.status, Outbox.attempts, Outbox.errcode).order_by(Outbox.id)).all()


def sender_env(database_uri, stand_in):
    return dict(os.environ, DATABASE_URL=PG_URL or database_uri, SECRET_KEY=BASE_CONFIG["SECRET_KEY"],
                GONGJI_ENV="development", NOTIFY_ENABLED="true", WECHAT_TEMPLATE_IDS=TEMPLATE_IDS,
                WECHAT_APPID=fake_wechat.APPID, WECHAT_SECRET=fake_wechat.SECRET, WECHAT_TIMEOUT_SECONDS="2",
                WECHAT_API_BASE=f"http://127.0.0.1:{stand_in.server_port}", PYTHONPATH=ROOT)


@contextlib.contextmanager
def senders(database_uri, stand_in, count=1, output=None):
    """`count` real `flask --app app notify run` processes on the test's database; SIGKILLed at the end."""
    db.session.rollback()   # the test's own read transaction must not hold SQLite's lock
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "notify", "run", "--idle", "0.05"],
                              cwd=ROOT, env=sender_env(database_uri, stand_in), start_new_session=True,
                              stdout=output, stderr=output) for _ in range(count)]
    try:
        yield procs
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
