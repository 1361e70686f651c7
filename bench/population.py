"""A generated population for the benchmark: persons, accounts, a long ledger, kinship and bindings, in bulk."""
import random
from datetime import date, timedelta

from sqlalchemy import insert, select, text

from services import idnumber, pii
from services.db import db
from services.models import Account, Binding, CatalogueItem, Kinship, LedgerEntry, Login, Person
from services.people import institutions

SECRET = "bench-secret-0123456789-0123456789"
INSTITUTION = "bench-ali"
HOT_BALANCE = 10**12  # the hot benefactor can pay for every bill of the run


def _ids(count, rng):
    start, seen = date(1950, 1, 1), set()
    while len(seen) < count:
        born = start + timedelta(days=rng.randrange(22000))
        seen.add(idnumber.make(f"542523{born:%Y%m%d}{rng.randrange(1000):03d}"))
    return sorted(seen)


def generate(persons=100_000, entries=1_000_000, cohorts=(1, 3, 7), cohort_size=200, hot_size=500, seed=7):
    """Fill an empty, migrated database; returns what the load driver needs (person ids by role)."""
    rng = random.Random(seed)
    numbers = _ids(persons, rng)
    employees = int(persons * 0.7)
    # the sealed column's type encrypts the clear number; the blind index is computed here (bulk inserts skip setters)
    rows = [{"id": i + 1, "id_number_enc": n, "id_number_bidx": pii.blind(n, "id_number"), "name": "测试" + str(i),
             "insurance_type": "employee" if i < employees else "resident", "region_code": "542523",
             "status": "insured", "helpers_version": 1} for i, n in enumerate(numbers)]
    _bulk(Person, rows)
    per_account = max(1, -(-entries // employees))   # at least `entries` in all
    accounts, ledger = [], []
    for pid in range(1, employees + 1):
        amounts = [rng.randrange(1000, 20000) for _ in range(per_account)]
        balance = sum(amounts)
        accounts.append({"id": pid, "person_id": pid, "balance_fen": balance, "stated_balance_fen": balance,
                         "status": "normal"})
        running = 0
        for amount in amounts:
            running += amount
            ledger.append({"account_id": pid, "amount_fen": amount, "balance_after_fen": running, "kind": "registry"})
    _bulk(Account, accounts)
    _bulk(LedgerEntry, ledger)
    db.session.execute(Account.__table__.update().where(Account.id == 1)
                       .values(balance_fen=Account.balance_fen + HOT_BALANCE))
    db.session.execute(insert(LedgerEntry), [{"account_id": 1, "amount_fen": HOT_BALANCE, "kind": "registry",
                                              "balance_after_fen": sum(e["amount_fen"] for e in ledger
                                                                       if e["account_id"] == 1) + HOT_BALANCE}])

    residents = list(range(employees + 1, persons + 1))
    rng.shuffle(residents)
    kin, bindings, roles = [], [], {"spread": [], "hot": [], "cohort": {}}
    helpers_pool = list(range(2, employees + 1))

    def bind(beneficiary, benefactors):
        for pos, b in enumerate(benefactors):
            kin.append({"person_id": b, "relative_id": beneficiary, "relation": "child"})
            kin.append({"person_id": beneficiary, "relative_id": b, "relation": "parent"})
            bindings.append({"benefactor_id": b, "beneficiary_id": beneficiary, "relation": "child",
                             "status": "active", "position": pos})

    spread_size = min(2000, len(residents) // 3)
    hot_size = min(hot_size, len(residents) // 6)
    cohort_size = min(cohort_size, len(residents) // 12)
    for beneficiary in residents[:spread_size]:                # spread: one or two helpers each
        bind(beneficiary, rng.sample(helpers_pool, rng.choice((1, 2))))
        roles["spread"].append(beneficiary)
    for beneficiary in residents[spread_size:spread_size + hot_size]:  # hot: all helped by person 1 only
        bind(beneficiary, [1])
        roles["hot"].append(beneficiary)
    start = spread_size + hot_size
    for n in cohorts:                                          # n helpers each: all are loaded and locked
        members = residents[start:start + cohort_size]
        start += cohort_size
        for beneficiary in members:
            bind(beneficiary, rng.sample(helpers_pool, n))
        roles["cohort"][n] = members
    _bulk(Kinship, _dedupe(kin))
    _bulk(Binding, bindings)
    everyone = roles["spread"] + roles["hot"] + [p for c in roles["cohort"].values() for p in c]
    _bulk(Login, [{"provider": "dev", "openid": f"p{pid}", "person_id": pid} for pid in everyone])
    db.session.merge(CatalogueItem(code="XA0101", name="阿莫西林胶囊", eligible=True))
    db.session.commit()
    institutions.upsert(INSTITUTION, "基准测试药房", "542523", False, SECRET)
    return roles


def settlements(count, institution_ids, patient_id, days=30, end=None, reversed_every=50):
    """`count` settled bills spread evenly over the `days` China days before `end` (UTC, default now), dealt round
    the institutions, every `reversed_every`-th reversed an hour later; one INSERT ... SELECT over a series, so a
    million rows take seconds. Amounts are made up (no ledger lines: the reconciliation reads settlements only)."""
    from services.clock import now
    end = (end or now()).replace(tzinfo=None, microsecond=0)
    start, step = end - timedelta(days=days), days * 86400 / count
    pg = db.engine.dialect.name == "postgresql"
    ticket = "bench-reconciliation"
    db.session.execute(text("INSERT INTO tickets (token, institution_id, person_id, channel, created_at, expires_at) "
                            "VALUES (:t, :i, :p, 'voucher', :at, :at)"),
                       {"t": ticket, "i": institution_ids[0], "p": patient_id, "at": start})
    at = ("CAST(:start AS timestamp) + n.i * :step * interval '1 second'" if pg else
          "strftime('%Y-%m-%d %H:%M:%S', :start, '+' || CAST(n.i * :step AS INTEGER) || ' seconds') || '.000000'")
    later = f"({at}) + interval '1 hour'" if pg else at.replace("' seconds'", "' seconds', '+1 hour'")
    month = f"to_char(({at}) + interval '8 hours', 'YYYY-MM')" if pg else f"strftime('%Y-%m', {at}, '+8 hours')"
    inst = "CASE n.i % :k " + " ".join(f"WHEN {k} THEN '{i}'" for k, i in enumerate(institution_ids)) + " END"
    reversed_ = f"n.i % {reversed_every} = 0"
    db.session.execute(text(f"""
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :count)
        INSERT INTO settlements (institution_id, order_no, request_hash, patient_id, ticket, status, channel,
            use_accounts, items, total_fen, eligible_fen, own_account_fen, mutual_aid_fen, cash_fen, month,
            settled_at, reversed_at)
        SELECT {inst}, 'B' || n.i, 'bench', :patient, :ticket, CASE WHEN {reversed_} THEN 'reversed' ELSE 'settled'
            END, CASE n.i % 3 WHEN 0 THEN 'voucher' WHEN 1 THEN 'offline_voucher' ELSE 'card' END, {'true' if pg
            else '1'}, '[]', 1000 + n.i % 5000, 1000, 100 * (n.i % 3), 100 * (n.i % 7),
            1000 + n.i % 5000 - 100 * (n.i % 3) - 100 * (n.i % 7), {month}, {at},
            CASE WHEN {reversed_} THEN {later} END
        FROM n"""), {"count": count, "k": len(institution_ids), "patient": patient_id, "ticket": ticket,
                     "start": start.isoformat(sep=" "), "step": step})
    db.session.commit()
    db.session.execute(text("ANALYZE settlements"))
    db.session.commit()


def _dedupe(rows):
    seen, out = set(), []
    for r in rows:
        key = (r["person_id"], r["relative_id"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _bulk(model, rows, chunk=20_000):
    for i in range(0, len(rows), chunk):
        db.session.execute(insert(model), rows[i:i + chunk])
    db.session.commit()


def counts():
    from sqlalchemy import func
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Person, Account, LedgerEntry, Binding)}
