"""Who may bind, called as services (fast, no HTTP): each refusal raises its own code and changes nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from services.clock import now
from services.db import db
from services.errors import Conflict, Forbidden, InvalidRequest, NotFound, Refused
from services.family import bindings, invitations
from services.models import Binding, Invitation, Message

from . import factory


def refused(kind, code, use_case, *args, **kwargs):
    """Call a use case that must refuse with this error kind and code, and check it changed nothing."""
    before = state()
    with pytest.raises(kind) as caught:
        use_case(*args, **kwargs)
    assert caught.value.code == code
    assert state() == before


def state():
    """Bindings, invitations and messages: what a refusal must leave as it was."""
    return (db.session.execute(select(Binding.id, Binding.status, Binding.position).order_by(Binding.id)).all(),
            db.session.execute(select(Invitation.id, Invitation.status).order_by(Invitation.id)).all(),
            db.session.scalars(select(Message.id).order_by(Message.id)).all())


def invite(family, who, relation, invitee=None):
    named = {} if invitee is None else {"invitee_id_number": family[invitee].id_number,
                                        "invitee_name": family[invitee].name}
    return invitations.invite(family[who].id, relation, **named).code


def bind(family, benefactor, beneficiary, relation) -> Binding:
    return invitations.accept(invite(family, benefactor, relation), family[beneficiary].id)


@pytest.mark.parametrize("who, change", [
    ("father", {}),                                     # resident: no personal account to share
    ("dawa", {}),                                       # his account is frozen
    ("tashi", {"balance_fen": "0"}),
    ("tashi", {"region_code": "510104"}),               # insured outside Tibet
    ("tashi", {"status": "ended"}),
])
def test_only_an_eligible_benefactor_invites(family, who, change):
    if change:
        factory.set_person(family, who, **change)
    refused(Refused, "benefactor_not_eligible", invitations.invite, family[who].id, "parent")


@pytest.mark.parametrize("relation, invitee, kind, code", [
    ("cousin", None, InvalidRequest, "invalid_request"),
    ("sibling", "sonam", Refused, "not_close_relative"),
    ("sibling", "tashi", Refused, "self_binding"),
    ("child", "dawa", Refused, "beneficiary_not_eligible"),   # his own account is frozen
])
def test_invite_refusals(family, relation, invitee, kind, code):
    refused(kind, code, invite, family, "tashi", relation, invitee)


def test_a_named_invitee_is_checked_by_name_too(family):
    refused(Refused, "invitee_mismatch", invitations.invite, family["tashi"].id, "parent",
            invitee_id_number=family["father"].id_number, invitee_name="别人")


@pytest.mark.parametrize("relation, acceptor, kind, code", [
    ("parent", "sonam", Refused, "not_close_relative"),
    ("child", "drolma", Refused, "not_close_relative"),     # she is his spouse, not his child
    ("parent", "tashi", Refused, "self_binding"),
    ("child", "dawa", Refused, "beneficiary_not_eligible"),
])
def test_accept_refusals(family, relation, acceptor, kind, code):
    code_ = invite(family, "tashi", relation)
    refused(kind, code, invitations.accept, code_, family[acceptor].id)


@pytest.mark.parametrize("change", [{"account_status": "frozen"}, {"account_status": "closed"},
                                    {"balance_fen": "0"}, {"region_code": "510104"}, {"status": "ended"}])
def test_the_benefactor_is_checked_again_at_acceptance(family, change):
    code = invite(family, "tashi", "parent")
    factory.set_person(family, "tashi", **change)
    refused(Refused, "benefactor_not_eligible", invitations.accept, code, family["father"].id)


def test_a_pair_binds_once_and_an_invitation_is_used_once(family):
    first = invite(family, "tashi", "parent")
    second = invite(family, "tashi", "parent")
    invitations.accept(first, family["father"].id)
    refused(Conflict, "already_bound", invitations.accept, second, family["father"].id)
    refused(Conflict, "invitation_not_pending", invitations.accept, first, family["father"].id)
    refused(Conflict, "invitation_not_pending", invitations.decline, first, family["father"].id)
    refused(Conflict, "invitation_not_pending", invitations.cancel, first, family["tashi"].id)


@pytest.mark.parametrize("config", [{"MAX_BENEFICIARIES": 1}])
def test_room_is_checked_at_invitation_and_at_acceptance(family):
    late = invite(family, "tashi", "child")
    bind(family, "tashi", "father", "parent")
    refused(Refused, "too_many_beneficiaries", invitations.accept, late, family["gesang"].id)
    refused(Refused, "too_many_beneficiaries", invitations.invite, family["tashi"].id, "spouse")


def test_an_expired_or_unknown_invitation(family):
    code = invite(family, "tashi", "parent")
    db.session.execute(update(Invitation).values(expires_at=now() - timedelta(seconds=1)))
    db.session.commit()
    refused(Refused, "invitation_expired", invitations.accept, code, family["father"].id)
    refused(NotFound, "not_found", invitations.accept, "no-such-code", family["father"].id)
    refused(NotFound, "not_found", invitations.show, "no-such-code", family["father"].id)


def test_who_may_decline_and_who_may_cancel(family):
    named = invite(family, "tashi", "parent", invitee="father")
    refused(Forbidden, "forbidden", invitations.decline, named, family["tashi"].id)      # he cancels instead
    refused(Forbidden, "forbidden", invitations.decline, named, family["phuntsok"].id)   # named for another
    refused(Forbidden, "forbidden", invitations.cancel, named, family["father"].id)
    assert invitations.cancel(named, family["tashi"].id).status == "cancelled"
    refused(Conflict, "invitation_not_pending", invitations.accept, named, family["father"].id)
    unnamed = invite(family, "tashi", "parent")
    assert invitations.decline(unnamed, family["sonam"].id).status == "declined"   # anyone holding it


def test_unbind_by_either_party_closes_the_gap_and_again_changes_nothing(family):
    first = bind(family, "tashi", "father", "parent").id
    second = bind(family, "phuntsok", "father", "parent").id
    refused(NotFound, "not_found", bindings.unbind, first, family["sonam"].id)
    ended = bindings.unbind(first, family["father"].id)
    assert (ended.status, ended.end_reason, ended.position) == ("ended", "ended_by_beneficiary", None)
    assert db.session.get(Binding, second).position == 0
    before = state()
    assert bindings.unbind(first, family["tashi"].id).end_reason == "ended_by_beneficiary"
    assert state() == before


def test_only_the_benefactor_changes_an_active_binding(family):
    binding = bind(family, "tashi", "father", "parent").id
    refused(Forbidden, "forbidden", bindings.change, binding, family["father"].id, {"monthly_limit_fen": 1})
    assert bindings.change(binding, family["tashi"].id, {"monthly_limit_fen": 1}).monthly_limit_fen == 1
    bindings.unbind(binding, family["tashi"].id)
    refused(Refused, "binding_ended", bindings.change, binding, family["tashi"].id, {"monthly_limit_fen": 2})


@pytest.mark.parametrize("who, change, reason", [
    ("tashi", {"status": "ended"}, "insurance_ended"), ("father", {"status": "ended"}, "insurance_ended"),
    ("tashi", {"account_status": "closed"}, "account_closed"), ("tashi", {"region_code": "510104"}, "left_tibet"),
    ("tashi", {"account_status": "frozen"}, None),                 # a frozen account ends nothing
])
def test_a_registry_import_ends_the_bindings_it_no_longer_allows(family, who, change, reason):
    binding = bind(family, "tashi", "father", "parent").id
    assert factory.set_person(family, who, **change)["bindings_ended"] == (1 if reason else 0)
    assert db.session.get(Binding, binding).end_reason == reason
