"""Faults under load: kill -9 a gunicorn worker (and restart PostgreSQL) while counters settle and retry.

Afterwards audit holds, no settlement is half-applied, and every retried order number was charged once.
Bounded: about 10 s of load, then the clients finish their retries.
"""
import http.client
import os
import shutil
import signal
import subprocess
import threading
import time

import pytest
from sqlalchemy import func, select

from services.db import db
from services.models import LedgerEntry, Settlement
from services.money import audit

from . import api, server
from .conftest import PG_URL
from .counter import HttpCounter, items

LOAD_SECONDS = 10


@pytest.fixture
def gunicorn(database_uri_for_test, family, tmp_path):
    with open(tmp_path / "server.log", "wb") as output, server.gunicorn(
            database_uri_for_test, "--workers", "3", "--worker-class", "gthread", "--threads", "4",
            "--graceful-timeout", "5", "--log-level", "error", "app:create_app()", output=output) as running:
        yield running


def phones(client, as_, people):
    """new_voucher_for(who) -> a function giving that person's fresh e-voucher payload (None while unavailable)."""
    headers, lock = {who: as_(who) for who in people}, threading.Lock()

    def new_voucher_for(who):
        def make():
            with lock:  # vouchers come from the test's own app, like a phone would get them
                resp = client.post("/api/v1/vouchers", headers=headers[who])
                if resp.status_code != 201:
                    assert api.error(resp) == (503, "service_unavailable")   # never a 500, even mid-restart
                    return None
                return resp.json["payload"]
        return make
    return new_voucher_for


def settle_with_retries(counter, new_voucher, order_no, bill, log):
    """What a careful counter does: scan, settle, and on any failure retry the same order number."""
    ticket, deadline = None, time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if ticket is None:
                payload = new_voucher()
                if payload is None:   # the phone could not get one either (the database is restarting)
                    time.sleep(0.2)
                    continue
                status, body = counter.call("POST", "/counter/scan", {"voucher": payload})
                if status != 200:
                    time.sleep(0.2)
                    continue
                ticket = body["ticket"]
            status, body = counter.call("POST", "/counter/settlements", {"ticket": ticket, "order_no": order_no,
                                                                        "items": bill})
            if status in (200, 201):
                log.append((order_no, status, body["id"]))
                return
            if status == 422 and body["error"]["code"] == "ticket_invalid":
                ticket = None
        except (OSError, http.client.HTTPException):  # reset or cut short (IncompleteRead) by the killed worker,
            pass                                         # or refused while the database restarts
        time.sleep(0.2)
    log.append((order_no, "gave up", None))


def test_kill_a_worker_and_restart_the_database_mid_run(client, as_, family, gunicorn):
    proc, base = gunicorn
    api.bind(client, as_, "tashi", "father", "parent")
    api.bind(client, as_, "phuntsok", "father", "parent")
    api.bind(client, as_, "tashi", "drolma", "spouse")
    new_voucher_for = phones(client, as_, ("father", "drolma", "gesang"))

    log, stop = [], time.monotonic() + LOAD_SECONDS

    crashed = []

    def clerk(n):
        counter = HttpCounter(base, ("ali-hospital", "ali-pharmacy", "lhasa-pharmacy")[n % 3])
        who = ("father", "drolma", "gesang")[n % 3]
        i = 0
        try:
            while time.monotonic() < stop:
                settle_with_retries(counter, new_voucher_for(who), f"F{n}-{i}", items(("XA0101", 1, 700)), log)
                i += 1
        except BaseException as exc:  # a clerk that dies would hide his unfinished order from the checks
            crashed.append(repr(exc))
            raise

    clerks = [threading.Thread(target=clerk, args=(n,)) for n in range(6)]
    for t in clerks:
        t.start()
    time.sleep(2)
    victim = server.workers_of(proc)[0]
    os.kill(victim, signal.SIGKILL)
    restarted = False
    if PG_URL and shutil.which("pg_ctlcluster"):
        time.sleep(2)
        version = sorted(os.listdir("/etc/postgresql"))[0]
        cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
        try:  # a server with many databases may take minutes to checkpoint on the way down
            subprocess.run(cluster + ["restart", "-m", "fast"], check=True, timeout=300)
        finally:  # never leave the machine's PostgreSQL stopped for the tests after this one
            if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode != 0:
                subprocess.run(cluster + ["start"], timeout=300)
        restarted = True
    for t in clerks:
        t.join(timeout=120)

    assert crashed == []
    assert victim not in server.workers_of(proc) and len(server.workers_of(proc)) == 3   # gunicorn replaced the worker
    assert log and all(status in (200, 201) for _, status, _ in log), [x for x in log if x[1] not in (200, 201)]
    db.session.rollback()
    db.engine.dispose()   # after a database restart our own pooled connections are stale too
    per_order = dict(db.session.execute(select(Settlement.order_no, func.count()).group_by(Settlement.order_no)).all())
    assert set(per_order) == {order for order, _, _ in log} and set(per_order.values()) == {1}
    assert len({sid for _, _, sid in log}) == len(per_order)
    entries = dict(db.session.execute(select(LedgerEntry.settlement_id, func.count())
                                      .where(LedgerEntry.settlement_id.is_not(None))
                                      .group_by(LedgerEntry.settlement_id)).all())
    assert all(n <= 3 for n in entries.values())           # at most own + two helpers: never booked twice
    assert audit.run() == []
    print(f"{len(per_order)} settlements, worker {victim} killed, database restarted: {restarted}")
