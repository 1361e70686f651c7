"""Query plans of recorded statements, on either database: which index each one reads."""
from sqlalchemy import event

from services.db import db


def recording(fn):
    """fn()'s result and the statements it sent (with one row's parameters), in order."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        # one row's are enough to plan; a many-rows INSERT ... RETURNING comes as one statement with all of them
        many = executemany and isinstance(parameters, (list, tuple))
        seen.append((statement, parameters[0] if many else parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return result, [(s, p) for s, p in seen if not s.startswith(("BEGIN", "PRAGMA"))]


def plans(statements) -> list[tuple[str, str]]:
    """(statement, its plan as one line): EXPLAIN QUERY PLAN on SQLite, EXPLAIN with sequential scans off on
    PostgreSQL (a handful of rows would tempt its planner)."""
    with db.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if not sqlite:
            conn.exec_driver_sql("SET enable_seqscan = off")
        return [(statement, " ".join(str(r[-1]) for r in conn.exec_driver_sql(
            ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, params))) for statement, params in statements]
