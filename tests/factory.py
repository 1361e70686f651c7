"""Test data through the same services the admins use: registry rows, demo seed, logins."""
import itertools

from services import idnumber
from services.admin import demo, registry
from services.db import db
from services.models import Account, LedgerEntry, Person, Ticket

_seq = itertools.count(100)


def id_number(region="542523", born="19800101"):
    return idnumber.make(f"{region}{born}{next(_seq) % 1000:03d}")


def person(insurance_type="employee", region="542523", balance=100000, account_status="normal",
           status="insured", name="测试人员", born="19800101", name_bo=None):
    """Create one person through a registry import; returns the Person."""
    number = id_number(region, born)
    employee = insurance_type == "employee"
    registry.import_registry([(2, {
        "id_number": number, "name": name, "insurance_type": insurance_type, "region_code": region,
        "status": status, "balance_fen": str(balance) if employee else "",
        "account_status": account_status if employee else "", **({"name_bo": name_bo} if name_bo else {}),
    })])
    return db.session.query(Person).filter_by(id_number=number).one()


def kin(a: Person, b: Person, relation: str):
    """Record in the registry that b is a's `relation`."""
    registry.import_registry([], [(2, {"id_number": a.id_number, "relative_id_number": b.id_number,
                                       "relation": relation})])


def seed_demo():
    demo.seed()
    return {openid: db.session.query(Person).filter_by(id_number=demo.id_number(openid)).one()
            for openid, *_ in demo.FAMILY}


def login(client, openid):
    resp = client.post("/api/v1/auth/login", json={"code": f"dev:{openid}"})
    assert resp.status_code == 200, resp.json
    return resp.json


def bearer(client, openid):
    return {"Authorization": "Bearer " + login(client, openid)["access_token"]}


def balance(person: Person) -> int:
    return db.session.query(Account.balance_fen).filter_by(person_id=person.id).scalar()


def money_state():
    """Every balance, the ledger's length and the tickets issued: what a refusal must leave as it was."""
    return (sorted(db.session.query(Account.id, Account.balance_fen).all()), db.session.query(LedgerEntry).count(),
            db.session.query(Ticket).count())


def set_person(family, who, **changes):
    """A registry import that changes one demo person's row (status, region, account status or balance)."""
    rows = dict(demo.person_rows())
    line = next(i for i, r in rows.items() if r["id_number"] == family[who].id_number)
    return registry.import_registry([(line, {**rows[line], **changes})])
