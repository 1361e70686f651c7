"""The wrk driver: pre-built (pre-signed, pre-scanned) raw requests replayed by `wrk`, with the CPU each side spent.

wrk is C; its own CPU per request is measured (rusage of the wrk process) and printed beside the server's, so a
reader can see that the driver is not what caps the figures. Server CPU is read from /proc (utime + stime of the
gunicorn master and workers, every thread), PostgreSQL's from the backends connected to the bench database.
"""
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from datetime import timedelta

from services.people.counter_auth import sign

LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "replay.lua")
TICK = os.sysconf("SC_CLK_TCK")


def ensure_wrk():
    """`wrk` from Debian (the bench target installs it when missing)."""
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk")


def raw(method, path, body=None, headers=None):
    """One HTTP/1.1 keep-alive request as bytes, exactly as wrk will send it."""
    data = b"" if body is None else json.dumps(body).encode()
    h = {"Host": "127.0.0.1", "Content-Type": "application/json", "Content-Length": str(len(data)), **(headers or {})}
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n"
    return head.encode() + data


def signed(inst, secret, method, path, body):
    """A counter terminal's request, signed now with its own nonce (good once, for 300 s)."""
    data = json.dumps(body).encode()
    ts, nonce = str(int(time.time())), secrets.token_hex(12)
    return raw(method, path, body, {"X-Institution-Id": inst, "X-Timestamp": ts, "X-Nonce": nonce,
                                    "X-Signature": sign(secret, method, path, ts, nonce, data)})


def _ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])   # utime + stime, every thread of the process
    except OSError:
        return 0


def gunicorn_pids(proc):
    try:
        with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as fh:
            return [proc.pid] + [int(p) for p in fh.read().split()]
    except OSError:
        return [proc.pid]


def postgres_pids(database):
    """Backends serving `database` ("postgres: user db host(port) state"): the bench's own share of PostgreSQL."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    words = fh.read().replace(b"\0", b" ").split()
            except OSError:
                continue
            # "postgres: 15/main: user db host(port) state" (the cluster name is there since PostgreSQL 13)
            if words[:1] == [b"postgres:"] and database.encode() in words[1:4]:
                out.append(int(entry))
    return out


def cpu_seconds(pids):
    return {pid: _ticks(pid) / TICK for pid in pids}


def _spent(before, after):
    return sum(after[p] - before.get(p, 0.0) for p in after)


def run(port, requests, seconds, connections, server, database=None, threads=2, collect=False):
    """Replay `requests` (raw bytes) for `seconds`; returns req/s, p50/p99 ms, errors and CPU ms per request."""
    with tempfile.NamedTemporaryFile("wb", suffix=".req", delete=False) as fh:
        for r in requests:
            fh.write(b"%d\n" % len(r) + r)
    try:
        pids = lambda: gunicorn_pids(server) + (postgres_pids(database) if database else [])  # noqa: E731
        before = cpu_seconds(pids())
        pg_before = set(postgres_pids(database)) if database else set()
        wrk = subprocess.Popen([ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
                                "-s", LUA, f"http://127.0.0.1:{port}", "--", fh.name, str(threads),
                                "tickets" if collect else ""], stdout=subprocess.PIPE, text=True)
        out = wrk.stdout.read()
        _, status, usage = os.wait4(wrk.pid, 0)
        after = cpu_seconds(pids())
    finally:
        os.unlink(fh.name)
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    if line is None or status:
        raise RuntimeError(f"wrk failed ({status}): {out[-2000:]}")
    res = json.loads(line[len("RESULT "):])
    n = max(res["requests"], 1)
    gunicorn = set(gunicorn_pids(server))
    server_s = _spent(before, {p: v for p, v in after.items() if p in gunicorn})
    pg_s = _spent(before, {p: v for p, v in after.items() if p not in gunicorn}) if database else None
    return {"requests": res["requests"], "rps": res["requests"] / (res["duration_us"] / 1e6),
            "p50": res["p50_us"] / 1000, "p99": res["p99_us"] / 1000,
            "errors": res["status_errors"] + res["socket_errors"], "wrapped": res["wrapped"],
            "server_ms": server_s * 1000 / n, "pg_ms": None if pg_s is None else pg_s * 1000 / n,
            "driver_ms": (usage.ru_utime + usage.ru_stime) * 1000 / n, "new_pg_backends": len(
                set(postgres_pids(database)) - pg_before) if database else 0,
            "tickets": res["tickets"].split() if collect else []}


def pre_issue(person_ids, count, ttl=timedelta(hours=1)):
    """`count` e-vouchers for the given persons written straight to the database (untimed); their payloads."""
    from sqlalchemy import insert

    from services.checkout import voucher_codes, vouchers
    from services.clock import now
    from services.db import db
    from services.models import Voucher
    at, rows, payloads = now(), [], []
    for i in range(count):
        vid = voucher_codes.new_id()
        rows.append({"id": vid, "person_id": person_ids[i % len(person_ids)], "issued_at": at,
                     "expires_at": at + ttl})
        payloads.append(vouchers._payload(vouchers.PREFIX, vid, at + ttl))
    db.session.execute(insert(Voucher), rows)
    db.session.commit()
    return payloads


def pre_scan(person_ids, count, institution_id, ttl=timedelta(minutes=10)):
    """`count` tickets (what a scan leaves) for the given persons, written straight to the database; their tokens."""
    from sqlalchemy import insert

    from services.clock import now
    from services.db import db
    from services.models import Ticket
    at = now()
    rows = [{"token": secrets.token_urlsafe(32), "institution_id": institution_id,
             "person_id": person_ids[i % len(person_ids)], "channel": "voucher", "created_at": at,
             "expires_at": at + ttl} for i in range(count)]
    db.session.execute(insert(Ticket), rows)
    db.session.commit()
    return [r["token"] for r in rows]
