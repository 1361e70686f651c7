"""The settle request's hot path in SQLAlchemy Core, statements built once (as bench/ceiling.py does).

The rules are settlement.py's; here they run on plain rows: no ORM unit of work, no identity map. One statement
claims the ticket (locks it, checks it and marks it used), one reads the patient with his whole family, one locks
the paying accounts; the settlement row is inserted unless its order number is taken. Every balance still changes
through ledger.book.
"""
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select

from .. import masking, regions
from ..clock import china_month
from ..db import db, dialect_insert
from ..errors import Conflict
from ..family import usage
from ..models import Account, Binding, Institution, Person, Settlement, SettlementAid, Ticket
from ..money import ledger
from ..notify import messages
from . import catalogue, vouchers, waterfall

T, I, P, A, B = (m.__table__ for m in (Ticket, Institution, Person, Account, Binding))
S, SA = Settlement.__table__, SettlementAid.__table__
Benefactor, Own, HelperAccount = P.alias("benefactor"), A.alias("own"), A.alias("helper_account")


def _of_institution(column):
    """A column of the ticket's institution (SQLite's RETURNING may name only the updated table, not a FROM)."""
    return select(column).where(I.c.id == T.c.institution_id).scalar_subquery()


# Good for this institution, unexpired and unused: marked used in the statement that locks it. When it answers no
# row the request is a replay or is refused (refuse_ticket says which); a refusal rolls the claim back with the rest.
CLAIM = T.update().where(T.c.token == bindparam("t"), T.c.institution_id == bindparam("i"), T.c.used_at.is_(None),
                         T.c.expires_at > bindparam("at")).values(used_at=bindparam("at")) \
    .returning(T.c.token, T.c.institution_id, T.c.person_id, T.c.channel,
               _of_institution(I.c.name).label("institution_name"),
               _of_institution(I.c.region_code).label("region_code"),
               _of_institution(I.c.remote_aid).label("remote_aid"))
EXISTING = select(S.c.id, S.c.request_hash).where(S.c.institution_id == bindparam("i"), S.c.order_no == bindparam("o"))
# The patient, his own account and every active binding with its benefactor's name and account: one row per helper
# in his order (one row with no binding when he has none). Flat outer joins: SQLite would scan every binding to
# build a nested join.
FAMILY = select(P.c.id, P.c.name, P.c.insurance_type, P.c.status, Own.c.id.label("own_id"),
                B.c.id.label("binding_id"), B.c.relation, B.c.monthly_limit_fen, B.c.allow_card, B.c.benefactor_id,
                Benefactor.c.name.label("benefactor_name"), Benefactor.c.name_bo.label("benefactor_name_bo"),
                HelperAccount.c.id.label("account_id")) \
    .select_from(P.outerjoin(Own, Own.c.person_id == P.c.id)
                 .outerjoin(B, and_(B.c.beneficiary_id == P.c.id, B.c.status == "active"))
                 .outerjoin(Benefactor, Benefactor.c.id == B.c.benefactor_id)
                 .outerjoin(HelperAccount, HelperAccount.c.person_id == B.c.benefactor_id)) \
    .where(P.c.id == bindparam("p")).order_by(B.c.position, B.c.id)
INSERT_AID = SA.insert()


@dataclass(frozen=True)
class Helper:
    """One active binding of the patient, as the bill sees it."""

    id: int
    relation: str
    monthly_limit_fen: int | None
    allow_card: bool
    benefactor_id: int
    benefactor_name: str
    account_id: int | None
    benefactor_name_bo: str | None = None


@dataclass(frozen=True)
class Patient:
    id: int
    name: str
    insurance_type: str
    status: str
    own_id: int | None


@dataclass(frozen=True)
class Plan:
    """A priced bill and its split: what settle_new books, or what a preview shows."""

    lines: list
    total: int
    eligible: int
    own: object          # the patient's own account row (id, balance_fen, status), or None
    patient: Patient
    month: str
    split: waterfall.Split
    helpers: dict        # binding id -> Helper, for the helpers that may pay

    @property
    def own_balance_after_fen(self) -> int | None:
        return None if self.own is None else self.own.balance_fen - self.split.own_fen


def claim(token: str, institution_id: str, at):
    """The ticket with its institution, marked used, or None (refuse_ticket says why, or it is a replay)."""
    return db.session.connection().execute(CLAIM, {"t": token, "i": institution_id, "at": at}).first()


def refuse_ticket(token: str, institution_id: str) -> None:
    """Why a ticket could not be claimed: unknown, another's or expired (ticket_invalid); else used before."""
    vouchers.valid_ticket(token, institution_id)
    raise Conflict("ticket_used", "this ticket was already used for a settlement")


def existing(institution_id: str, order_no: str):
    """(id, request_hash) of this institution's settlement with that order number, or None."""
    return db.session.connection().execute(EXISTING, {"i": institution_id, "o": order_no}).first()


def _family(person_id: int) -> tuple[Patient | None, list[Helper]]:
    rows = db.session.connection().execute(FAMILY, {"p": person_id}).all()
    if not rows:
        return None, []
    first = rows[0]
    patient = Patient(first.id, first.name, first.insurance_type, first.status, first.own_id)
    return patient, [Helper(r.binding_id, r.relation, r.monthly_limit_fen, r.allow_card, r.benefactor_id,
                            r.benefactor_name, r.account_id, r.benefactor_name_bo) for r in rows if r.binding_id is not None]


def plan(inst, t, items: list[dict], use_accounts: bool, lock: bool, at) -> Plan:
    """Price the bill and split it; with `lock`, the paying accounts are locked first (in id order).

    `inst` has region_code and remote_aid, `t` person_id and channel (rows or models alike)."""
    lines, total, eligible = catalogue.priced(items)
    patient, helpers = _family(t.person_id)
    vouchers.require_insured(patient)
    if not use_accounts or not (regions.in_ali(inst.region_code) or inst.remote_aid):
        helpers = []
    if t.channel == "card":  # a card pays for whoever holds it: only helpers who allow that
        helpers = [b for b in helpers if b.allow_card]
    accounts = ledger.balances([b.account_id for b in helpers if b.account_id] +
                               ([patient.own_id] if patient.own_id else []), lock=lock)
    own = accounts.get(patient.own_id)
    if patient.insurance_type == "employee" and (own is None or own.status != "normal"):
        helpers = []  # his own account must be normal for any family aid (read under the lock)
    month = china_month(at)
    used = usage.paid([b.id for b in helpers if b.monthly_limit_fen is not None], month)
    usable = []
    for b in helpers:
        acct = accounts.get(b.account_id)
        if acct is None or acct.status != "normal":
            continue  # frozen or closed: passed over, the binding stays
        headroom = None if b.monthly_limit_fen is None else b.monthly_limit_fen - used.get(b.id, (0, 0))[0]
        usable.append(waterfall.Helper(b.id, acct.balance_fen, headroom))
    own_balance = own.balance_fen if own is not None and own.status == "normal" else None
    split = waterfall.split(total, eligible if use_accounts else 0, own_balance, usable)
    return Plan(lines, total, eligible, own, patient, month, split, {b.id: b for b in helpers})


def aid_view(helper: Helper, amount: int) -> dict:
    """One helper's part of the answer, with the benefactor's real name (the schema masks it)."""
    return {"binding_id": helper.id, "relation": helper.relation,
            "benefactor": {"name": helper.benefactor_name, "name_bo": helper.benefactor_name_bo}, "amount_fen": amount}


def settle_new(t, order_no: str, digest: str, use_accounts: bool, p: Plan, at) -> dict | None:
    """Book the planned settlement: the settlement row, each account's entry, each helper's aid and message.

    None, with nothing booked, when this institution's order number is already taken."""
    conn, split, own = db.session.connection(), p.split, p.own
    row = {"institution_id": t.institution_id, "order_no": order_no, "request_hash": digest, "status": "settled",
           "patient_id": t.person_id, "ticket": t.token, "channel": t.channel, "use_accounts": use_accounts,
           "items": p.lines, "total_fen": p.total, "eligible_fen": p.eligible, "own_account_fen": split.own_fen,
           "mutual_aid_fen": split.aid_fen, "cash_fen": split.cash_fen, "month": p.month,
           "own_balance_after_fen": p.own_balance_after_fen, "settled_at": at}
    sid = conn.execute(dialect_insert(S, conflict=(S.c.institution_id, S.c.order_no), returning=S.c.id),
                       row).scalar()
    if sid is None:
        return None
    # its entries carry its very instant, so a day's settlements and that day's ledger agree (audit)
    refs = {"institution_id": t.institution_id, "order_no": order_no, "settlement_id": sid, "channel": t.channel,
            "at": at}
    if split.own_fen:  # the account is locked: the balance after is the one the settlement row already says
        ledger.book(own.id, -split.own_fen, "settlement", **refs)
    patient_name, aid, notes, shown = masking.name(p.patient.name), [], [], []
    for rank, (binding_id, amount) in enumerate(split.aid):
        b = p.helpers[binding_id]
        ledger.book(b.account_id, -amount, "mutual_aid", counterparty_id=t.person_id, binding_id=binding_id, **refs)
        aid.append({"settlement_id": sid, "binding_id": binding_id, "account_id": b.account_id, "rank": rank,
                    "amount_fen": amount, "month": p.month})
        notes.append((b.benefactor_id, "aid_paid", {"patient": patient_name, "relation": b.relation,
                                                    "institution": t.institution_name, "amount_fen": amount},
                      binding_id))
        shown.append(aid_view(b, amount))
    if aid:
        conn.execute(INSERT_AID, aid)
        messages.notify_many(notes)
    return {**row, "id": sid, "mutual_aid": shown, "reversed_at": None,
            "institution": {"id": t.institution_id, "name": t.institution_name}}
