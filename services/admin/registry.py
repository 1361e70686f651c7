"""The insurance registry import: persons, personal accounts and kinship, all or nothing."""
import re

from sqlalchemy import select

from .. import idnumber, names, regions
from ..checkout import cards
from ..db import db, writes
from ..errors import InvalidRequest
from ..family import lifecycle
from ..models import Account, Kinship, Person
from ..models.people import ACCOUNT_STATUSES, INSURANCE_TYPES, PERSON_STATUSES, RELATIONS, REVERSE
from ..money import ledger
from ..people import revocation

MAX_BALANCE = 10**12


def _person_problems(row) -> list[str]:
    p = []
    why = idnumber.problem(idnumber.normalize(row.get("id_number")))
    if why:
        p.append(f"id_number {why}")
    if not row.get("name") or len(row["name"]) > 64:
        p.append("name must be 1 to 64 characters")
    if row.get("insurance_type") not in INSURANCE_TYPES:
        p.append("insurance_type must be employee or resident")
    if not regions.is_code(row.get("region_code")):
        p.append("region_code must be 6 digits")
    if row.get("status") not in PERSON_STATUSES:
        p.append("status must be insured or ended")
    balance, acct_status = row.get("balance_fen") or "", row.get("account_status") or ""
    if row.get("insurance_type") == "employee":
        if not re.fullmatch(r"\d{1,13}", balance) or int(balance) > MAX_BALANCE:
            p.append("balance_fen must be a whole number of fen, 0 or more")
        if acct_status not in ACCOUNT_STATUSES:
            p.append("account_status must be normal, frozen or closed")
    elif balance or acct_status:
        p.append("a resident has no personal account: leave balance_fen and account_status empty")
    if row.get("name_bo") and (len(row["name_bo"]) > 64 or not names.is_tibetan(row["name_bo"])):
        p.append("name_bo must be the name in Tibetan script, at most 64 characters")
    return p + cards.row_problems(row)


def _kinship_problems(row, known_ids) -> list[str]:
    p = []
    for field in ("id_number", "relative_id_number"):
        number = idnumber.normalize(row.get(field))
        why = idnumber.problem(number)
        if why:
            p.append(f"{field} {why}")
        elif number not in known_ids:
            p.append(f"{field} names no person in the registry")
    if row.get("relation") not in RELATIONS:
        p.append("relation must be one of " + ", ".join(RELATIONS))
    if idnumber.normalize(row.get("id_number")) == idnumber.normalize(row.get("relative_id_number")):
        p.append("a person is not his own relative")
    return p


@writes
def import_registry(persons: list[tuple[int, dict]], kinship: list[tuple[int, dict]] = ()) -> dict:
    """Upsert persons, accounts and kinship; a file with any bad row imports nothing and names each bad line."""
    errors, seen = {}, {}
    numbers = [idnumber.normalize(r.get("id_number")) for _, r in persons]
    existing = {p.id_number: p for p in db.session.scalars(
        select(Person).where(Person.id_number.in_([n for n in numbers if isinstance(n, str)])))}
    for (line, row), number in zip(persons, numbers):
        problems = _person_problems(row)
        if number in seen:
            problems.append(f"id_number repeats line {seen[number]}")
        seen.setdefault(number, line)
        if not problems and row["insurance_type"] == "employee":
            problems += _booking_problems(existing.get(number), int(row["balance_fen"]))
        if problems:
            errors[f"persons line {line}"] = problems
    for line, clash in cards.clashes(persons, numbers).items():
        errors.setdefault(f"persons line {line}", []).append(clash)
    known = set(seen) | set(_existing_numbers(kinship))
    for line, row in kinship:
        problems = _kinship_problems(row, known)
        if problems:
            errors[f"kinship line {line}"] = problems
    if errors:
        raise InvalidRequest(details=errors)

    cards.release(existing, persons, numbers)
    touched = [_upsert_person(existing.get(n), dict(row, id_number=n)) for (_, row), n in zip(persons, numbers)]
    db.session.flush()
    for _, row in kinship:
        _upsert_kinship(idnumber.normalize(row["id_number"]), idnumber.normalize(row["relative_id_number"]),
                        row["relation"])
    ended = lifecycle.end_invalid_bindings([p.id for p in touched])
    return {"persons": len(persons), "kinship": len(kinship), "bindings_ended": ended}


def _existing_numbers(kinship_rows):
    wanted = {idnumber.normalize(r.get(f)) for _, r in kinship_rows for f in ("id_number", "relative_id_number")}
    wanted = [n for n in wanted if isinstance(n, str)]
    return db.session.scalars(select(Person.id_number).where(Person.id_number.in_(wanted))) if wanted else []


def _booking_problems(person, stated: int) -> list[str]:
    """A later import books the difference from the last stated balance; it must not overdraw the account."""
    account = person.account if person is not None else None
    if account is None:
        return []
    delta = stated - account.stated_balance_fen
    if account.balance_fen + delta < 0:
        return [f"balance_fen falls by {-delta} fen but the account holds only {account.balance_fen}"]
    return []


def _upsert_person(person, row) -> Person:
    if person is None:
        person = Person(id_number=row["id_number"])
        db.session.add(person)
    person.name, person.insurance_type = row["name"], row["insurance_type"]
    person.region_code, person.status = row["region_code"], row["status"]
    if "card_no" in row:  # an older file without the card columns leaves cards as they are
        person.card_no, person.card_status = cards.number(row["card_no"]), row.get("card_status") or None
    if "name_bo" in row:  # likewise the Tibetan name: an empty one removes it
        person.name_bo = row["name_bo"] or None
    db.session.flush()
    if row["status"] != "insured":
        revocation.of_person(person.id)  # his insurance ended: nothing issued for him may be scanned
    account = person.account
    if row["insurance_type"] != "employee":
        if account is not None:
            account.status = "closed"  # no longer employee-insured: the account can pay no more
        return person
    stated = int(row["balance_fen"])
    if account is None:
        account = Account(person_id=person.id, balance_fen=0, stated_balance_fen=0, status=row["account_status"])
        db.session.add(account)
        db.session.flush()
        person.account = account
    delta = stated - account.stated_balance_fen
    if delta:
        ledger.book(account.id, delta, "registry", note="registry import")
    account.stated_balance_fen, account.status = stated, row["account_status"]
    return person


def _upsert_kinship(number, relative_number, relation):
    ids = dict(db.session.execute(select(Person.id_number, Person.id).where(
        Person.id_number.in_([number, relative_number]))).all())
    a, b = ids[number], ids[relative_number]
    for person_id, relative_id, rel in ((a, b, relation), (b, a, REVERSE[relation])):
        row = db.session.scalar(select(Kinship).where(Kinship.person_id == person_id,
                                                      Kinship.relative_id == relative_id))
        if row is None:
            db.session.add(Kinship(person_id=person_id, relative_id=relative_id, relation=rel))
        else:
            row.relation = rel
    db.session.flush()
