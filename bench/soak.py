"""The soak (not CI): settlements through gunicorn while its workers are killed with SIGKILL, then the checks.

    python -m bench.soak [--settlements 10000] [--families 2000] [--kills 20]   # PostgreSQL (BENCH_PG_URL)

Clerks settle with retries exactly as tests/test_faults.py's do (the same order number again until it is answered);
afterwards every order number is settled exactly once, `audit` is clean and no balance is below zero.
tests/test_soak.py runs a 60-second version in the suite.
"""
import argparse
import os
import queue
import random
import signal
import threading
import time

from sqlalchemy import func, select

from services.db import db
from services.models import Account, Settlement
from services.money import audit
from tests import server
from tests.counter import HttpCounter, items
from tests.test_faults import settle_with_retries

BILL = items(("XA0101", 1, 300))


def run(proc, counters, new_voucher, orders, kills, interval, seconds=None):
    """Clerks (one per counter) settle the order numbers of `orders` (a queue) while a worker is killed every
    `interval` seconds, `kills` times; returns (log, victims, crashed) once the queue is empty or, with `seconds`,
    once that time is over and every kill is done."""
    log, victims, crashed, done = [], [], [], threading.Event()
    end = None if seconds is None else time.monotonic() + seconds

    def clerk(counter):
        try:
            while end is None or time.monotonic() < end or len(victims) < kills:
                try:
                    order_no = orders.get_nowait()
                except queue.Empty:
                    return
                settle_with_retries(counter, new_voucher, order_no, BILL, log)
        except BaseException as exc:   # a clerk that dies would hide his unfinished order from the checks
            crashed.append(repr(exc))
            raise

    def killer():
        while len(victims) < kills and not done.wait(interval):
            workers = server.workers_of(proc)
            if workers:
                victims.append(random.choice(workers))
                os.kill(victims[-1], signal.SIGKILL)

    clerks = [threading.Thread(target=clerk, args=(c,)) for c in counters]
    kill = threading.Thread(target=killer)
    for t in clerks + [kill]:
        t.start()
    for t in clerks:
        t.join()
    done.set()
    kill.join()
    return log, victims, crashed


def check(log):
    """Every answered order number settled exactly once; audit; the lowest balance. Returns what it found."""
    db.session.rollback()
    per_order = dict(db.session.execute(select(Settlement.order_no, func.count()).group_by(Settlement.order_no)).all())
    return {"answered": sorted(o for o, status, _ in log if status in (200, 201)),
            "unanswered": sorted(o for o, status, _ in log if status not in (200, 201)),
            "settled": sorted(per_order), "settled_twice": sorted(o for o, n in per_order.items() if n != 1),
            "answers_per_settlement": len({sid for _, _, sid in log if sid}) == len(per_order),
            "audit": audit.run(), "lowest_balance_fen": db.session.scalar(select(func.min(Account.balance_fen)))}


def main():
    from bench import population, wrk
    from bench.stack import SECRET_KEY, create_app, fresh_database, populate, sa_url, serve, stop
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--settlements", type=int, default=10_000)
    p.add_argument("--families", type=int, default=2_000)
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--interval", type=float, default=2.0, help="seconds between kills")
    p.add_argument("--clerks", type=int, default=8)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--port", type=int, default=5078)
    a = p.parse_args()
    url = fresh_database("postgres")
    roles, counts, _ = populate(url, a.families * 10, a.families * 50)
    families = roles["spread"][:a.families]
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        pool = wrk.pre_issue(families, a.settlements * 2)   # the phones' e-vouchers; a retried scan needs another
        lock = threading.Lock()

        def new_voucher():
            with lock:
                return pool.pop()

        orders = queue.SimpleQueue()
        for n in range(a.settlements):
            orders.put(f"SOAK-{n:06d}")
        proc = serve("app:create_app()", url, a.port, a.workers, 4)
        try:
            base = f"http://127.0.0.1:{a.port}"
            counters = [HttpCounter(base, population.INSTITUTION, population.SECRET) for _ in range(a.clerks)]
            started = time.monotonic()
            log, victims, crashed = run(proc, counters, new_voucher, orders, a.kills, a.interval)
            took = time.monotonic() - started
        finally:
            stop(proc)
        found = check(log)
    print(f"{len(found['settled'])} settlements over {len(families)} families in {took:.0f} s "
          f"({counts['persons']:,} persons); {len(victims)} workers killed with SIGKILL; clerks crashed: {crashed}")
    print(f"answered {len(found['answered'])}, unanswered {len(found['unanswered'])}, settled twice "
          f"{len(found['settled_twice'])}, one answer per settlement: {found['answers_per_settlement']}, "
          f"audit failures {len(found['audit'])}, lowest balance {found['lowest_balance_fen']} fen")
    ok = (len(victims) == a.kills and not crashed and not found["unanswered"] and not found["settled_twice"] and found["answers_per_settlement"]
          and found["answered"] == found["settled"] and not found["audit"] and found["lowest_balance_fen"] >= 0)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
