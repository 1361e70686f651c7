"""Many counters at once against a real HTTP server: no overdraft, no lost update, no 500, exactly-once."""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from services.db import db
from services.models import Account, Settlement
from services.money import audit

from . import api
from .counter import HttpCounter, items, voucher

WORKERS = 12


def total_balance():
    db.session.rollback()  # a fresh snapshot: SQLite keeps the old one for an open read transaction
    return db.session.scalar(select(func.sum(Account.balance_fen)))


def scan_tickets(client, as_, counter, who_list):
    tickets = []
    for who in who_list:
        status, body = counter.call("POST", "/counter/scan", {"voucher": voucher(client, as_(who))})
        assert status == 200, body
        tickets.append(body["ticket"])
    return tickets


def test_concurrent_settlements_on_one_hot_benefactor(client, as_, family, server):
    for who, rel in (("father", "parent"), ("gesang", "child"), ("drolma", "spouse")):
        api.bind(client, as_, "tashi", who, rel)
    counter = HttpCounter(server, "ali-hospital")
    patients = ["father", "gesang", "drolma"] * 12
    tickets = scan_tickets(client, as_, counter, patients)
    opening = total_balance()

    def settle(i):
        return counter.call("POST", "/counter/settlements",
                            {"ticket": tickets[i], "order_no": f"HOT-{i}", "items": items(("XA0101", 1, 17000))})

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(settle, range(len(tickets))))
    assert sorted({status for status, _ in results}) == [201], [b for s, b in results if s != 201][:3]
    paid = sum(body["own_account_fen"] + body["mutual_aid_fen"] for _, body in results)
    assert opening - total_balance() == paid
    assert db.session.scalar(select(func.min(Account.balance_fen))) >= 0
    assert sum(b["mutual_aid_fen"] for _, b in results) == 500000      # tashi gave exactly all he had
    assert audit.run() == []


def test_concurrent_duplicates_give_one_settlement_and_reversal_happens_once(client, as_, family, server):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    counter = HttpCounter(server, "ali-pharmacy")
    [ticket] = scan_tickets(client, as_, counter, ["drolma"])
    body = {"ticket": ticket, "order_no": "DUP-1", "items": items(("XA0101", 1, 12000))}
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: counter.call("POST", "/counter/settlements", body), range(8)))
    statuses = sorted(s for s, _ in results)
    assert statuses == [200] * 7 + [201]
    assert len({b["id"] for _, b in results}) == 1
    assert db.session.scalar(select(func.count()).select_from(Settlement)) == 1
    db.session.rollback()  # a fresh snapshot: SQLite keeps the old one for an open read transaction
    assert [a.balance_fen for a in db.session.scalars(select(Account).where(Account.person_id.in_(
        [family["drolma"].id, family["tashi"].id])).order_by(Account.person_id))] == [496000, 0]

    with ThreadPoolExecutor(6) as pool:
        reversals = list(pool.map(lambda _: counter.call("POST", "/counter/settlements/DUP-1/reverse", {}), range(6)))
    assert {s for s, _ in reversals} == {200} and {b["status"] for _, b in reversals} == {"reversed"}
    db.session.rollback()  # a fresh snapshot: SQLite keeps the old one for an open read transaction
    assert total_balance() == 500000 + 8000 + 300000 + 100000 + 20000   # every demo account, dawa's included
    assert audit.run() == []


def test_one_order_number_sent_with_several_tickets_at_once_settles_once(client, as_, family, server):
    """Four clerks' tickets, one order number, at the same moment: one 201, three 409, one debit, tickets kept."""
    api.bind(client, as_, "tashi", "drolma", "spouse")
    counter = HttpCounter(server, "ali-pharmacy")
    tickets = scan_tickets(client, as_, counter, ["drolma"] * 4)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda t: counter.call("POST", "/counter/settlements", {
            "ticket": t, "order_no": "ONE-1", "items": items(("XA0101", 1, 12000))}), tickets))
    assert sorted(s for s, _ in results) == [201, 409, 409, 409]
    assert {b["error"]["code"] for s, b in results if s == 409} == {"idempotency_conflict"}
    db.session.rollback()  # a fresh snapshot: SQLite keeps the old one for an open read transaction
    assert db.session.scalar(select(func.count()).select_from(Settlement)) == 1
    assert total_balance() == 500000 + 8000 + 300000 + 100000 + 20000 - 12000
    loser = next(t for t, (s, _) in zip(tickets, results) if s == 409)   # its claim rolled back with the refusal
    assert counter.call("POST", "/counter/settlements", {
        "ticket": loser, "order_no": "ONE-2", "items": items(("XA0101", 1, 100))})[0] == 201
    assert audit.run() == []


def test_concurrent_settlements_spread_over_many_beneficiaries(client, as_, family, server):
    api.bind(client, as_, "tashi", "father", "parent")
    api.bind(client, as_, "phuntsok", "father", "parent")
    api.bind(client, as_, "tashi", "drolma", "spouse")
    counters = [HttpCounter(server, i) for i in ("ali-hospital", "ali-pharmacy", "lhasa-pharmacy")]
    jobs = []
    for n, who in enumerate(["father", "drolma", "gesang", "sonam"] * 6):
        c = counters[n % 3]
        [t] = scan_tickets(client, as_, c, [who])
        jobs.append((c, t, f"SPREAD-{n}"))
    opening = total_balance()
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda j: j[0].call("POST", "/counter/settlements", {
            "ticket": j[1], "order_no": j[2], "items": items(("XA0101", 2, 9000), ("NX0901", 1, 500))}), jobs))
    assert {s for s, _ in results} == {201}
    paid = sum(b["own_account_fen"] + b["mutual_aid_fen"] for _, b in results)
    assert opening - total_balance() == paid and paid > 0
    assert all(b["cash_fen"] >= 500 for _, b in results)
    assert audit.run() == []
