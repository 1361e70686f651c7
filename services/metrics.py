"""Business metrics for Prometheus: settlements and their fen by channel, the database pool in use.

Counters are plain prometheus_client objects (a library, not HTTP), so the services that create a settlement count
it without knowing about requests; mini/metrics.py serves them. Under gunicorn PROMETHEUS_MULTIPROC_DIR makes every
worker write its own file and the scrape adds them up (gunicorn.conf.py marks dead workers).
"""
from prometheus_client import Counter, Gauge
from sqlalchemy import event

SETTLEMENTS = Counter("gongji_settlements", "Settlements created, by channel", ["channel"])
SETTLED_FEN = Counter("gongji_settled_fen", "Fen of created settlements, by channel and by who paid: own account, "
                      "mutual_aid (the family's accounts) or cash", ["channel", "paid_by"])
POOL_SIZE = Gauge("gongji_db_pool_size", "Connections the database pools hold open at most (without overflow)",
                  multiprocess_mode="livesum")
POOL_CHECKED_OUT = Gauge("gongji_db_pool_checked_out", "Database connections in use now",
                         multiprocess_mode="livesum")


def settled(view: dict):
    """Count a settlement once, after its transaction committed (a replay or a rollback counts nothing)."""
    channel = view["channel"]
    SETTLEMENTS.labels(channel).inc()
    for paid_by, key in (("own_account", "own_account_fen"), ("mutual_aid", "mutual_aid_fen"), ("cash", "cash_fen")):
        SETTLED_FEN.labels(channel, paid_by).inc(view[key])


def watch_pool(engine):
    """Follow the engine's pool: its size, and connections checked out and returned."""
    size = getattr(engine.pool, "size", None)
    if callable(size):
        POOL_SIZE.set(size())  # one engine per process; the scrape sums the workers
    event.listen(engine, "checkout", lambda *_: POOL_CHECKED_OUT.inc())
    event.listen(engine, "checkin", lambda *_: POOL_CHECKED_OUT.dec())
