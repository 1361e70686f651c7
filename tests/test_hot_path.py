"""The settle request's statements: few, in one transaction, each reading through an index.

A regression here is a slower counter for every patient (docs/performance.md); these tests say where it came from.
"""
import re

from sqlalchemy import event

from services.db import db

from . import factory
from .counter import items, ticket
from .plans import plans, recording
from .test_settlement import DRUG, balances
from .test_settlement import father_helpers  # noqa: F401 (fixture)

BIG = "bindings|persons|accounts|tickets|settlements|settlement_aid|ledger_entries|messages|catalogue|institutions"


def recorded(fn):
    """What fn() sent, and how many transactions committed."""
    commits = []

    def commit(conn):
        commits.append(1)

    event.listen(db.engine, "commit", commit)
    try:
        result, statements = recording(fn)
    finally:
        event.remove(db.engine, "commit", commit)
    return result, statements, len(commits)


def settle_paid_by_both_helpers(client, as_, family, ali):
    factory.set_person(family, "tashi", balance_fen="3000")
    t = ticket(client, as_, ali, "father")
    resp, statements, commits = recorded(lambda: ali.settle(t, "NO-1", items((DRUG, 1, 10000))))
    assert resp.status_code == 201, resp.json
    assert [a["amount_fen"] for a in resp.json["mutual_aid"]] == [3000, 7000] and resp.json["cash_fen"] == 0
    return statements, commits


def test_a_settlement_two_helpers_pay_is_one_transaction_of_few_statements(client, as_, family, ali,
                                                                             father_helpers):
    statements, commits = settle_paid_by_both_helpers(client, as_, family, ali)
    postgres = db.engine.dialect.name == "postgresql"
    # signature's institution, nonce, ticket claimed, catalogue, family, accounts locked, settlement row, one
    # booking per paying account (PostgreSQL: UPDATE and entry in one; SQLite: two), the aid rows, the messages
    assert len(statements) == (11 if postgres else 13), [s.split("\n")[0][:80] for s, _ in statements]
    assert commits == 1   # the nonce, the money, the ticket: all or nothing
    assert balances(family, "tashi", "phuntsok") == [0, 293000]


def test_every_statement_of_a_settlement_reads_through_an_index(client, as_, family, ali, father_helpers):
    statements, _ = settle_paid_by_both_helpers(client, as_, family, ali)
    sqlite = db.engine.dialect.name == "sqlite"
    for statement, plan in plans(statements):
        scan = re.search(rf"\bSCAN ({BIG})\b" if sqlite else rf"Seq Scan on ({BIG})\b", plan)
        assert scan is None, (statement, plan)
