"""Settlement at the counter (RULES.md "Settlement at the counter"), read top to bottom: a preview counts against the
ticket and moves nothing; a settlement claims the ticket, books its plan all or nothing and is idempotent per
(institution, order number); a reversal gives the money back to exactly the accounts that paid, once.

Who pays what is payers.plan's; the ticket is tickets.py's; every balance changes through ledger.book. One way to
the database, SQLAlchemy Core with statements built once, and one answer (`_answer`) for all three. The settle
request from the view to ledger.book (docs/performance.md, "Settlement in one place"): mini/auth.py
institution_signed -> mini/counter.py settle -> settle here -> services/db.py writes -> _settle, _book here ->
services/money/ledger.py book.
"""
import hashlib
import json
import re

from sqlalchemy import bindparam, select

from .. import masking, metrics
from ..clock import now
from ..db import db, dialect_insert, writes
from ..errors import Conflict, InvalidRequest, NotFound, Refused
from ..models import Binding, Institution, Person, Settlement, SettlementAid
from ..money import ledger
from ..notify import messages
from ..people import counter_auth
from . import payers, tickets

# 1-64 printable ASCII characters other than space, ?, # and % (they would not survive a URL path unescaped)
ORDER_NO = r"^[!\"$&->@-~]{1,64}$"

SETTLEMENTS, AID, BINDINGS = Settlement.__table__, SettlementAid.__table__, Binding.__table__
INSTITUTIONS, PERSONS = Institution.__table__, Person.__table__
# This institution's settlement with that order number, with its institution's name: the one lookup by order number.
FIND = select(SETTLEMENTS, INSTITUTIONS.c.name.label("institution_name")) \
    .join(INSTITUTIONS, INSTITUTIONS.c.id == SETTLEMENTS.c.institution_id) \
    .where(SETTLEMENTS.c.institution_id == bindparam("i"), SETTLEMENTS.c.order_no == bindparam("o"))
FIND_FOR_UPDATE = FIND.with_for_update(of=SETTLEMENTS)
# Who paid toward a settlement, in the order they paid, with the benefactor's names (as a plan's payers say it).
AID_OF = select(AID.c.binding_id, BINDINGS.c.relation, PERSONS.c.name.label("benefactor_name"),
                PERSONS.c.name_bo.label("benefactor_name_bo"), BINDINGS.c.benefactor_id, AID.c.account_id,
                AID.c.amount_fen) \
    .join(BINDINGS, BINDINGS.c.id == AID.c.binding_id).join(PERSONS, PERSONS.c.id == BINDINGS.c.benefactor_id) \
    .where(AID.c.settlement_id == bindparam("s")).order_by(AID.c.rank)
INSERT_AID = AID.insert()
REVERSED = SETTLEMENTS.update().where(SETTLEMENTS.c.id == bindparam("s")) \
    .values(status="reversed", reversed_at=bindparam("at"), reverse_reason=bindparam("reason"))
SHOWN = ("id", "order_no", "status", "channel", "total_fen", "eligible_fen", "own_account_fen", "mutual_aid_fen",
         "cash_fen", "own_balance_after_fen", "items", "settled_at", "reversed_at", "ticket", "patient_id")


def _check_order_no(order_no) -> None:
    """An order number is also a URL path segment: only characters that survive one unescaped."""
    if not isinstance(order_no, str) or not re.fullmatch(ORDER_NO[1:-1], order_no):
        raise InvalidRequest(details={"order_no": ["1 to 64 printable ASCII characters other than space, ?, # and %"]})


def request_hash(ticket: str, items: list[dict], use_accounts: bool) -> str:
    canonical = json.dumps({"ticket": ticket, "items": items, "use_accounts": use_accounts},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@writes
def preview(institution_id: str, ticket: str, items: list[dict], use_accounts: bool = True) -> dict:
    """The settlement this bill would make now; no money moves. At most 5 per ticket: balances are not for probing."""
    at = now()
    t = tickets.count_preview(ticket, institution_id, at)
    p = payers.plan(t.person_id, t.channel, t.region_code, t.remote_aid, items, use_accounts, at, lock=False)
    return _answer({**_columns(t, p), "status": "preview"}, t.institution_name, p.aid)


def settle(institution_id: str, ticket: str, order_no: str, items: list[dict], use_accounts: bool = True,
           nonce: str | None = None) -> tuple[dict, bool]:
    """Settle once per (institution, order_no): (the settlement, created). A repeat is answered as the first time.

    `nonce`, the signed request's, is recorded in the settlement's own transaction (mini/auth.py)."""
    _check_order_no(order_no)
    answer, created = _settle(institution_id, ticket, order_no, items, use_accounts,
                              request_hash(ticket, items, use_accounts), nonce)
    if created:
        metrics.settled(answer)  # committed: counted once, never for a replay
    return answer, created


@writes
def _settle(institution_id, ticket, order_no, items, use_accounts, digest, nonce):
    counter_auth.record_nonce(institution_id, nonce)
    at = now()
    try:
        t = tickets.claim(ticket, institution_id, at)
    except (Refused, Conflict):  # used or gone: this order number's repeat (or a twin's, just committed) is answered
        found = _find(institution_id, order_no)
        if found is None:
            raise
        if found.request_hash != digest:
            raise _taken() from None
        return _stored(found), False
    try:
        p = payers.plan(t.person_id, t.channel, t.region_code, t.remote_aid, items, use_accounts, at, lock=True)
    except Refused:  # a number settled with another ticket says so first, whatever this bill's trouble
        if _find(institution_id, order_no) is not None:
            raise _taken() from None
        raise
    made = _book(t, order_no, digest, use_accounts, p, at)
    if made is None:  # the order number was settled with another ticket: refused, and the claim rolls back
        raise _taken()
    return made, True


def _taken() -> Conflict:
    return Conflict("idempotency_conflict")  # this order number was settled with other content


def _book(t, order_no: str, digest: str, use_accounts: bool, p: payers.Plan, at) -> dict | None:
    """The settlement row, each paying account's entry, each helper's aid row and message, in the caller's
    transaction; None, with nothing booked, when this institution's order number is already taken."""
    conn, split = db.session.connection(), p.split
    row = {**_columns(t, p), "order_no": order_no, "request_hash": digest, "status": "settled",
           "use_accounts": use_accounts, "month": p.month, "settled_at": at}
    sid = conn.execute(dialect_insert(SETTLEMENTS, conflict=(SETTLEMENTS.c.institution_id, SETTLEMENTS.c.order_no),
                                      returning=SETTLEMENTS.c.id), row).scalar()
    if sid is None:
        return None
    # its entries carry its very instant, so a day's settlements and that day's ledger agree (audit)
    refs = {"institution_id": t.institution_id, "order_no": order_no, "settlement_id": sid, "channel": t.channel,
            "at": at}
    if split.own_fen:  # the account is locked: the balance after is the one the settlement row already says
        ledger.book(p.own.id, -split.own_fen, "settlement", **refs)
    for b, fen in p.aid:
        ledger.book(b.account_id, -fen, "mutual_aid", counterparty_id=t.person_id, binding_id=b.binding_id, **refs)
    if p.aid:
        conn.execute(INSERT_AID, [{"settlement_id": sid, "binding_id": b.binding_id, "account_id": b.account_id,
                                   "rank": rank, "amount_fen": fen, "month": p.month}
                                  for rank, (b, fen) in enumerate(p.aid)])
        patient = masking.name(p.patient.name)
        messages.notify_many([(b.benefactor_id, "aid_paid", {"patient": patient, "relation": b.relation,
                                                             "institution": t.institution_name, "amount_fen": fen},
                               b.binding_id) for b, fen in p.aid])
    return _answer({**row, "id": sid}, t.institution_name, p.aid)


def show(institution_id: str, order_no: str) -> dict:
    """One of this institution's settlements, as it was answered (reversed since, if it was)."""
    _check_order_no(order_no)
    found = _find(institution_id, order_no)
    if found is None:
        raise NotFound()
    return _stored(found)


@writes
def reverse(institution_id: str, order_no: str, reason: str | None = None) -> dict:
    """Refund (退费): the money goes back to exactly the accounts that paid, once."""
    _check_order_no(order_no)
    s = _find(institution_id, order_no, lock=True)
    if s is None:
        raise NotFound()
    if s.status == "reversed":
        return _stored(s)
    at, aid = now(), _aid(s.id)
    patient, _ = payers.family(s.patient_id)
    ledger.balances([b.account_id for b, _ in aid] + ([patient.own_id] if s.own_account_fen else []))  # locked
    refs = {"institution_id": institution_id, "order_no": order_no, "settlement_id": s.id, "note": reason,
            "channel": s.channel, "at": at}
    if s.own_account_fen:
        ledger.book(patient.own_id, s.own_account_fen, "reversal", **refs)
    for b, fen in aid:
        ledger.book(b.account_id, fen, "reversal", counterparty_id=s.patient_id, binding_id=b.binding_id, **refs)
    if aid:
        messages.notify_many([(b.benefactor_id, "aid_reversed", {
            "institution": s.institution_name, "amount_fen": fen, "patient": masking.name(patient.name)},
            b.binding_id) for b, fen in aid])
    db.session.connection().execute(REVERSED, {"s": s.id, "at": at, "reason": reason})
    return _answer({**s._mapping, "status": "reversed", "reversed_at": at}, s.institution_name, aid)


def _find(institution_id: str, order_no: str, lock: bool = False):
    """This institution's settlement with that order number (and institution_name), or None; `lock`: FOR UPDATE."""
    return db.session.connection().execute(FIND_FOR_UPDATE if lock else FIND,
                                           {"i": institution_id, "o": order_no}).first()


def _aid(settlement_id: int) -> list:
    """[(part, fen)] of a settlement made, as a plan's aid: who paid, in the order they paid."""
    return [(part, part.amount_fen) for part in db.session.connection().execute(AID_OF, {"s": settlement_id})]


def _stored(s) -> dict:
    return _answer(s._mapping, s.institution_name, _aid(s.id))


def _columns(t, p: payers.Plan) -> dict:
    """What a settlement of plan `p` on ticket `t` says: a preview shows it, a settlement stores it."""
    return {"institution_id": t.institution_id, "patient_id": t.person_id, "ticket": t.token, "channel": t.channel,
            "items": p.lines, "total_fen": p.total, "eligible_fen": p.eligible, "own_account_fen": p.split.own_fen,
            "mutual_aid_fen": p.split.aid_fen, "cash_fen": p.split.cash_fen,
            "own_balance_after_fen": p.own_balance_after_fen}


def _answer(s, institution_name: str, aid: list) -> dict:
    """The settlement as the contract shows it, from its columns (a preview's have no id, order number or time) and
    its aid [(payer or part, fen)], with each benefactor's real name: the schema masks it."""
    return {**{name: s.get(name) for name in SHOWN},
            "institution": {"id": s["institution_id"], "name": institution_name},
            "mutual_aid": [{"binding_id": b.binding_id, "relation": b.relation, "amount_fen": fen,
                            "benefactor": {"name": b.benefactor_name, "name_bo": b.benefactor_name_bo}}
                           for b, fen in aid]}
