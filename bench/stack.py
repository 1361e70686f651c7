"""The stack a benchmark runs against: a fresh database (SQLite file or PostgreSQL), its population, gunicorn."""
import os
import signal
import subprocess
import sys
import time
import urllib.request

from sqlalchemy import create_engine, text

os.environ.setdefault("GONGJI_ENV", "development")  # the bench's servers use the dev secret and dev logins

from app import create_app, database_uri  # noqa: E402
from bench import ceiling, population  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/gongji_bench")
SECRET_KEY = "bench-" + "x" * 40


def fresh_database(kind):
    if kind == "sqlite":
        os.makedirs(OUT, exist_ok=True)
        path = os.path.join(OUT, "bench.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return "sqlite:///" + path
    name = PG_URL.rsplit("/", 1)[1]   # BENCH_PG_URL names the database this run owns (and drops)
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_URL


def sa_url(url):
    return url if url.startswith("sqlite") else database_uri(url, None)   # a multi-host URL too (bench/ha.py)


def populate(url, persons, entries, ceiling_tables=True):
    from flask_migrate import upgrade
    from services.db import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        upgrade()
        t0 = time.time()
        roles = population.generate(persons=persons, entries=entries)
        if app.config["NOTIFY_ENABLED"]:   # NOTIFY_ENABLED=true in the bench's environment: the settle path queues
            from bench import notify
            notify.subscribe_everyone()
        counts = population.counts()
        db.engine.dispose()
    if ceiling_tables:
        ceiling.prepare(sa_url(url))
    settle_down(url)
    return roles, counts, time.time() - t0


def settle_down(url):
    """VACUUM ANALYZE what was just loaded, so autovacuum does not wake up in the middle of a timed run."""
    engine = create_engine(sa_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def serve(target, url, port, workers, threads, root=ROOT):
    """gunicorn serving `target` from the checkout at `root` (bench/settle_ab.py serves two checkouts in turn)."""
    env = dict(os.environ, DATABASE_URL=url, RATELIMIT_ENABLED="false", SECRET_KEY=SECRET_KEY,
               PYTHONPATH=root, VOUCHER_TTL_SECONDS="120")
    proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "gunicorn"), "--workers", str(workers),
                             "--worker-class", "gthread", "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
                             "--log-level", "warning", target], cwd=root, env=env, start_new_session=True,
                            stdout=_log(), stderr=subprocess.STDOUT)   # the access log: kept, out of the tables
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"{target} did not start")


def _log():
    os.makedirs(OUT, exist_ok=True)
    return open(os.path.join(OUT, "server.log"), "ab")


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def rss_mb(proc):
    """Resident memory of gunicorn's master and workers, in MiB."""
    pids = [proc.pid]
    try:
        pids += [int(p) for p in open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()]
    except OSError:
        pass
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024
