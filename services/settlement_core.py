"""The settle request's hot path in SQLAlchemy Core, statements built once (as bench/ceiling.py does).

The rules are settlement.py's; here they run on plain rows: no ORM unit of work, no identity map, one joined query
where there used to be several lookups. Every balance still changes through ledger.book.
"""
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, func, insert, select

from . import ledger, masking, messages, vouchers
from . import waterfall
from .clock import china_month
from .db import db
from .models import Account, Binding, Institution, Person, Settlement, SettlementAid, Ticket

ALI_PREFIX = "5425"
T, I, P, A, B = (m.__table__ for m in (Ticket, Institution, Person, Account, Binding))
S, SA = Settlement.__table__, SettlementAid.__table__
Benefactor = P.alias("benefactor")

TICKET = select(T.c.token, T.c.institution_id, T.c.person_id, T.c.channel, T.c.expires_at, T.c.used_at,
                I.c.name.label("institution_name"), I.c.region_code, I.c.remote_aid) \
    .join(I, I.c.id == T.c.institution_id).where(T.c.token == bindparam("t")).with_for_update(of=T)
EXISTING = select(S.c.id, S.c.request_hash).where(S.c.institution_id == bindparam("i"), S.c.order_no == bindparam("o"))
PATIENT = select(P.c.id, P.c.name, P.c.insurance_type, P.c.status, A.c.id.label("own_id")) \
    .outerjoin(A, A.c.person_id == P.c.id).where(P.c.id == bindparam("p"))
HELPERS = select(B.c.id, B.c.relation, B.c.monthly_limit_fen, B.c.allow_card, B.c.benefactor_id,
                 Benefactor.c.name.label("benefactor_name"), A.c.id.label("account_id")) \
    .join(Benefactor, Benefactor.c.id == B.c.benefactor_id).outerjoin(A, A.c.person_id == B.c.benefactor_id) \
    .where(B.c.beneficiary_id == bindparam("p"), B.c.status == "active").order_by(B.c.position, B.c.id)
USAGE = select(SA.c.binding_id, func.sum(SA.c.amount_fen)).join(S, S.c.id == SA.c.settlement_id) \
    .where(SA.c.binding_id.in_(bindparam("b", expanding=True)), SA.c.month == bindparam("m"),
           S.c.status == "settled").group_by(SA.c.binding_id)
INSERT_SETTLEMENT = insert(S).returning(S.c.id)
INSERT_AID = insert(SA)
TICKET_USED = T.update().where(T.c.token == bindparam("t")).values(used_at=bindparam("at"))


def ticket(token: str, institution_id: str, at):
    """The ticket, locked, with its institution: refused as vouchers.valid_ticket refuses; used ones are the caller's."""
    row = db.session.connection().execute(TICKET, {"t": token}).first()
    vouchers.check_ticket(row, institution_id, at)
    return row


def existing(institution_id: str, order_no: str):
    """(id, request_hash) of this institution's settlement with that order number, or None."""
    return db.session.connection().execute(EXISTING, {"i": institution_id, "o": order_no}).first()


@dataclass(frozen=True)
class Plan:
    """A bill priced and split, with the rows booking it needs (plain rows, as the queries above give them)."""
    lines: list[dict]
    total: int
    eligible: int
    own: Row | None         # the patient's own account (id, balance_fen, status), locked when planned with `lock`
    patient: Row            # PATIENT's row
    month: str              # the China month the aid counts in
    split: waterfall.Split
    helpers: dict[int, Row]  # binding id -> HELPERS' row


def plan(inst, t, items: list[dict], use_accounts: bool, lock: bool, at) -> Plan:
    """Price the bill and split it; with `lock`, the paying accounts are locked first (in id order).

    `inst` has region_code and remote_aid, `t` person_id and channel (rows or models alike)."""
    from . import catalogue
    conn = db.session.connection()
    lines, total, eligible = catalogue.priced(items)
    patient = conn.execute(PATIENT, {"p": t.person_id}).first()
    vouchers.require_insured(patient)
    family_ok = inst.region_code.startswith(ALI_PREFIX) or inst.remote_aid
    helpers = list(conn.execute(HELPERS, {"p": patient.id})) if use_accounts and family_ok else []
    if t.channel == "card":  # a card pays for whoever holds it: only helpers who allow that
        helpers = [b for b in helpers if b.allow_card]
    accounts = ledger.balances([b.account_id for b in helpers if b.account_id] +
                               ([patient.own_id] if patient.own_id else []), lock=lock)
    own = accounts.get(patient.own_id)
    if patient.insurance_type == "employee" and (own is None or own.status != "normal"):
        helpers = []  # his own account must be normal for any family aid (read under the lock)
    month = china_month(at)
    limited = [b.id for b in helpers if b.monthly_limit_fen is not None]
    used = dict(conn.execute(USAGE, {"b": limited, "m": month}).all()) if limited else {}
    usable = []
    for b in helpers:
        acct = accounts.get(b.account_id)
        if acct is None or acct.status != "normal":
            continue  # frozen or closed: passed over, the binding stays
        headroom = None if b.monthly_limit_fen is None else b.monthly_limit_fen - int(used.get(b.id, 0))
        usable.append(waterfall.Helper(b.id, acct.balance_fen, headroom))
    own_balance = own.balance_fen if own is not None and own.status == "normal" else None
    split = waterfall.split(total, eligible if use_accounts else 0, own_balance, usable)
    return Plan(lines, total, eligible, own, patient, month, split, {b.id: b for b in helpers})


def aid_view(helper, amount: int) -> dict:
    """One helper's part of the answer, with the benefactor's real name (the schema masks it)."""
    return {"binding_id": helper.id, "relation": helper.relation, "benefactor": {"name": helper.benefactor_name},
            "amount_fen": amount}


def settle_new(t, order_no: str, digest: str, use_accounts: bool, p: Plan, at) -> dict:
    """Book the planned settlement: the settlement row, each account's entry, each helper's aid and message."""
    conn, split, own = db.session.connection(), p.split, p.own
    row = {"institution_id": t.institution_id, "order_no": order_no, "request_hash": digest, "status": "settled",
           "patient_id": t.person_id, "ticket": t.token, "channel": t.channel, "use_accounts": use_accounts,
           "items": p.lines, "total_fen": p.total, "eligible_fen": p.eligible, "own_account_fen":
           split.own_fen, "mutual_aid_fen": split.aid_fen, "cash_fen": split.cash_fen, "month": p.month,
           "own_balance_after_fen": None if own is None else own.balance_fen - split.own_fen, "settled_at": at}
    sid = conn.execute(INSERT_SETTLEMENT, row).scalar_one()
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
    conn.execute(TICKET_USED, {"t": t.token, "at": at})
    return {**row, "id": sid, "mutual_aid": shown, "reversed_at": None,
            "institution": {"id": t.institution_id, "name": t.institution_name}}
