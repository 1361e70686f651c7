"""Failover under load (not CI): settlements through gunicorn while the PostgreSQL primary dies, then the checks.

    python -m bench.failover [--rounds 3] [--seconds 45] [--clerks 8] [--families 500]

A two-node Patroni cluster (bench/ha.py) holds the database; the app's DATABASE_URL names both nodes. Clerks settle
as tests/test_faults.py's do (no answer, a 503 or any failure: the same order number again). Round 1 SIGKILLs the
primary's postmaster, round 2 kills the whole node (its Patroni and PostgreSQL; the bench starts it again once the
standby leads), round 3 the postmaster again. Patroni promotes the standby; the old primary rejoins as the
synchronous standby. After each round: every settlement a clerk was answered 201/200 for exists once, with the id
it was answered, on the new primary and on the rejoined standby; no order number settled twice; no answer 500;
every 503 carries Retry-After; `flask audit` clean (ledger sums equal balances, none below zero).
tests/test_failover.py runs one short round in the suite.
"""
import argparse
import http.client
import os
import queue
import subprocess
import sys
import threading
import time

from sqlalchemy import create_engine, select

from bench import ha, soak
from bench.stack import sa_url
from services.models import Settlement

KINDS = ("postmaster", "node")


class Watched:
    """A counter terminal whose every call is noted: (sent, answered, path, status or None, Retry-After)."""

    def __init__(self, counter, calls):
        self.counter, self.calls = counter, calls

    def call(self, method, path, body=None):
        sent = time.monotonic()
        try:
            status, answer = self.counter.call(method, path, body)
        except (OSError, http.client.HTTPException):
            self.calls.append((sent, time.monotonic(), path, None, None))
            raise
        self.calls.append((sent, time.monotonic(), path, status, self.counter.headers.get("Retry-After")))
        return status, answer


def failover(cluster, kind, kill_at, out):
    """After `kill_at` s, kill the leader (its postmaster, or the whole node) and follow Patroni's recovery."""
    try:
        time.sleep(kill_at)
        old = cluster.leader()
        out.update(old=old, killed=time.monotonic())
        cluster.kill_postmaster(old) if kind == "postmaster" else cluster.kill_node(old)
        out["new"] = cluster.wait_leader(other_than=old)
        out["promoted"] = time.monotonic()
        if kind == "node":
            cluster.start_node(old)   # the machine is back: its Patroni starts, rewinds and follows
        cluster.wait_standby(old)
        out["rejoined"] = time.monotonic()
    except BaseException as exc:
        out["error"] = repr(exc)


def one_round(cluster, counters, new_voucher, prefix, kind, seconds, kill_at):
    """One round of load with a failover in it; (log, calls, what happened to the cluster, clerks crashed)."""
    calls, events = [], {}
    watched = [Watched(c, calls) for c in counters]
    orders = queue.SimpleQueue()
    for n in range(100_000):   # more than a round can settle: the queue is cut when its time is over
        orders.put(f"{prefix}-{n:06d}")
    killer = threading.Thread(target=failover, args=(cluster, kind, kill_at, events))
    killer.start()
    log, _, crashed = soak.run(None, watched, new_voucher, orders, 0, 1, seconds=seconds)
    killer.join()
    return log, calls, events, crashed


def figures(calls, log, events):
    """The round's numbers: failover time (last settlement answered before the kill -> first settlement answered
    of a request sent after it), answers 503 and 500 (scans and settlements), calls without an answer, acknowledged
    settlements, replays (answered 200)."""
    killed = events.get("killed", float("inf"))
    ok = [(s, a) for s, a, path, status, _ in calls if path == "/counter/settlements" and status in (200, 201)]
    before = max((a for _, a in ok if a <= killed), default=None)
    after = min((a for s, a in ok if s > killed), default=None)
    calls = [c[3:] for c in calls]   # (status, Retry-After)
    return {"failover_s": None if before is None or after is None else after - before,
            "promoted_s": events["promoted"] - killed if "promoted" in events else None,
            "rejoined_s": events["rejoined"] - killed if "rejoined" in events else None,
            "answered_503": sum(status == 503 for status, _ in calls),
            "503_without_retry_after": sum(status == 503 and not retry for status, retry in calls),
            "answered_500": sum(status is not None and status >= 500 and status != 503 for status, _ in calls),
            "no_answer": sum(status is None for status, _ in calls),
            "acknowledged": sum(status in (200, 201) for _, status, _ in log),
            "replayed": sum(status == 200 for _, status, _ in log)}


def on_standby(cluster, node, database, acknowledged, timeout=30):
    """The acknowledged (order number, id) pairs the standby `node` lacks, once it has replayed (or `timeout`)."""
    engine = create_engine(sa_url(cluster.node_url(node, database)))
    try:
        end = time.monotonic() + timeout
        while True:
            with engine.connect() as conn:
                there = set(conn.execute(select(Settlement.order_no, Settlement.id)).all())
            if acknowledged <= there or time.monotonic() > end:
                return sorted(acknowledged - there)
            time.sleep(0.5)
    finally:
        engine.dispose()


def problems(found, figs, events, crashed, missing_on_standby, cli_audit):
    """Every check of a round that failed, in words; [] when the round passed."""
    bad = {"the cluster did not recover": events.get("error") or ("rejoined" not in events and events),
           "clerks crashed": crashed, "unanswered orders": found["unanswered"][:5],
           "settled twice": found["settled_twice"][:5],
           "acknowledged but not settled / settled but not acknowledged": found["answered"] != found["settled"] and
           sorted(set(found["answered"]) ^ set(found["settled"]))[:5],
           "an order number answered with two settlement ids": not found["answers_per_settlement"],
           "acknowledged settlements missing on the rejoined standby": missing_on_standby[:5],
           "audit": found["audit"][:5], "flask audit": cli_audit, "answers 5xx other than 503": figs["answered_500"],
           "503 without Retry-After": figs["503_without_retry_after"],
           "balance below zero": found["lowest_balance_fen"] is not None and found["lowest_balance_fen"] < 0,
           "no success after the kill": figs["failover_s"] is None}
    return [f"{what}: {detail}" for what, detail in bad.items() if detail]


def acknowledged_ids(log):
    return {(order, sid) for order, status, sid in log if status in (200, 201)}


def witness(counter, new_voucher, order_no):
    """A settlement made before any kill: (its request body, the id it was answered)."""
    status, body = counter.call("POST", "/counter/scan", {"voucher": new_voucher()})
    request = {"ticket": body["ticket"], "order_no": order_no, "items": soak.BILL}
    status, body = counter.call("POST", "/counter/settlements", request)
    assert status == 201, (status, body)
    return request, body["id"]


def replayed(counter, seen):
    """The counter sends the witness's request again after the failover: '' when answered 200 with the same id."""
    request, sid = seen
    status, body = counter.call("POST", "/counter/settlements", request)
    return "" if (status, body.get("id")) == (200, sid) else f"{status} {body}"


def check_round(cluster, database, url, all_log, figs, events, crashed):
    """soak.check on the new primary, the standby's copy, `flask --app app audit`; (found, problems)."""
    from services.db import db
    try:
        found = soak.check(all_log)
        settled = set(db.session.execute(select(Settlement.order_no, Settlement.id)).all())
    finally:
        db.session.remove()   # no connection kept into the next round, whose kill would break it
    missing = sorted(acknowledged_ids(all_log) - settled)
    standby = 1 - cluster.wait_leader()
    lacking = on_standby(cluster, standby, database, acknowledged_ids(all_log))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cli = subprocess.run([os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "app", "audit"],
                         cwd=root, env=dict(os.environ, DATABASE_URL=url), capture_output=True, text=True)
    cli_audit = "" if cli.returncode == 0 else (cli.stdout + cli.stderr)[-500:]
    found["audit"] = found["audit"] + [f"acknowledged {o} as {i}, not so on the primary" for o, i in missing]
    return found, problems(found, figs, events, crashed, lacking, cli_audit)


def run(cluster, rounds, seconds, kill_at, clerks, families, workers=4, threads=4, report=print):
    """The whole bench on a started cluster: population, gunicorn, `rounds` rounds. A list of (figures, problems)."""
    from bench import population, wrk
    from bench.stack import SECRET_KEY, create_app, populate, serve, stop
    from tests.counter import HttpCounter
    database = "gongji"
    url = cluster.create_database(database)
    roles, counts, _ = populate(url, families * 10, families * 50, ceiling_tables=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    results, all_log = [], []
    with app.app_context():
        patients = roles["spread"][:families]
        pool = wrk.pre_issue(patients, int(rounds * seconds * 200))   # the phones' e-vouchers, generously
        lock = threading.Lock()

        def new_voucher():
            with lock:
                return pool.pop()

        port = ha.free_ports(1)[0]
        proc = serve("app:create_app()", url, port, workers, threads)
        try:
            counters = [HttpCounter(f"http://127.0.0.1:{port}", population.INSTITUTION, population.SECRET)
                        for _ in range(clerks)]
            seen = witness(counters[0], new_voucher, "WITNESS")
            all_log.append(("WITNESS", 201, seen[1]))
            for r in range(rounds):
                kind = KINDS[r % len(KINDS)]
                log, calls, events, crashed = one_round(cluster, counters, new_voucher, f"R{r + 1}", kind,
                                                        seconds, kill_at)
                all_log += log
                figs = dict(figures(calls, log, events), kind=kind, round=r + 1)
                found, bad = check_round(cluster, database, url, all_log, figs, events, crashed)
                again = replayed(counters[0], seen)
                bad += [f"the settlement made before the kills, sent again, was answered {again}"] if again else []
                figs["checked"] = len(found["answered"])
                results.append((figs, bad))
                report(describe(figs, bad))
        finally:
            stop(proc)
    return results


def describe(f, bad):
    sec = lambda v: "-" if v is None else f"{v:.1f} s"  # noqa: E731
    return (f"round {f['round']} ({f['kind']} killed): failover {sec(f['failover_s'])} (promoted after "
            f"{sec(f['promoted_s'])}, old primary back as synchronous standby after {sec(f['rejoined_s'])}); "
            f"{f['acknowledged']} settlements acknowledged ({f['replayed']} of them replays answered 200), "
            f"{f['answered_503']} answers 503, {f['no_answer']} calls without an answer, "
            f"{f['answered_500']} answers 500; {f['checked']} acknowledged settlements checked so far: "
            + ("PASS" if not bad else "FAIL " + "; ".join(bad)))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=45, help="each round's length")
    p.add_argument("--kill-at", type=float, default=10, help="seconds into a round when the primary dies")
    p.add_argument("--clerks", type=int, default=8)
    p.add_argument("--families", type=int, default=500)
    p.add_argument("--keep", action="store_true", help="keep the cluster's directory (logs) afterwards")
    a = p.parse_args()
    why = ha.missing()
    if why:
        raise SystemExit(why)
    with ha.cluster(keep=a.keep) as cluster:
        print(f"cluster in {cluster.root}: PostgreSQL on {cluster.pg_ports}, etcd on {cluster.etcd_port}", flush=True)
        results = run(cluster, a.rounds, a.seconds, a.kill_at, a.clerks, a.families,
                      report=lambda line: print(line, flush=True))
    raise SystemExit(0 if all(not bad for _, bad in results) else 1)


if __name__ == "__main__":
    main()
