"""Who may bind: every refusal answers its own code and changes nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from services.clock import now
from services.db import db
from services.models import Binding, Invitation

from . import api, factory
from .api import API

HEADER = "id_number,name,insurance_type,region_code,status,balance_fen,account_status\n"


def accept(client, as_, code, who):
    return client.post(f"{API}/invitations/{code}/accept", headers=as_(who))


def bindings_count():
    return db.session.scalar(select(func.count()).select_from(Binding))


def status_of(code):
    return db.session.scalar(select(Invitation.status).where(Invitation.code == code))


@pytest.mark.parametrize("relation, acceptor, code", [
    ("parent", "sonam", "not_close_relative"),         # unrelated neighbour
    ("child", "drolma", "not_close_relative"),         # she is his spouse, not his child
    ("parent", "tashi", "self_binding"),
])
def test_accept_refusals_by_relation_and_self(client, as_, relation, acceptor, code):
    inv = api.invite(client, as_("tashi"), relation).json
    resp = accept(client, as_, inv["code"], acceptor)
    assert api.error(resp) == (422, code)
    assert bindings_count() == 0 and status_of(inv["code"]) == "pending"


def test_beneficiary_not_insured_is_refused(client, as_, family):
    inv = api.invite(client, as_("tashi"), "parent").json
    factory.set_person(family, "father", status="ended")
    assert api.error(accept(client, as_, inv["code"], "father")) == (422, "beneficiary_not_eligible")
    assert bindings_count() == 0


@pytest.mark.parametrize("who, code", [("father", "benefactor_not_eligible"),    # resident: no account
                                       ("gesang", "benefactor_not_eligible")])
def test_only_employees_may_invite(client, as_, who, code):
    resp = api.invite(client, as_(who), "parent")
    assert api.error(resp) == (422, code)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_a_pair_binds_once(client, as_):
    api.bind(client, as_, "tashi", "father", "parent")
    inv = api.invite(client, as_("tashi"), "parent").json
    assert api.error(accept(client, as_, inv["code"], "father")) == (409, "already_bound")
    assert bindings_count() == 1 and status_of(inv["code"]) == "pending"


def test_one_way_and_not_transitive(client, as_, family):
    """tashi pays for drolma; that lets drolma pay for nobody, and gesang gets nothing from tashi via drolma."""
    api.bind(client, as_, "tashi", "drolma", "spouse")
    api.bind(client, as_, "drolma", "gesang", "child")
    assert api.helper_names(client, as_("tashi")) == []            # drolma does not pay for tashi
    assert api.helper_names(client, as_("gesang")) == ["卓*"]      # only her mother, not her father
    # drolma may separately invite tashi the other way
    back = api.bind(client, as_, "drolma", "tashi", "spouse")
    assert back["benefactor"] == {"name_masked": "卓*"}


@pytest.mark.parametrize("config", [{"MAX_BENEFICIARIES": 2}])
def test_too_many_beneficiaries(client, as_):
    api.bind(client, as_, "tashi", "father", "parent")
    late = api.invite(client, as_("tashi"), "child").json          # invited while there was room
    api.bind(client, as_, "tashi", "drolma", "spouse")
    assert api.error(accept(client, as_, late["code"], "gesang")) == (422, "too_many_beneficiaries")
    assert api.error(api.invite(client, as_("tashi"), "sibling")) == (422, "too_many_beneficiaries")
    assert bindings_count() == 2


def test_named_invitee_must_be_the_acceptor(client, as_, family):
    father = family["father"]
    inv = api.invite(client, as_("tashi"), "parent", invitee_id_number=father.id_number,
                     invitee_name=father.name)
    assert inv.status_code == 201
    assert inv.json["invitee"] == {"name_masked": "次***", "id_number_masked": father.id_number[:6] + "*" * 8
                                   + father.id_number[-4:]}
    # phuntsok opens the code (he may see it) but cannot take his father's invitation
    assert client.get(f"{API}/invitations/{inv.json['code']}", headers=as_("phuntsok")).status_code == 200
    assert api.error(accept(client, as_, inv.json["code"], "phuntsok")) == (422, "invitee_mismatch")
    assert api.error(client.post(f"{API}/invitations/{inv.json['code']}/decline",
                                 headers=as_("phuntsok"))) == (403, "forbidden")
    assert bindings_count() == 0 and status_of(inv.json["code"]) == "pending"
    received = client.get(f"{API}/invitations?role=received", headers=as_("father")).json["items"]
    assert [i["code"] for i in received] == [inv.json["code"]]
    assert [m["kind"] for m in client.get(f"{API}/messages", headers=as_("father")).json["items"]] == [
        "invitation_received"]


@pytest.mark.parametrize("named, code", [
    ({"invitee_id_number": "542523195001010035", "invitee_name": "别人"}, (422, "invitee_mismatch")),
    ({"invitee_id_number": "542523195001010036", "invitee_name": "次仁多吉"}, (400, "invalid_request")),
    ({"invitee_id_number": "542523195001010035"}, (400, "invalid_request")),
    ({"relation": "cousin"}, (400, "invalid_request")),
])
def test_invitation_input_refusals(client, as_, named, code):
    body = {"relation": "parent", **named}
    resp = client.post(f"{API}/invitations", json=body, headers=as_("tashi"))
    assert api.error(resp) == code
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_expired_invitation(client, as_):
    inv = api.invite(client, as_("tashi"), "parent").json
    db.session.execute(update(Invitation).values(expires_at=now() - timedelta(seconds=1)))
    db.session.commit()
    assert api.error(accept(client, as_, inv["code"], "father")) == (422, "invitation_expired")
    assert client.get(f"{API}/invitations/{inv['code']}", headers=as_("father")).json["status"] == "expired"
    assert bindings_count() == 0


@pytest.mark.parametrize("config", [{"INVITATION_TTL_HOURS": 0.5}])
def test_fractional_ttl(client, as_):
    inv = api.invite(client, as_("tashi"), "parent").json
    row = db.session.scalar(select(Invitation))
    assert abs((row.expires_at - row.created_at) - timedelta(minutes=30)) < timedelta(seconds=1)
    assert inv["expires_at"].endswith("+08:00")


def test_each_invitation_is_used_once(client, as_):
    inv = api.invite(client, as_("tashi"), "parent").json
    assert accept(client, as_, inv["code"], "father").status_code == 201
    assert api.error(accept(client, as_, inv["code"], "father")) == (409, "invitation_not_pending")
    assert api.error(client.post(f"{API}/invitations/{inv['code']}/decline",
                                 headers=as_("father"))) == (409, "invitation_not_pending")
    assert api.error(client.post(f"{API}/invitations/{inv['code']}/cancel",
                                 headers=as_("tashi"))) == (409, "invitation_not_pending")


def test_decline_and_cancel(client, as_):
    a = api.invite(client, as_("tashi"), "parent").json
    resp = client.post(f"{API}/invitations/{a['code']}/decline", headers=as_("father"))
    assert resp.status_code == 200 and resp.json["status"] == "declined"
    assert api.error(accept(client, as_, a["code"], "father")) == (409, "invitation_not_pending")

    b = api.invite(client, as_("tashi"), "parent").json
    assert api.error(client.post(f"{API}/invitations/{b['code']}/cancel", headers=as_("father"))) == (
        403, "forbidden")
    assert api.error(client.post(f"{API}/invitations/{b['code']}/decline", headers=as_("tashi"))) == (
        403, "forbidden")
    resp = client.post(f"{API}/invitations/{b['code']}/cancel", headers=as_("tashi"))
    assert resp.status_code == 200 and resp.json["status"] == "cancelled"
    assert api.error(accept(client, as_, b["code"], "father")) == (409, "invitation_not_pending")
    assert bindings_count() == 0
    sent = client.get(f"{API}/invitations?role=sent", headers=as_("tashi")).json["items"]
    assert [i["status"] for i in sent] == ["cancelled", "declined"]    # newest first
    tashi_kinds = [m["kind"] for m in client.get(f"{API}/messages", headers=as_("tashi")).json["items"]]
    assert tashi_kinds == ["invitation_cancelled", "invitation_declined"]


def test_unbind_by_beneficiary_and_again_is_harmless(client, as_):
    b = api.bind(client, as_, "tashi", "father", "parent")
    first = client.delete(f"{API}/bindings/{b['id']}", headers=as_("father"))
    assert (first.status_code, first.json["end_reason"]) == (200, "ended_by_beneficiary")
    again = client.delete(f"{API}/bindings/{b['id']}", headers=as_("tashi"))
    assert (again.status_code, again.json["end_reason"]) == (200, "ended_by_beneficiary")
    assert api.helper_names(client, as_("father")) == []


@pytest.mark.parametrize("body, status", [
    ({"monthly_limit_fen": 50000}, 200), ({"monthly_limit_fen": None}, 200), ({"monthly_limit_fen": 0}, 200),
    ({"monthly_limit_fen": 100_000_000}, 200),
    ({"monthly_limit_fen": -1}, 400), ({"monthly_limit_fen": 100_000_001}, 400),
    ({"monthly_limit_fen": "500"}, 400), ({"monthly_limit_fen": 1.5}, 400), ({}, 400),
])
def test_monthly_limit_values(client, as_, body, status):
    b = api.bind(client, as_, "tashi", "father", "parent")
    resp = client.patch(f"{API}/bindings/{b['id']}", json=body, headers=as_("tashi"))
    assert resp.status_code == status
    shown = client.get(f"{API}/bindings", headers=as_("tashi")).json["items"][0]["monthly_limit_fen"]
    assert shown == (body["monthly_limit_fen"] if status == 200 else None)
    if status == 400:
        assert "monthly_limit_fen" in resp.json["error"]["details"]


def test_monthly_limit_is_the_benefactors(client, as_):
    b = api.bind(client, as_, "tashi", "father", "parent")
    resp = client.patch(f"{API}/bindings/{b['id']}", json={"monthly_limit_fen": 1}, headers=as_("father"))
    assert api.error(resp) == (403, "forbidden")
    client.delete(f"{API}/bindings/{b['id']}", headers=as_("tashi"))
    resp = client.patch(f"{API}/bindings/{b['id']}", json={"monthly_limit_fen": 1}, headers=as_("tashi"))
    assert api.error(resp) == (422, "binding_ended")
