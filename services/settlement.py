"""Settlement at the counter: the waterfall applied all-or-nothing, idempotent per order number; reversal."""
import hashlib
import json
import re

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from . import catalogue, ledger, masking, messages, metrics, usage, vouchers
from . import waterfall as wf
from .clock import china_month, now
from .db import db, writes
from .errors import Conflict, InvalidRequest, NotFound, Refused
from .helpers import active_helpers
from .models import Account, Institution, Person, Settlement, SettlementAid, Ticket
from .eligibility import RELATION_LABELS

ALI_PREFIX = "5425"
PREVIEWS_PER_TICKET = 5
# 1-64 printable ASCII characters other than space, ?, # and % (they would not survive a URL path unescaped)
ORDER_NO = r"^[!\"$&->@-~]{1,64}$"


def _check_order_no(order_no) -> None:
    """An order number is also a URL path segment: only characters that survive one unescaped."""
    if not isinstance(order_no, str) or not re.fullmatch(ORDER_NO[1:-1], order_no):
        raise InvalidRequest(details={"order_no": ["1 to 64 printable ASCII characters other than space, ?, # and %"]})


def request_hash(ticket: str, items: list[dict], use_accounts: bool) -> str:
    canonical = json.dumps({"ticket": ticket, "items": items, "use_accounts": use_accounts},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plan(institution: Institution, ticket: Ticket, items: list[dict], use_accounts: bool, lock: bool):
    """Price the bill and split it; with `lock`, the paying accounts are locked first (in id order)."""
    lines, total, eligible = catalogue.priced(items)
    patient = db.session.get(Person, ticket.person_id)
    vouchers.require_insured(patient)
    own_id = db.session.scalar(select(Account.id).where(Account.person_id == patient.id))
    family_ok = institution.region_code.startswith(ALI_PREFIX) or institution.remote_aid
    helpers = active_helpers(patient.id, with_accounts=True) if use_accounts and family_ok else []
    if ticket.channel == "card":  # a card pays for whoever holds it: only helpers who allow that
        helpers = [b for b in helpers if b.allow_card]
    helper_accounts = {b.id: b.benefactor.account for b in helpers}
    account_ids = [a.id for a in helper_accounts.values() if a is not None] + ([own_id] if own_id else [])
    accounts = ledger.lock_accounts(account_ids) if lock else {a: db.session.get(Account, a) for a in account_ids}
    own_acct = accounts.get(own_id) if own_id else None
    if patient.insurance_type == "employee" and (own_acct is None or own_acct.status != "normal"):
        helpers = []  # his own account must be normal for any family aid (read under the lock)
    month = china_month(now())
    limited = [b.id for b in helpers if b.monthly_limit_fen is not None]
    used = {b: fen for b, (fen, _) in usage.paid(limited, month).items()}
    usable = []
    for b in helpers:
        acct = accounts.get(helper_accounts[b.id].id) if helper_accounts[b.id] else None
        if acct is None or acct.status != "normal":
            continue  # frozen or closed: passed over, the binding stays
        headroom = None if b.monthly_limit_fen is None else b.monthly_limit_fen - used.get(b.id, 0)
        usable.append(wf.Helper(b.id, acct.balance_fen, headroom))
    own_balance = own_acct.balance_fen if own_acct is not None and own_acct.status == "normal" else None
    split = wf.split(total, eligible if use_accounts else 0, own_balance, usable)
    by_id = {b.id: b for b in helpers}
    return lines, total, eligible, own_acct, split, by_id, month


@writes
def preview(institution_id: str, ticket: str, items: list[dict], use_accounts: bool = True) -> dict:
    """The settlement this bill would make now; no money moves. At most 5 per ticket: balances are not for probing."""
    t = vouchers.valid_ticket(ticket, institution_id)
    if t.used_at is not None:
        raise Conflict("ticket_used", "this ticket was already used for a settlement")
    counted = db.session.execute(update(Ticket).where(Ticket.token == t.token, Ticket.previews < PREVIEWS_PER_TICKET)
                                 .values(previews=Ticket.previews + 1)
                                 .execution_options(synchronize_session=False)).rowcount
    if not counted:
        raise Refused("preview_limit_reached", f"this ticket has had its {PREVIEWS_PER_TICKET} previews; settle it")
    inst = db.session.get(Institution, institution_id)
    lines, total, eligible, own_acct, split, by_id, _ = _plan(inst, t, items, use_accounts, lock=False)
    return {"id": None, "order_no": None, "status": "preview", "channel": t.channel, "total_fen": total, "eligible_fen": eligible,
            "own_account_fen": split.own_fen, "mutual_aid_fen": split.aid_fen, "cash_fen": split.cash_fen,
            "mutual_aid": [_aid_view(by_id[k], k, amount) for k, amount in split.aid],
            "own_balance_after_fen": None if own_acct is None else own_acct.balance_fen - split.own_fen,
            "institution": inst, "items": lines, "settled_at": None, "reversed_at": None}


def _aid_view(binding, binding_id, amount):
    return {"binding_id": binding_id, "relation": binding.relation,
            "benefactor": {"name_masked": masking.name(binding.benefactor.name)}, "amount_fen": amount}


def settle(institution_id: str, ticket: str, order_no: str, items: list[dict], use_accounts: bool = True):
    """Settle once per (institution, order_no): (settlement view, created). A lost race is answered as a replay."""
    _check_order_no(order_no)
    digest = request_hash(ticket, items, use_accounts)
    try:
        answer, created = _settle(institution_id, ticket, order_no, items, use_accounts, digest)
    except IntegrityError:  # another request inserted this order_no first: answer as its replay
        answer, created = _settle(institution_id, ticket, order_no, items, use_accounts, digest)
    if created:
        metrics.settled(answer)  # committed: counted once, never for a replay
    return answer, created


def _existing(institution_id, order_no, digest):
    found = db.session.scalar(select(Settlement).where(Settlement.institution_id == institution_id,
                                                       Settlement.order_no == order_no))
    if found is not None and found.request_hash != digest:
        raise Conflict("idempotency_conflict", "this order number was settled with different content")
    return found


@writes
def _settle(institution_id, ticket, order_no, items, use_accounts, digest):
    found = _existing(institution_id, order_no, digest)
    if found is not None:
        return view(found), False
    t = vouchers.valid_ticket(ticket, institution_id, for_update=True)
    if t.used_at is not None:
        found = _existing(institution_id, order_no, digest)  # a concurrent twin may have just committed
        if found is not None:
            return view(found), False
        raise Conflict("ticket_used", "this ticket was already used for a settlement")
    inst = db.session.get(Institution, institution_id)
    lines, total, eligible, own_acct, split, by_id, month = _plan(inst, t, items, use_accounts, lock=True)
    at = now()
    s = Settlement(institution_id=institution_id, order_no=order_no, request_hash=digest, patient_id=t.person_id,
                   status="settled", channel=t.channel, aid=[],
                   ticket=t.token, use_accounts=use_accounts, items=lines, total_fen=total, eligible_fen=eligible,
                   own_account_fen=split.own_fen, mutual_aid_fen=split.aid_fen, cash_fen=split.cash_fen,
                   own_balance_after_fen=None if own_acct is None else own_acct.balance_fen,
                   month=month, settled_at=at)
    db.session.add(s)
    db.session.flush()
    # its entries carry its very instant, so a day's settlements and that day's ledger agree (audit)
    refs = {"institution_id": institution_id, "order_no": order_no, "settlement_id": s.id, "channel": s.channel,
            "at": at}
    if split.own_fen:
        s.own_balance_after_fen = ledger.book(own_acct.id, -split.own_fen, "settlement", **refs).balance_after_fen
    patient_name = masking.name(db.session.scalar(select(Person.name).where(Person.id == t.person_id)))
    for rank, (binding_id, amount) in enumerate(split.aid):
        b = by_id[binding_id]
        ledger.book(b.benefactor.account.id, -amount, "mutual_aid", counterparty_id=t.person_id,
                    binding_id=binding_id, **refs)
        s.aid.append(SettlementAid(binding=b, account_id=b.benefactor.account.id, rank=rank, amount_fen=amount,
                                   month=month))
        messages.notify(b.benefactor_id, "aid_paid", f"您的个人账户为{patient_name}（{RELATION_LABELS[b.relation]}）在"
                        f"{inst.name}支付了¥{amount / 100:.2f}。", binding_id=binding_id)
    t.used_at = at
    s.institution = inst
    db.session.flush()
    return view(s), True


def view(s: Settlement) -> dict:
    """The settlement as the contract shows it, read inside the transaction (no reload after commit)."""
    return {"id": s.id, "order_no": s.order_no, "status": s.status, "channel": s.channel, "total_fen": s.total_fen,
            "eligible_fen": s.eligible_fen, "own_account_fen": s.own_account_fen, "mutual_aid_fen": s.mutual_aid_fen,
            "cash_fen": s.cash_fen, "mutual_aid": s.mutual_aid, "own_balance_after_fen": s.own_balance_after_fen,
            "institution": {"id": s.institution.id, "name": s.institution.name}, "items": s.items,
            "settled_at": s.settled_at, "reversed_at": s.reversed_at}


def show(institution_id: str, order_no: str) -> Settlement:
    _check_order_no(order_no)
    s = db.session.scalar(select(Settlement).where(Settlement.institution_id == institution_id,
                                                   Settlement.order_no == order_no))
    if s is None:
        raise NotFound(message="no settlement with that order number at this institution")
    return s


@writes
def reverse(institution_id: str, order_no: str, reason: str | None = None) -> dict:
    """Refund (退费): the money goes back to exactly the accounts that paid, once."""
    _check_order_no(order_no)
    s = db.session.scalar(select(Settlement).where(Settlement.institution_id == institution_id,
                                                   Settlement.order_no == order_no)
                          .with_for_update().execution_options(populate_existing=True))
    if s is None:
        raise NotFound(message="no settlement with that order number at this institution")
    if s.status == "reversed":
        return view(s)
    at = now()
    refs = {"institution_id": institution_id, "order_no": order_no, "settlement_id": s.id, "note": reason,
            "channel": s.channel, "at": at}
    own_account = db.session.scalar(select(Account.id).where(Account.person_id == s.patient_id))
    ledger.lock_accounts([a.account_id for a in s.aid] + ([own_account] if s.own_account_fen else []))
    if s.own_account_fen:
        ledger.book(own_account, s.own_account_fen, "reversal", **refs)
    for part in s.aid:
        ledger.book(part.account_id, part.amount_fen, "reversal", counterparty_id=s.patient_id,
                    binding_id=part.binding_id, **refs)
        messages.notify(part.binding.benefactor_id, "aid_reversed",
                        f"{s.institution.name}退费：¥{part.amount_fen / 100:.2f}已退回您的个人账户"
                        f"（原为{masking.name(part.binding.beneficiary.name)}支付）。", binding_id=part.binding_id)
    s.status, s.reversed_at, s.reverse_reason = "reversed", at, reason
    return view(s)
