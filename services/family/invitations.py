"""Invitations (RULES.md "Binding flow"): invite, open, accept, decline, cancel; each used once."""
import secrets
from datetime import timedelta

from sqlalchemy import or_, select, update

from .. import idnumber, masking, paging, settings
from ..clock import now
from ..db import db, writes
from ..errors import Conflict, Forbidden, InvalidRequest, NotFound, Refused
from ..models import Binding, Invitation, Person
from ..notify import messages
from . import attempts, eligibility, helper_order, usage


def link(code: str) -> str:
    """What the QR encodes: the link the mini-program opens."""
    return settings.get("PUBLIC_BASE_URL").rstrip("/") + "/i/" + code


def invite(benefactor_id: int, relation: str, invitee_id_number=None, invitee_name=None) -> Invitation:
    """Create an invitation; a named invitee is checked against the registry at once. 20 attempts an hour."""
    attempts.count(benefactor_id, "invitation")  # its own transaction: a refused attempt counts
    return _invite(benefactor_id, relation, invitee_id_number, invitee_name)


@writes
def _invite(benefactor_id: int, relation: str, invitee_id_number=None, invitee_name=None) -> Invitation:
    eligibility.require_relation(relation)
    if (invitee_id_number is None) != (invitee_name is None):
        raise InvalidRequest(details={"invitee_name" if invitee_name is None else "invitee_id_number":
                                      ["name the invitee by both ID number and name, or by neither"]})
    benefactor = eligibility.lock_persons(benefactor_id)[benefactor_id]
    eligibility.require_benefactor(benefactor)
    eligibility.require_room(benefactor_id)
    invitee = None
    if invitee_id_number is not None:
        invitee_id_number = idnumber.validate(invitee_id_number, "invitee_id_number")
        invitee_name = invitee_name.strip()
        invitee = db.session.scalar(select(Person).where(Person.id_number == invitee_id_number))
        if invitee is not None:
            eligibility.require_not_self(benefactor_id, invitee.id)
        if invitee is None or invitee.name != invitee_name:
            raise Refused("invitee_mismatch")
        eligibility.require_kinship(benefactor, invitee, relation)
        eligibility.require_beneficiary(invitee)
        eligibility.require_not_bound(benefactor_id, invitee.id)
    at = now()
    inv = Invitation(code=secrets.token_urlsafe(24), benefactor_id=benefactor_id, relation=relation,
                     invitee_id_number=invitee_id_number, invitee_name=invitee_name, created_at=at,
                     expires_at=at + timedelta(hours=settings.get("INVITATION_TTL_HOURS")))
    db.session.add(inv)
    db.session.flush()
    if invitee is not None:
        messages.notify(invitee.id, "invitation_received", params={
            "benefactor": masking.name(benefactor.name), "relation": relation}, invitation_id=inv.id)
    return inv


def _load(code: str, for_update=False) -> Invitation:
    stmt = select(Invitation).where(Invitation.code == code)
    if for_update:
        stmt = stmt.with_for_update()
    inv = db.session.scalar(stmt)
    if inv is None:
        raise NotFound()
    return inv


def show(code: str, person_id: int) -> Invitation:
    """Any verified person holding the code may see who invites and as what (the code is the permission), expired
    too; once answered or cancelled only its two parties may: a stranger learns nothing of who invited whom."""
    inv = _load(code)
    if inv.status != "pending" and person_id not in (inv.benefactor_id, inv.responder_id):
        raise Conflict("invitation_not_pending")
    return inv


def qr_png_for(code: str, person_id: int) -> str:
    """The link to draw as a QR; only the benefactor may have it drawn."""
    inv = _load(code)
    if inv.benefactor_id != person_id:
        raise NotFound()
    return link(inv.code)


def _require_pending(inv: Invitation):
    if inv.status != "pending":
        raise Conflict("invitation_not_pending")
    if inv.expires_at <= now():
        raise Refused("invitation_expired")


def _close(inv: Invitation, status: str, person_id: int):
    """Move a pending invitation to its final status exactly once, even under concurrent answers."""
    done = db.session.execute(update(Invitation).where(Invitation.id == inv.id, Invitation.status == "pending")
                              .values(status=status, responded_at=now(), responder_id=person_id)
                              .execution_options(synchronize_session=False)).rowcount
    if not done:
        raise Conflict("invitation_not_pending")
    db.session.refresh(inv)


@writes
def accept(code: str, person_id: int) -> Binding:
    """Accept: every rule is checked again now; the new helper joins the end of the beneficiary's order."""
    inv = _load(code, for_update=True)
    _require_pending(inv)
    eligibility.require_not_self(inv.benefactor_id, person_id)
    people = eligibility.lock_persons(inv.benefactor_id, person_id)
    benefactor, me = people[inv.benefactor_id], people[person_id]
    if inv.invitee_id_number and (me.id_number != inv.invitee_id_number or me.name != inv.invitee_name):
        raise Refused("invitee_mismatch")
    eligibility.require_benefactor(benefactor)
    eligibility.require_kinship(benefactor, me, inv.relation)
    eligibility.require_beneficiary(me)
    eligibility.require_not_bound(benefactor.id, me.id)
    eligibility.require_room(benefactor.id)
    binding = helper_order.append_helper(benefactor.id, me, inv.relation)
    binding.helpers_count = binding.position + 1  # he joined the end of the order
    _close(inv, "accepted", person_id)
    inv.binding_id = binding.id
    refs = {"binding_id": binding.id, "invitation_id": inv.id}
    messages.notify(benefactor.id, "invitation_accepted", "benefactor", {
        "beneficiary": masking.name(me.name), "relation": inv.relation}, **refs)
    messages.notify(me.id, "invitation_accepted", "beneficiary", {
        "benefactor": masking.name(benefactor.name), "position": binding.position + 1,
        "count": binding.helpers_count}, **refs)
    return usage.annotate([binding])[0]


@writes
def decline(code: str, person_id: int) -> Invitation:
    """Decline: the named invitee, or anyone holding an unnamed invitation except its benefactor."""
    inv = _load(code, for_update=True)
    me = db.session.get(Person, person_id)
    if inv.benefactor_id == person_id or (inv.invitee_id_number and inv.invitee_id_number != me.id_number):
        raise Forbidden()
    _require_pending(inv)
    _close(inv, "declined", person_id)
    messages.notify(inv.benefactor_id, "invitation_declined", "benefactor", {"beneficiary": masking.name(me.name)},
                    invitation_id=inv.id)
    messages.notify(person_id, "invitation_declined", "invitee", invitation_id=inv.id)
    return inv


@writes
def cancel(code: str, person_id: int) -> Invitation:
    """Cancel a pending invitation; the benefactor only."""
    inv = _load(code, for_update=True)
    if inv.benefactor_id != person_id:
        raise Forbidden()
    _require_pending(inv)
    _close(inv, "cancelled", person_id)
    messages.notify(person_id, "invitation_cancelled", "benefactor", invitation_id=inv.id)
    if inv.invitee_id_number:
        invitee = db.session.scalar(select(Person.id).where(Person.id_number == inv.invitee_id_number))
        if invitee:
            messages.notify(invitee, "invitation_cancelled", "invitee",
                            {"benefactor": masking.name(inv.benefactor.name)}, invitation_id=inv.id)
    return inv


def listing(person_id: int, role: str, cursor=None, limit=20):
    """Sent: mine. Received: those naming me, and those I accepted or declined; newest first."""
    if role == "sent":
        stmt = select(Invitation).where(Invitation.benefactor_id == person_id)
    else:
        number = db.session.scalar(select(Person.id_number).where(Person.id == person_id))
        stmt = select(Invitation).where(or_(Invitation.invitee_id_number == number,
                                            Invitation.responder_id == person_id),
                                        Invitation.benefactor_id != person_id)
    return paging.page(stmt, Invitation.id, cursor, limit)
