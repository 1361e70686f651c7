"""The database handle, the UTC time type and the transaction discipline every service follows."""
import contextlib
import contextvars
import functools
import threading
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from . import metrics

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


# SQLite: a writing use case begins IMMEDIATE so concurrent writers queue on the lock
# instead of failing with "database is locked" when a reader tries to upgrade.
_writing = contextvars.ContextVar("writing", default=False)


def configure_engine(engine):
    """Install the per-dialect connection settings (called once per engine)."""
    metrics.watch_pool(engine)
    if engine.dialect.name != "sqlite":
        return
    # One writer at a time inside the process: threads wait on this lock and are woken as soon as it is free,
    # not in SQLite's busy handler, which sleeps and retries unfairly (p99 above a second at 16 clients).
    # Processes still meet at BEGIN IMMEDIATE: SQLite is served by one gunicorn worker with threads.
    engine.writer_lock = threading.RLock()

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def writes(fn):
    """One use case, one transaction: commit once at the end, roll back everything on any error; never nested."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _writing.get():  # the inner use case would commit or roll back the outer one's work
            raise RuntimeError(f"{fn.__qualname__} is a use case of its own: a @writes function called another")
        if _begins_anew():
            db.session.rollback()  # end any read transaction so ours starts as a writer
        else:
            db.session.expire_all()  # what the request read before is read again, as after a rollback (no SQL)
        with _writer_turn():
            return _transaction(fn, args, kwargs)

    return wrapper


def _begins_anew() -> bool:
    """Whether the use case must end what the request began. On SQLite a reader cannot become the writer without
    a busy wait, so it always does. PostgreSQL locks rows, not the database, and reads each statement afresh: a
    clean read the request began (its authentication) goes on as the use case's transaction, one round trip and
    one pool checkout less; unflushed or failed work never does."""
    s = db.session
    return db.engine.dialect.name == "sqlite" or not s.is_active or bool(s.new or s.dirty or s.deleted)


def _writer_turn():
    """The process's writer lock on SQLite; nothing on PostgreSQL (rows lock there, not the database)."""
    lock = getattr(db.engine, "writer_lock", None)
    return lock if lock is not None else contextlib.nullcontext()


def _transaction(fn, args, kwargs):
    token = _writing.set(True)
    try:
        result = fn(*args, **kwargs)
        db.session.commit()
        return result
    except BaseException as exc:
        # A refusal that must leave a trace (a reused refresh token revokes its chain) says so.
        if getattr(exc, "keep_changes", False):
            db.session.commit()
        else:
            db.session.rollback()
        raise
    finally:
        _writing.reset(token)


def dialect(name: str):
    """The dialect module whose INSERT knows ON CONFLICT: PostgreSQL's or SQLite's."""
    return postgresql if name == "postgresql" else sqlite


def dialect_insert(table, conflict, returning):
    """INSERT ... ON CONFLICT (conflict) DO NOTHING RETURNING `returning`: no row back when the key is taken."""
    return _insert_unless_taken(db.engine.dialect.name, table, tuple(conflict), returning)


@functools.cache
def _insert_unless_taken(dialect_name, table, conflict, returning):  # built once per dialect and statement
    return dialect(dialect_name).insert(table).on_conflict_do_nothing(index_elements=list(conflict)) \
        .returning(returning)


def utcnow():
    return datetime.now(timezone.utc)
