"""The stack's ceiling: a minimal Flask endpoint doing one TPC-B-style debit through SQLAlchemy Core.

Same server setup as the service (gunicorn, same workers, same database); statements built once at start-up.
Run: gunicorn 'bench.ceiling:create_app()' with DATABASE_URL set.
"""
import os
import random

from flask import Flask, jsonify, request
from sqlalchemy import (BigInteger, Column, DateTime, Integer, MetaData, String, Table, bindparam, create_engine,
                        event, func, insert, update)

ACCOUNTS, TELLERS, BRANCHES = 100_000, 100, 10
meta = MetaData()
branches = Table("bench_branches", meta, Column("bid", Integer, primary_key=True), Column("bbalance", BigInteger))
tellers = Table("bench_tellers", meta, Column("tid", Integer, primary_key=True), Column("bid", Integer),
                Column("tbalance", BigInteger))
accounts = Table("bench_accounts", meta, Column("aid", Integer, primary_key=True), Column("bid", Integer),
                 Column("abalance", BigInteger))
history = Table("bench_history", meta, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("tid", Integer), Column("bid", Integer), Column("aid", Integer), Column("delta", Integer),
                Column("mtime", DateTime, server_default=func.current_timestamp()), Column("filler", String(22)))

# Built once: the transaction's four statements.
UPD_ACCOUNT = update(accounts).where(accounts.c.aid == bindparam("a")).values(
    abalance=accounts.c.abalance + bindparam("d")).returning(accounts.c.abalance)
UPD_TELLER = update(tellers).where(tellers.c.tid == bindparam("t")).values(tbalance=tellers.c.tbalance + bindparam("d"))
UPD_BRANCH = update(branches).where(branches.c.bid == bindparam("b")).values(
    bbalance=branches.c.bbalance + bindparam("d"))
INS_HISTORY = insert(history).values(tid=bindparam("t"), bid=bindparam("b"), aid=bindparam("a"), delta=bindparam("d"))


def _url():
    url = os.environ.get("DATABASE_URL") or "sqlite:///instance/bench.sqlite3"
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def engine_for(url):
    sqlite = url.startswith("sqlite")
    eng = create_engine(url, pool_size=10, pool_pre_ping=not sqlite) if not sqlite else create_engine(url)
    if sqlite:  # the same discipline as the service: WAL, busy timeout, writers begin IMMEDIATE
        @event.listens_for(eng, "connect")
        def _connect(conn, _):
            conn.isolation_level = None
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")

        @event.listens_for(eng, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    return eng


def prepare(url):
    """Create and fill the TPC-B tables (idempotent)."""
    eng = engine_for(url)
    meta.drop_all(eng)
    meta.create_all(eng)
    with eng.begin() as conn:
        conn.execute(insert(branches), [{"bid": b, "bbalance": 0} for b in range(1, BRANCHES + 1)])
        conn.execute(insert(tellers), [{"tid": t, "bid": 1 + t % BRANCHES, "tbalance": 0} for t in range(1, TELLERS + 1)])
        conn.execute(insert(accounts), [{"aid": a, "bid": 1 + a % BRANCHES, "abalance": 0}
                                        for a in range(1, ACCOUNTS + 1)])
    eng.dispose()


def create_app():
    app = Flask(__name__)
    eng = engine_for(_url())

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.post("/tpcb")
    def tpcb():
        body = request.get_json(silent=True) or {}
        a = int(body.get("aid") or random.randint(1, ACCOUNTS))
        t, b, d = random.randint(1, TELLERS), 1 + a % BRANCHES, int(body.get("delta") or random.randint(-5000, 5000))
        with eng.begin() as conn:
            balance = conn.execute(UPD_ACCOUNT, {"a": a, "d": d}).scalar()
            conn.execute(UPD_TELLER, {"t": t, "d": d})
            conn.execute(UPD_BRANCH, {"b": b, "d": d})
            conn.execute(INS_HISTORY, {"t": t, "b": b, "a": a, "d": d})
        return jsonify(aid=a, balance=balance)

    return app
