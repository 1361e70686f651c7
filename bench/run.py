"""Benchmark: the real service under gunicorn on PostgreSQL and SQLite, driven over loopback; prints figures.

    python -m bench.run [--db both|postgres|sqlite] [--sizes 10000:100000,100000:1000000] [--seconds 15]

Scenarios: (1) scan+settle spread over many beneficiaries (and (1n) the national interface's 2102 for the same
bills), (2) the same, every bill hitting one benefactor,
(3) e-voucher issue, (4) the stack ceiling (bench/ceiling.py, TPC-B debit through SQLAlchemy Core), and
settlement with 1, 3 and 7 helpers. Rate limits are off (they would be what is measured otherwise).
"""
import argparse
import os
import platform
import random
import time

from sqlalchemy import func, select

os.environ.setdefault("GONGJI_ENV", "development")  # the bench's servers use the dev secret and dev logins

from app import create_app  # noqa: E402
from bench import load, nhsa, population, profiles, wrk
from bench.stack import SECRET_KEY, fresh_database, populate, rss_mb, sa_url, serve, stop  # noqa: E402


def tokens(port, pids, n=400):
    c = load.Client(port)
    out = []
    for pid in random.Random(1).sample(pids, min(n, len(pids))):
        for _ in range(20):   # a 503 while the shared PostgreSQL restarts (other runs' fault tests): ask again
            status, body = c.call("POST", "/api/v1/auth/login", {"code": f"dev:p{pid}"})
            if status != 503:
                break
            time.sleep(1)
        assert status == 200, body
        out.append(body["access_token"])
    return out


def measure(name, port, proc, clients, seconds, requests, database=None, collect=False):
    r = wrk.run(port, requests, seconds, clients, proc, database, collect=collect)
    r.update(scenario=name, clients=clients, rss=rss_mb(proc))
    return r


def _settles(inst, secret, tickets, amount=300):
    return [wrk.signed(inst, secret, "POST", "/api/v1/counter/settlements", load.bill(t, amount)) for t in tickets]


def bench_one(kind, persons, entries, seconds, clients, workers, threads, port, profile=None):
    from services.db import db
    url = fresh_database(kind)
    roles, counts, gen_s = populate(url, persons, entries)
    counts["load_before"] = load_average()
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    database = None if kind == "sqlite" else url.rsplit("/", 1)[1]
    need = seconds * 1500   # more than a run can use: a signed request is good once
    inst, secret = population.INSTITUTION, population.SECRET
    rows = [ceiling_row(url, port, workers, threads, clients, seconds, database, "first")]
    proc = serve("app:create_app()", url, port, workers, threads)
    try:
        bearer = tokens(port, roles["spread"])
        with app.app_context():
            payloads = wrk.pre_issue(roles["spread"], need)
            scans = [wrk.signed(inst, secret, "POST", "/api/v1/counter/scan", {"voucher": v}) for v in payloads]
            scan = measure("(1) scan", port, proc, clients, seconds, scans, database, collect=True)
            tickets = scan.pop("tickets") + wrk.pre_scan(roles["spread"], need, inst)
            settle = measure("(1) settle request alone, spread", port, proc, clients, seconds,
                             _settles(inst, secret, tickets), database)
            rows += [combined("(1) scan+settle, spread (scan then settle)", scan, settle), scan, settle]
            opened = nhsa.pre_open(roles["spread"], need, inst)
            rows.append(measure("(1n) 2102 settle (national interface), spread", port, proc, clients, seconds,
                                nhsa.settles(inst, secret, opened), database))
            hot = wrk.pre_scan(roles["hot"], need, inst)
            rows.append(measure("(2) settle, one hot benefactor", port, proc, clients, seconds,
                                _settles(inst, secret, hot, amount=100), database))
            issue = [wrk.raw("POST", "/api/v1/vouchers", None, {"Authorization": "Bearer " + t}) for t in bearer]
            rows.append(measure("(3) e-voucher issue", port, proc, clients, seconds, issue, database))
            rows[-1]["wrapped"] = 0   # the same logins ask again and again, as phones do
            for n, members in sorted(roles["cohort"].items()):
                cohort = wrk.pre_scan(members, need, inst)
                rows.append(measure(f"settle with {n} helper(s)", port, proc, clients, seconds,
                                    _settles(inst, secret, cohort), database))
            if profile:
                spread = wrk.pre_scan(roles["spread"], need, inst)
                profiles.record(proc, profile, seconds, lambda: wrk.run(
                    port, _settles(inst, secret, spread), seconds, clients, proc))
                opened = nhsa.pre_open(roles["spread"], need, inst)   # and the 2102 beside it
                profiles.record(proc, profile + "-2102", seconds, lambda: wrk.run(
                    port, nhsa.settles(inst, secret, opened), seconds, clients, proc))
            db.engine.dispose()
    finally:
        stop(proc)
    rows.append(ceiling_row(url, port, workers, threads, clients, seconds, database, "last"))
    integrity = check(url)
    return rows, counts, gen_s, integrity


def ceiling_row(url, port, workers, threads, clients, seconds, database, when):
    """The stack's ceiling on the same setup; run first and last, the ratio is taken against the higher."""
    proc = serve("bench.ceiling:create_app()", url, port, workers, threads)
    try:
        row = measure(f"(4) ceiling: TPC-B debit, SQLAlchemy Core ({when})", port, proc, clients, seconds,
                      [wrk.raw("POST", "/tpcb", {})] * 64, database)
        row["wrapped"] = 0   # one request, repeated on purpose
        return row
    finally:
        stop(proc)


def combined(name, scan, settle):
    """A patient's whole visit: one scan and one settle in sequence (from the two runs; no percentiles)."""
    return {"scenario": name, "clients": scan["clients"], "requests": min(scan["requests"], settle["requests"]),
            "errors": scan["errors"] + settle["errors"], "rps": 1 / (1 / scan["rps"] + 1 / settle["rps"]),
            "p50": None, "p99": None, "server_ms": scan["server_ms"] + settle["server_ms"],
            "pg_ms": None if scan["pg_ms"] is None else scan["pg_ms"] + settle["pg_ms"],
            "driver_ms": scan["driver_ms"] + settle["driver_ms"], "rss": settle["rss"], "wrapped": 0}


def check(url):
    """After the run: audit holds, no balance below zero, and the hot benefactor was never overdrawn."""
    from services.db import db
    from services.models import Account
    from services.money import audit
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        failures = audit.run()
        lowest = db.session.scalar(select(func.min(Account.balance_fen)))
        db.engine.dispose()
    return {"audit_failures": len(failures), "lowest_balance_fen": lowest}


def _ms(v):
    return "—" if v is None else f"{v:.1f}"


def table(kind, persons, entries, rows, counts, gen_s, integrity):
    lines = [f"### {kind}, {counts['persons']:,} persons, {counts['ledger_entries']:,} ledger entries "
             f"(generated in {gen_s:.0f} s; load average before the scenarios: {counts['load_before']})", "",
             "| scenario | clients | requests | errors | req/s | p50 ms | p99 ms | server CPU ms/req | "
             "PostgreSQL CPU ms/req | wrk CPU ms/req | server RSS MiB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['scenario']} | {r['clients']} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | "
                     f"{_ms(r['p50'])} | {_ms(r['p99'])} | {r['server_ms']:.2f} | "
                     f"{'—' if r['pg_ms'] is None else format(r['pg_ms'], '.2f')} | {r['driver_ms']:.3f} | "
                     f"{r['rss']:.0f} |")
    settle = next(r for r in rows if r["scenario"] == "(1) settle request alone, spread")
    ceil = max((r for r in rows if r["scenario"].startswith("(4)")), key=lambda r: r["rps"])
    n2102 = next(r for r in rows if r["scenario"].startswith("(1n)"))
    lines += ["", f"Settle request (1) / ceiling (4, the higher of its two runs) throughput: "
              f"**{settle['rps'] / ceil['rps']:.2f}**. 2102 / settle request server CPU per request: "
              f"**{n2102['server_ms'] / settle['server_ms']:.2f}×**. "
              f"After the run: audit failures {integrity['audit_failures']}, lowest balance "
              f"{integrity['lowest_balance_fen']} fen; load average after: {load_average()}.", ""]
    for r in rows:
        if r.get("wrapped"):
            lines.append(f"- {r['scenario']}: ran out of prepared requests ({r['wrapped']} replays, counted as errors)")
    return "\n".join(lines)


def load_average():
    return " / ".join(open("/proc/loadavg").read().split()[:3])


def stack_options(description):
    """The options every run of the stack takes (bench/settle_ab.py too): databases, length, clients, gunicorn."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--db", default="both", choices=("both", "postgres", "sqlite"))
    p.add_argument("--seconds", type=int, default=15)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--port", type=int, default=5077)
    p.add_argument("--sqlite-workers", type=int, default=1, help="the embedded default's setup (make run)")
    p.add_argument("--sqlite-threads", type=int, default=8)
    return p


def main():
    p = stack_options(__doc__.split("\n")[0])
    p.add_argument("--sizes", default="100000:1000000", help="persons:entries[,persons:entries...]")
    p.add_argument("--profile", help="also record one settle run and one 2102 run with py-spy; their tops go to "
                   "PROFILE-<db>.txt and PROFILE-<db>-2102.txt")
    a = p.parse_args()
    kinds = ("postgres", "sqlite") if a.db == "both" else (a.db,)
    print(f"# Gongji benchmark on {platform.node()}: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, Python "
          f"{platform.python_version()}; gunicorn {a.workers} workers x {a.threads} threads on PostgreSQL, "
          f"{a.sqlite_workers} x {a.sqlite_threads} on SQLite; wrk, {a.clients} connections; {a.seconds} s per scenario\n", flush=True)
    for kind in kinds:
        for size in a.sizes.split(","):
            persons, entries = (int(x) for x in size.split(":"))
            workers, threads = (a.sqlite_workers, a.sqlite_threads) if kind == "sqlite" else (a.workers, a.threads)
            rows, counts, gen_s, integrity = bench_one(kind, persons, entries, a.seconds, a.clients, workers,
                                                       threads, a.port, a.profile and f"{a.profile}-{kind}")
            print(table(kind, persons, entries, rows, counts, gen_s, integrity), flush=True)


if __name__ == "__main__":
    main()
