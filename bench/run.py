"""Benchmark: the real service under gunicorn on PostgreSQL and SQLite, driven over loopback; prints figures.

    python -m bench.run [--db both|postgres|sqlite] [--sizes 10000:100000,100000:1000000] [--seconds 15]

Scenarios: (1) scan+settle spread over many beneficiaries, (2) the same, every bill hitting one benefactor,
(3) e-voucher issue, (4) the stack ceiling (bench/ceiling.py, TPC-B debit through SQLAlchemy Core), and
settlement with 1, 3 and 7 helpers. Rate limits are off (they would be what is measured otherwise).
"""
import argparse
import os
import platform
import random
import signal
import subprocess
import sys
import time
import urllib.request

from sqlalchemy import create_engine, func, select, text

os.environ.setdefault("GONGJI_ENV", "development")  # the bench's servers use the dev secret and dev logins

from app import create_app  # noqa: E402
from bench import ceiling, load, population

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
    return url if url.startswith("sqlite") else url.replace("postgresql://", "postgresql+psycopg://", 1)


def populate(url, persons, entries):
    from flask_migrate import upgrade
    from services.db import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        upgrade()
        t0 = time.time()
        roles = population.generate(persons=persons, entries=entries)
        counts = population.counts()
        db.engine.dispose()
    ceiling.prepare(sa_url(url))
    return roles, counts, time.time() - t0


def serve(target, url, port, workers, threads):
    env = dict(os.environ, DATABASE_URL=url, RATELIMIT_ENABLED="false", SECRET_KEY=SECRET_KEY,
               PYTHONPATH=ROOT, VOUCHER_TTL_SECONDS="120")
    proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "gunicorn"), "--workers", str(workers),
                             "--worker-class", "gthread", "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
                             "--log-level", "warning", target], cwd=ROOT, env=env, start_new_session=True)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"{target} did not start")


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


def tokens(port, pids, n=400):
    c = load.Client(port)
    out = []
    for pid in random.Random(1).sample(pids, min(n, len(pids))):
        status, body = c.call("POST", "/api/v1/auth/login", {"code": f"dev:p{pid}"})
        assert status == 200, body
        out.append(body["access_token"])
    return out


def measure(name, port, proc, clients, seconds, step, label):
    results, elapsed = load.run(port, clients, seconds, step)
    s = load.summary(results, elapsed, label)
    s.update(scenario=name, label=label, clients=clients, rss=rss_mb(proc))
    other = [r for r in results if not r[2]]
    if other:
        s["first_error"] = f"{other[0][3]} {other[0][4]}"
    return s, results, elapsed


def bench_one(kind, persons, entries, seconds, clients, workers, threads, port):
    url = fresh_database(kind)
    roles, counts, gen_s = populate(url, persons, entries)
    rows = []
    proc = serve("app:create_app()", url, port, workers, threads)
    try:
        inst, secret = population.INSTITUTION, population.SECRET
        spread, hot = tokens(port, roles["spread"]), tokens(port, roles["hot"])
        need = max(200, seconds * 150)   # more inputs than the run can use
        vouchers = load.prepare(port, clients, need, load.voucher_maker(spread))
        rows.append(measure("(1) scan+settle, spread", port, proc, clients, seconds,
                            load.scan_settle_step(vouchers, inst, secret), "scan+settle")[0])
        tickets = load.prepare(port, clients, need, load.ticket_maker(spread, inst, secret))
        rows.append(measure("(1) settle request alone, spread", port, proc, clients, seconds,
                            load.settle_step(tickets, inst, secret), "settle")[0])
        tickets = load.prepare(port, clients, need, load.ticket_maker(hot, inst, secret))
        rows.append(measure("(2) settle, one hot benefactor", port, proc, clients, seconds,
                            load.settle_step(tickets, inst, secret, amount=100), "settle")[0])

        def voucher_step(c, timings):
            load.timed(timings, "voucher", lambda: c.call("POST", "/api/v1/vouchers",
                                                          headers={"Authorization": "Bearer " + random.choice(spread)}))
        rows.append(measure("(3) e-voucher issue", port, proc, clients, seconds, voucher_step, "voucher")[0])
        for n, members in sorted(roles["cohort"].items()):
            some = max(5, seconds // 2)
            tickets = load.prepare(port, clients, some * 150, load.ticket_maker(tokens(port, members, 200), inst, secret))
            rows.append(measure(f"settle with {n} helper(s)", port, proc, clients, some,
                                load.settle_step(tickets, inst, secret), "settle")[0])
    finally:
        stop(proc)
    proc = serve("bench.ceiling:create_app()", url, port, workers, threads)
    try:
        def tpcb(c, timings):
            load.timed(timings, "tpcb", lambda: c.call("POST", "/tpcb", {}))
        rows.append(measure("(4) ceiling: TPC-B debit, SQLAlchemy Core", port, proc, clients, seconds, tpcb,
                            "tpcb")[0])
    finally:
        stop(proc)
    integrity = check(url)
    return rows, counts, gen_s, integrity


def check(url):
    """After the run: audit holds, no balance below zero, and the hot benefactor was never overdrawn."""
    from services import audit
    from services.db import db
    from services.models import Account
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        failures = audit.run()
        lowest = db.session.scalar(select(func.min(Account.balance_fen)))
        db.engine.dispose()
    return {"audit_failures": len(failures), "lowest_balance_fen": lowest}


def table(kind, persons, entries, rows, counts, gen_s, integrity):
    lines = [f"### {kind}, {counts['persons']:,} persons, {counts['ledger_entries']:,} ledger entries "
             f"(generated in {gen_s:.0f} s)", "",
             "| scenario | clients | requests | errors | req/s | p50 ms | p99 ms | server RSS MiB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if not r.get("requests"):
            continue
        lines.append(f"| {r['scenario']} | {r['clients']} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | "
                     f"{r['p50']:.1f} | {r['p99']:.1f} | {r['rss']:.0f} |")
    settle = next(r for r in rows if r["scenario"] == "(1) settle request alone, spread")
    ceil = next(r for r in rows if r["scenario"].startswith("(4)"))
    lines += ["", f"Settle request (1) / ceiling (4) throughput: **{settle['rps'] / ceil['rps']:.2f}**. "
              f"After the run: audit failures {integrity['audit_failures']}, lowest balance "
              f"{integrity['lowest_balance_fen']} fen.", ""]
    errors = [r for r in rows if r.get("first_error")]
    for r in errors:
        lines.append(f"- first error in {r['scenario']}: `{r['first_error'][:160]}`")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", default="both", choices=("both", "postgres", "sqlite"))
    p.add_argument("--sizes", default="100000:1000000", help="persons:entries[,persons:entries...]")
    p.add_argument("--seconds", type=int, default=15)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--port", type=int, default=5077)
    a = p.parse_args()
    kinds = ("postgres", "sqlite") if a.db == "both" else (a.db,)
    print(f"# Gongji benchmark on {platform.node()}: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, Python "
          f"{platform.python_version()}; gunicorn {a.workers} workers x {a.threads} threads; {a.clients} clients; "
          f"{a.seconds} s per scenario\n", flush=True)
    for kind in kinds:
        for size in a.sizes.split(","):
            persons, entries = (int(x) for x in size.split(":"))
            rows, counts, gen_s, integrity = bench_one(kind, persons, entries, a.seconds, a.clients, a.workers,
                                                       a.threads, a.port)
            print(table(kind, persons, entries, rows, counts, gen_s, integrity), flush=True)


if __name__ == "__main__":
    main()
