"""Reconciliation scenario: a counter's daily 对账 requests against a table of a million settlements.

    python -m bench.reconcile [--db postgres|sqlite] [--settlements 1000000] [--seconds 15]

The settlements are spread over a year and ten institutions (about 270 per institution and day, a busy
pharmacy); each request asks one institution's totals, first page of details, or a check, for a random day.
"""
import argparse
import random
import time
from datetime import timedelta

from app import create_app
from bench import load, population
from bench.stack import SECRET_KEY, fresh_database, populate, rss_mb, sa_url, serve, stop
from services.clock import china_today
from services.people import institutions

INSTITUTIONS = [population.INSTITUTION] + [f"bench-ali-{k}" for k in range(1, 10)]
DAYS = 365


def fill(url, count):
    """A small population (for its institution and a patient), then `count` settlements in one statement."""
    populate(url, 1000, 1000)
    from services.db import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        for inst in INSTITUTIONS[1:]:
            institutions.upsert(inst, f"基准测试药房{inst[-1]}", "542523", False, population.SECRET)
        t0 = time.time()
        population.settlements(count, INSTITUTIONS, patient_id=1, days=DAYS)
        seconds = time.time() - t0
        db.engine.dispose()
    return seconds


def step(kind):
    """One signed reconciliation request of `kind` for a random institution and a random day of the year."""
    today = china_today()

    def run(c, timings):
        inst, day = random.choice(INSTITUTIONS), today - timedelta(days=random.randrange(1, DAYS))
        if kind == "check":
            body = {"date": day.isoformat(), "settled": {"count": 270, "total_fen": 1, "own_account_fen": 0,
                                                         "mutual_aid_fen": 0}}
            call = lambda: c.signed(inst, population.SECRET, "POST", "/api/v1/counter/reconciliation", body)  # noqa
        else:
            path = "/api/v1/counter/reconciliation" + ("/details" if kind == "details" else "") + f"?date={day}"
            call = lambda: c.signed(inst, population.SECRET, "GET", path)  # noqa: E731
        load.timed(timings, kind, call)
    return run


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", default="postgres", choices=("postgres", "sqlite"))
    p.add_argument("--settlements", type=int, default=1_000_000)
    p.add_argument("--seconds", type=int, default=15)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--port", type=int, default=5078)
    a = p.parse_args()
    url = fresh_database(a.db)
    gen_s = fill(url, a.settlements)
    print(f"### reconciliation, {a.db}, {a.settlements:,} settlements over {DAYS} days and {len(INSTITUTIONS)} "
          f"institutions (inserted in {gen_s:.0f} s); {a.clients} clients, {a.seconds} s each\n")
    print("| request | requests | errors | req/s | p50 ms | p99 ms | server RSS MiB |\n|---|---:|---:|---:|---:|---:|---:|")
    proc = serve("app:create_app()", url, a.port, a.workers, a.threads)
    try:
        for kind, label in (("summary", "GET /counter/reconciliation"),
                            ("details", "GET /counter/reconciliation/details (first page)"),
                            ("check", "POST /counter/reconciliation")):
            results, elapsed = load.run(a.port, a.clients, a.seconds, step(kind))
            s = load.summary(results, elapsed, kind)
            print(f"| {label} | {s['requests']} | {s['errors']} | {s['rps']:.0f} | {s['p50']:.1f} | "
                  f"{s['p99']:.1f} | {rss_mb(proc):.0f} |", flush=True)
            bad = [r for r in results if not r[2]]
            if bad:
                print(f"\nfirst error: {bad[0][3]} {str(bad[0][4])[:160]}\n")
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
