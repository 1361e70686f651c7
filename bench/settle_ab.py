"""The settle request (and the scan) of two checkouts of the code, taking turns on one population: A B, B A, ...

    python -m bench.settle_ab --before /work/wt/bench-before [--after .] [--rounds 3] [bench/run.py's options]

A change's cost is read from one run where both codes take turns on the same database, so the load other work
puts on a shared machine falls on both alike. Both checkouts must share the schema (the population is built once
per database, by this checkout's migrations). Each turn starts gunicorn from that checkout, runs the scan and the
settle request of bench/run.py's scenario (1) on fresh pre-scanned tickets, and stops it. Prints one row per turn
and the median of each code's turns; B / A is the figure.
"""
import os
import statistics

os.environ.setdefault("GONGJI_ENV", "development")  # the bench's servers use the dev secret and dev logins

from app import create_app  # noqa: E402
from bench import population, wrk  # noqa: E402
from bench.run import _settles, check, load_average, measure, stack_options  # noqa: E402
from bench.stack import ROOT, SECRET_KEY, fresh_database, populate, sa_url, serve, stop  # noqa: E402

FIGURES = (("rps", "req/s"), ("server_ms", "server CPU ms/req"), ("pg_ms", "PostgreSQL CPU ms/req"),
           ("p99", "p99 ms"))


def turn(root, url, database, roles, a):
    """One code's turn: its server, a scan run and a settle run on tickets nobody settled yet."""
    from services.db import db
    inst, secret, need = population.INSTITUTION, population.SECRET, a.seconds * 1500
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url(url), "SECRET_KEY": SECRET_KEY})
    workers, threads = (a.sqlite_workers, a.sqlite_threads) if database is None else (a.workers, a.threads)
    proc = serve("app:create_app()", url, a.port, workers, threads, root=root)
    try:
        with app.app_context():
            payloads = wrk.pre_issue(roles["spread"], need)
            tickets = wrk.pre_scan(roles["spread"], need, inst)
            db.engine.dispose()
        scans = [wrk.signed(inst, secret, "POST", "/api/v1/counter/scan", {"voucher": v}) for v in payloads]
        scan = measure("scan", a.port, proc, a.clients, a.seconds, scans, database)
        settle = measure("settle request", a.port, proc, a.clients, a.seconds, _settles(inst, secret, tickets),
                         database)
        return scan, settle
    finally:
        stop(proc)


def _cell(row, key):
    v = row[key]
    return "—" if v is None else f"{v:.0f}" if key == "rps" else f"{v:.2f}" if key.endswith("_ms") else f"{v:.1f}"


def bench_db(kind, codes, a):
    url = fresh_database(kind)
    roles, counts, _ = populate(url, *(int(x) for x in a.size.split(":")))
    database = None if kind == "sqlite" else url.rsplit("/", 1)[1]
    print(f"### {kind}, {counts['persons']:,} persons; load average before: {load_average()}\n\n"
          "| round | code | scenario | requests | errors | req/s | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req |"
          "\n|---:|---|---|---:|---:|---:|---:|---:|---:|", flush=True)
    runs = {(name, s): [] for name in codes for s in ("scan", "settle request")}
    for n in range(1, a.rounds + 1):
        # A B, then B A: neither code always goes first
        for name, root in (codes.items() if n % 2 else reversed(codes.items())):
            for r in turn(root, url, database, roles, a):
                runs[name, r["scenario"]].append(r)
                print(f"| {n} | {name} | {r['scenario']} | {r['requests']} | {r['errors']} | {_cell(r, 'rps')} | "
                      f"{_cell(r, 'p99')} | {_cell(r, 'server_ms')} | {_cell(r, 'pg_ms')} |", flush=True)
    integrity = check(url)
    before, after = codes
    print(f"\nMedians of {a.rounds} turns each (after / before); audit failures {integrity['audit_failures']}, lowest "
          f"balance {integrity['lowest_balance_fen']} fen; load average after: {load_average()}\n\n"
          f"| scenario | figure | {before} | {after} | {after} / {before} |\n|---|---|---:|---:|---:|")
    for scenario in ("settle request", "scan"):
        for key, label in FIGURES:
            values = [[r[key] for r in runs[name, scenario]] for name in codes]
            if None in values[0] + values[1]:
                continue
            b, c = (statistics.median(v) for v in values)
            print(f"| {scenario} | {label} | {b:.2f} | {c:.2f} | {c / b:.3f} |")
    print(flush=True)


def main():
    p = stack_options(__doc__.split("\n")[0])
    p.add_argument("--before", required=True, help="the checkout of the code before the change")
    p.add_argument("--after", default=ROOT, help="the checkout of the code after it (default: this one)")
    p.add_argument("--size", default="2000:20000", help="persons:entries")
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    codes = {"before": os.path.abspath(a.before), "after": os.path.abspath(a.after)}
    print(f"# settle request, {codes['before']} against {codes['after']}: {a.rounds} rounds of {a.seconds} s, "
          f"{a.clients} connections\n", flush=True)
    for kind in (("postgres", "sqlite") if a.db == "both" else (a.db,)):
        bench_db(kind, codes, a)


if __name__ == "__main__":
    main()
