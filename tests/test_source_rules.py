"""The source's rules the first release missed: the beneficiary's own account must be normal, only the insured are
served; and the accept answer tells the beneficiary where his new helper landed."""
import pytest

from services.db import db
from services.models import Invitation, Voucher

from . import api, factory
from .api import API
from .counter import items, ticket, voucher

DRUG = "XA0101"


def parts(s):
    return s["own_account_fen"], s["mutual_aid_fen"], s["cash_fen"]


@pytest.mark.parametrize("own_status", ["frozen", "closed"])
def test_an_employee_whose_own_account_is_not_normal_gets_no_family_aid(client, as_, family, ali, own_status):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    factory.set_person(family, "drolma", account_status=own_status)
    before = factory.balance(family["drolma"]), factory.balance(family["tashi"])
    resp = ali.settle(ticket(client, as_, ali, "drolma"), "NO-1", items((DRUG, 1, 10000)))
    assert resp.status_code == 201, resp.json
    assert parts(resp.json) == (0, 0, 10000) and resp.json["mutual_aid"] == []
    assert (factory.balance(family["drolma"]), factory.balance(family["tashi"])) == before == (8000, 500000)


def test_family_aid_comes_back_when_his_account_is_normal_again(client, as_, family, ali):
    api.bind(client, as_, "tashi", "drolma", "spouse")
    factory.set_person(family, "drolma", account_status="frozen")
    t = ticket(client, as_, ali, "drolma")
    assert parts(ali.preview(t, items((DRUG, 1, 10000))).json) == (0, 0, 10000)
    factory.set_person(family, "drolma", account_status="normal")
    assert parts(ali.settle(t, "NO-1", items((DRUG, 1, 10000))).json) == (8000, 2000, 0)


def test_a_resident_has_no_own_account_and_is_not_affected(client, as_, family, ali):
    api.bind(client, as_, "tashi", "father", "parent")
    resp = ali.settle(ticket(client, as_, ali, "father"), "NO-1", items((DRUG, 1, 10000)))
    assert parts(resp.json) == (0, 10000, 0)


def test_accepting_with_an_own_account_not_normal_is_refused_and_changes_nothing(client, as_, family):
    code = api.invite(client, as_("tashi"), "child").json["code"]
    resp = client.post(f"{API}/invitations/{code}/accept", headers=as_("dawa"))   # dawa's account is frozen
    assert api.error(resp) == (422, "beneficiary_not_eligible")
    assert db.session.query(Invitation).filter_by(code=code).one().status == "pending"
    assert client.get(f"{API}/bindings", headers=as_("dawa")).json["items"] == []
    factory.set_person(family, "dawa", account_status="normal")
    assert client.post(f"{API}/invitations/{code}/accept", headers=as_("dawa")).status_code == 201


def test_an_ended_insurance_gets_no_voucher(client, as_, family):
    factory.set_person(family, "drolma", status="ended")
    assert api.error(client.post(f"{API}/vouchers", headers=as_("drolma"))) == (422, "not_insured")
    assert db.session.query(Voucher).count() == 0


def test_a_voucher_of_an_ended_insurance_is_refused_and_stays_unspent(client, as_, family, ali):
    payload = voucher(client, as_("drolma"))
    factory.set_person(family, "drolma", status="ended")   # v1.2: the end revokes it (issue 22)
    before = factory.money_state()
    assert api.error(ali.scan(payload)) == (422, "voucher_invalid")
    assert factory.money_state() == before
    assert db.session.query(Voucher).one().used_at is None
    factory.set_person(family, "drolma", status="insured")   # the registry was wrong: a fresh voucher works
    assert api.error(ali.scan(payload)) == (422, "voucher_invalid")
    assert ali.scan(voucher(client, as_("drolma"))).status_code == 200


def test_a_card_of_an_ended_insurance_is_refused(client, family, ali):
    factory.set_person(family, "father", status="ended")
    before = factory.money_state()
    assert api.error(ali.read_card("ALK000003")) == (422, "not_insured")
    assert factory.money_state() == before


def test_a_ticket_whose_patient_lost_his_insurance_settles_nothing(client, as_, family, ali):
    t = ticket(client, as_, ali, "drolma")
    factory.set_person(family, "drolma", status="ended")
    before = factory.money_state()
    assert api.error(ali.preview(t, items((DRUG, 1, 100)))) == (422, "not_insured")
    assert api.error(ali.settle(t, "NO-1", items((DRUG, 1, 100)))) == (422, "not_insured")
    assert factory.money_state() == before


def test_accept_shows_where_the_new_helper_landed(client, as_, family):
    first = api.bind(client, as_, "tashi", "father", "parent")
    assert (first["helper_position"], first["helpers_count"]) == (0, 1)
    second = api.bind(client, as_, "phuntsok", "father", "parent")
    assert (second["helper_position"], second["helpers_count"], second["position"]) == (1, 2, 1)
    assert second["allow_card"] is True
    told = client.get(f"{API}/messages", headers=as_("father")).json["items"][0]
    assert told["kind"] == "invitation_accepted"
    assert "第2位" in told["text"] and "共2位" in told["text"] and "共济账户管理" in told["text"]
    listed = client.get(f"{API}/bindings", headers=as_("father")).json["items"][0]
    assert "helper_position" not in listed and listed["position"] == 1
