"""Who pays a bill, and how much (RULES.md "Deduction order" and "Settlement at the counter"): the catalogue prices
it; the patient's own account pays first, then the helpers the rules let pay, in his order; the rest is cash. Plain
values in, a Plan out: a settlement books it, a preview shows it. SQLAlchemy Core, statements built once."""
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select

from .. import regions
from ..clock import china_month
from ..db import db
from ..family import usage
from ..models import Account, Binding, Person
from ..money import ledger
from . import catalogue, tickets, waterfall

PERSONS, ACCOUNTS, BINDINGS = Person.__table__, Account.__table__, Binding.__table__
BENEFACTORS, OWN_ACCOUNTS = PERSONS.alias("benefactor"), ACCOUNTS.alias("own")
HELPER_ACCOUNTS = ACCOUNTS.alias("helper_account")
# The patient, his own account and every active binding with its benefactor's name and account: one row per helper
# in his order (one row with no binding when he has none). Flat outer joins: SQLite would scan every binding to
# build a nested join.
FAMILY = select(PERSONS.c.id, PERSONS.c.name, PERSONS.c.insurance_type, PERSONS.c.status,
                OWN_ACCOUNTS.c.id.label("own_id"), BINDINGS.c.id.label("binding_id"), BINDINGS.c.relation,
                BINDINGS.c.monthly_limit_fen, BINDINGS.c.allow_card, BINDINGS.c.benefactor_id,
                BENEFACTORS.c.name.label("benefactor_name"), BENEFACTORS.c.name_bo.label("benefactor_name_bo"),
                HELPER_ACCOUNTS.c.id.label("account_id")) \
    .select_from(PERSONS.outerjoin(OWN_ACCOUNTS, OWN_ACCOUNTS.c.person_id == PERSONS.c.id)
                 .outerjoin(BINDINGS, and_(BINDINGS.c.beneficiary_id == PERSONS.c.id, BINDINGS.c.status == "active"))
                 .outerjoin(BENEFACTORS, BENEFACTORS.c.id == BINDINGS.c.benefactor_id)
                 .outerjoin(HELPER_ACCOUNTS, HELPER_ACCOUNTS.c.person_id == BINDINGS.c.benefactor_id)) \
    .where(PERSONS.c.id == bindparam("p")).order_by(BINDINGS.c.position, BINDINGS.c.id)


@dataclass(frozen=True)
class Payer:
    """One active binding of the patient: the helper as the bill sees him (waterfall.Helper is his balance)."""

    binding_id: int
    relation: str
    monthly_limit_fen: int | None
    allow_card: bool
    benefactor_id: int
    benefactor_name: str
    benefactor_name_bo: str | None
    account_id: int | None


@dataclass(frozen=True)
class Patient:
    id: int
    name: str
    insurance_type: str
    status: str
    own_id: int | None


@dataclass(frozen=True)
class Plan:
    """A priced bill and its split: what a settlement books, or what a preview shows."""

    lines: list
    total: int
    eligible: int
    own: object          # the patient's own account row (id, balance_fen, status), or None
    patient: Patient
    month: str
    split: waterfall.Split
    payers: dict         # binding id -> Payer, for the helpers that may pay

    @property
    def own_balance_after_fen(self) -> int | None:
        return None if self.own is None else self.own.balance_fen - self.split.own_fen

    @property
    def aid(self) -> list:
        """[(Payer, fen)] in the order they pay."""
        return [(self.payers[binding_id], fen) for binding_id, fen in self.split.aid]


def family(person_id: int) -> tuple[Patient | None, list[Payer]]:
    """The patient with his own account's id, and his active bindings in his order."""
    rows = db.session.connection().execute(FAMILY, {"p": person_id}).all()
    if not rows:
        return None, []
    first = rows[0]
    return Patient(first.id, first.name, first.insurance_type, first.status, first.own_id), [
        Payer(r.binding_id, r.relation, r.monthly_limit_fen, r.allow_card, r.benefactor_id, r.benefactor_name,
              r.benefactor_name_bo, r.account_id) for r in rows if r.binding_id is not None]


def plan(patient_id: int, channel: str, region_code: str, remote_aid: bool, items: list[dict], use_accounts: bool,
         at, lock: bool) -> Plan:
    """Price the bill for the patient at an institution of that region and split it; with `lock`, the paying
    accounts are locked first (in id order) and the split holds until the caller's transaction ends."""
    lines, total, eligible = catalogue.priced(items)
    patient, payers = family(patient_id)
    tickets.require_insured(patient)
    if not use_accounts or not (regions.in_ali(region_code) or remote_aid):
        payers = []  # family accounts pay in Ali, or where the institution offers remote mutual aid
    if channel == "card":  # a card pays for whoever holds it: only helpers who allow that
        payers = [b for b in payers if b.allow_card]
    accounts = ledger.balances([b.account_id for b in payers if b.account_id] +
                               ([patient.own_id] if patient.own_id else []), lock=lock)
    own = accounts.get(patient.own_id)
    if patient.insurance_type == "employee" and (own is None or own.status != "normal"):
        payers = []  # his own account must be normal for any family aid (read under the lock)
    month = china_month(at)
    used = usage.paid([b.binding_id for b in payers if b.monthly_limit_fen is not None], month)
    helpers = []
    for b in payers:
        account = accounts.get(b.account_id)
        if account is None or account.status != "normal":
            continue  # frozen or closed: passed over, the binding stays
        headroom = None if b.monthly_limit_fen is None else b.monthly_limit_fen - used.get(b.binding_id, (0, 0))[0]
        helpers.append(waterfall.Helper(b.binding_id, account.balance_fen, headroom))
    own_balance = own.balance_fen if own is not None and own.status == "normal" else None
    split = waterfall.split(total, eligible if use_accounts else 0, own_balance, helpers)
    return Plan(lines, total, eligible, own, patient, month, split, {b.binding_id: b for b in payers})
