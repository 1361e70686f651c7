"""The medical-insurance card (医保卡): its registry columns, and the scan that turns a card into a ticket."""
import re

from sqlalchemy import select

from ..clock import now
from ..db import db, writes
from ..errors import Refused
from ..models import Person
from ..models.people import CARD_STATUSES
from ..people import counter_auth
from . import tickets

CARD_NO = re.compile(r"^[A-Za-z0-9]{6,20}$")


def number(text: str | None) -> str | None:
    """A card number as stored and looked up: upper case, so a reader's case never matters; None when empty."""
    return text.strip().upper() if text and text.strip() else None


@writes
def scan(institution_id: str, card_no: str, nonce: str | None = None) -> dict:
    """The reader has read the card and the card checked its PIN: the signed request is the proof. Lost pays nothing."""
    counter_auth.record_nonce(institution_id, nonce)
    card = number(card_no)
    person = db.session.scalar(select(Person).where(Person.card_no == card)) if card and CARD_NO.match(card) else None
    if person is None or person.card_status != "normal":
        raise Refused("card_invalid")  # unknown, or reported lost
    tickets.require_insured(person)
    return tickets.issue(institution_id, person, "card", None, now())


def row_problems(row) -> list[str]:
    """The optional card columns of a persons row: a card of 6-20 letters and digits with its status, or neither."""
    card_no, card_status = row.get("card_no") or "", row.get("card_status") or ""
    if not card_no:
        return ["card_status must be empty when card_no is"] if card_status else []
    p = [] if CARD_NO.match(card_no) else ["card_no must be 6 to 20 letters and digits"]
    if card_status not in CARD_STATUSES:
        p.append("card_status must be normal or lost")
    return p


def clashes(persons, numbers) -> dict[int, str]:
    """Lines whose card repeats an earlier line, or is held by someone this file does not take it from."""
    wanted = [c for c in (number(r.get("card_no")) for _, r in persons) if c]
    holders = dict(db.session.execute(select(Person.card_no, Person.id_number)
                                      .where(Person.card_no.in_(wanted))).all()) if wanted else {}
    new_card = {n: number(r.get("card_no")) for (_, r), n in zip(persons, numbers) if "card_no" in r}
    first, found = {}, {}
    for (line, row), id_number in zip(persons, numbers):
        card = number(row.get("card_no"))
        if not card:
            continue
        if card in first:
            found[line] = f"card_no repeats line {first[card]}"
        holder = holders.get(card)
        if holder and holder != id_number and new_card.get(holder, card) == card:
            found.setdefault(line, "card_no belongs to another person in the registry")
        first.setdefault(card, line)
    return found


def release(existing: dict, persons, numbers):
    """Clear the cards this file changes first, so a card may pass from one person to another in one file."""
    for (_, row), id_number in zip(persons, numbers):
        person = existing.get(id_number)
        if person is not None and "card_no" in row and person.card_no != number(row["card_no"]):
            person.card_no = person.card_status = None
    db.session.flush()
