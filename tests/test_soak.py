"""A minute of settlements through gunicorn while a worker is killed with SIGKILL every 3 s (bench/soak.py, short).

Every order number a clerk was answered for is settled exactly once, with one answer per settlement; audit holds
and no balance is below zero. About 60 s on either database.
"""
import queue
import random

from bench import soak

from . import api
from .counter import HttpCounter
from .test_faults import gunicorn, phones  # noqa: F401 (gunicorn: the fixture, 3 workers)

SECONDS, KILLS = 60, 20


def test_soak_a_minute_while_workers_are_killed(client, as_, family, gunicorn):  # noqa: F811
    proc, base = gunicorn
    api.bind(client, as_, "tashi", "father", "parent")
    api.bind(client, as_, "phuntsok", "father", "parent")
    api.bind(client, as_, "tashi", "drolma", "spouse")
    patients = ("father", "drolma", "gesang")
    new_voucher_for = phones(client, as_, patients)
    orders = queue.SimpleQueue()
    for n in range(100_000):   # more than a minute can settle: the queue is cut when the minute is over
        orders.put(f"S{n:06d}")
    vouchers = [new_voucher_for(who) for who in patients]
    counters = [HttpCounter(base, ("ali-hospital", "ali-pharmacy", "lhasa-pharmacy")[n % 3]) for n in range(6)]

    def new_voucher():
        return random.choice(vouchers)()

    log, victims, crashed = soak.run(proc, counters, new_voucher, orders, KILLS, SECONDS / KILLS,
                                     seconds=SECONDS)

    assert crashed == []
    assert len(victims) == KILLS and not set(victims) & set(soak.server.workers_of(proc))
    found = soak.check(log)
    assert found["unanswered"] == [] and found["answered"], found["unanswered"][:5]
    assert found["answered"] == found["settled"] and found["settled_twice"] == []
    assert found["answers_per_settlement"]
    assert found["audit"] == [] and found["lowest_balance_fen"] >= 0
    print(f"{len(found['settled'])} settlements in {SECONDS} s, {len(victims)} workers killed")
