"""Settlement at the counter: the waterfall applied all-or-nothing, idempotent per order number; reversal."""
import hashlib
import json
import re

from sqlalchemy import select, update

from .. import masking, metrics
from ..clock import now
from ..db import db, writes
from ..errors import Conflict, InvalidRequest, NotFound, Refused
from ..models import Account, Institution, Settlement, Ticket
from ..money import ledger
from ..notify import messages
from ..people import counter_auth
from . import settlement_core, vouchers

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
    p = settlement_core.plan(inst, t, items, use_accounts, lock=False, at=now())
    return {"id": None, "order_no": None, "status": "preview", "channel": t.channel, "total_fen": p.total,
            "eligible_fen": p.eligible, "own_account_fen": p.split.own_fen, "mutual_aid_fen": p.split.aid_fen,
            "cash_fen": p.split.cash_fen,
            "mutual_aid": [settlement_core.aid_view(p.helpers[k], amount) for k, amount in p.split.aid],
            "own_balance_after_fen": p.own_balance_after_fen,
            "institution": inst, "items": p.lines, "settled_at": None, "reversed_at": None,
            "ticket": t.token, "patient_id": t.person_id}


def settle(institution_id: str, ticket: str, order_no: str, items: list[dict], use_accounts: bool = True,
           nonce: str | None = None):
    """Settle once per (institution, order_no): (settlement view, created). A repeat is answered as the first time.

    With `nonce`, the signed request's nonce is recorded in the settlement's own transaction."""
    _check_order_no(order_no)
    answer, created = _settle(institution_id, ticket, order_no, items, use_accounts,
                              request_hash(ticket, items, use_accounts), nonce)
    if created:
        metrics.settled(answer)  # committed: counted once, never for a replay
    return answer, created


def _taken() -> Conflict:
    return Conflict("idempotency_conflict", "this order number was settled with different content")


def _replay(institution_id, order_no, digest):
    """The settlement already made with this order number, as answered the first time; None when there is none."""
    found = settlement_core.existing(institution_id, order_no)
    if found is None:
        return None
    if found.request_hash != digest:
        raise _taken()
    return view(db.session.get(Settlement, found.id))


@writes
def _settle(institution_id, ticket, order_no, items, use_accounts, digest, nonce):
    counter_auth.record_nonce(institution_id, nonce)
    at = now()
    t = settlement_core.claim(ticket, institution_id, at)
    if t is None:  # a used ticket: this order's repeat (or a twin's, just committed), else refused
        found = _replay(institution_id, order_no, digest)
        if found is not None:
            return found, False
        settlement_core.refuse_ticket(ticket, institution_id)
    try:
        plan = settlement_core.plan(t, t, items, use_accounts, True, at)
    except Refused:  # a number settled with another ticket says so first, whatever this bill's trouble
        if settlement_core.existing(institution_id, order_no) is not None:
            raise _taken()
        raise
    made = settlement_core.settle_new(t, order_no, digest, use_accounts, plan, at)
    if made is None:  # the order number was settled with another ticket: refused, and the claim rolls back
        raise _taken()
    return made, True


def view(s: Settlement) -> dict:
    """The settlement as the contract shows it, read inside the transaction (no reload after commit)."""
    return {"id": s.id, "order_no": s.order_no, "status": s.status, "channel": s.channel, "total_fen": s.total_fen,
            "eligible_fen": s.eligible_fen, "own_account_fen": s.own_account_fen, "mutual_aid_fen": s.mutual_aid_fen,
            "cash_fen": s.cash_fen, "mutual_aid": s.mutual_aid, "own_balance_after_fen": s.own_balance_after_fen,
            "institution": {"id": s.institution.id, "name": s.institution.name}, "items": s.items,
            "settled_at": s.settled_at, "reversed_at": s.reversed_at, "ticket": s.ticket, "patient_id": s.patient_id}


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
    ledger.balances([a.account_id for a in s.aid] + ([own_account] if s.own_account_fen else []))  # locked
    if s.own_account_fen:
        ledger.book(own_account, s.own_account_fen, "reversal", **refs)
    for part in s.aid:
        ledger.book(part.account_id, part.amount_fen, "reversal", counterparty_id=s.patient_id,
                    binding_id=part.binding_id, **refs)
        messages.notify(part.binding.benefactor_id, "aid_reversed", params={
            "institution": s.institution.name, "amount_fen": part.amount_fen,
            "patient": masking.name(part.binding.beneficiary.name)}, binding_id=part.binding_id)
    s.status, s.reversed_at, s.reverse_reason = "reversed", at, reason
    return view(s)
