"""Family proxy rules, called as services: who needs to consent, and every refusal leaves nothing behind."""
from datetime import date

import pytest
from sqlalchemy import func, select

from services.clock import china_today
from services.db import db
from services.errors import ServiceError
from services.family import proxies
from services.models import Message, Proxy

from . import factory


def years_ago(years: int, days_later=0) -> str:
    """The birth date (8 digits) of someone who turns `years` today (or `days_later` days from now)."""
    today = china_today()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = date(today.year - years, 3, 1)
    return date.fromordinal(born.toordinal() + days_later).strftime("%Y%m%d")


def child_of(parent, born, relation="child", name="小卓玛"):
    kid = factory.person("resident", name=name, born=born)
    factory.kin(parent, kid, relation)
    return kid


def ask(carer, relative, relation):
    return proxies.create(carer.id, relative.id_number, relative.name, relation)


def kinds(person):
    return [m.kind for m in db.session.scalars(select(Message).where(Message.person_id == person.id)
                                               .order_by(Message.id))]


def refusal(fn, *args):
    with pytest.raises(ServiceError) as err:
        fn(*args)
    return err.value.code


def proxy_count():
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Proxy))


@pytest.mark.parametrize("relation", ["child", "grandchild"])
def test_a_child_under_16_is_active_at_once(family, relation):
    kid = child_of(family["tashi"], years_ago(16, days_later=1), relation)
    proxy = ask(family["tashi"], kid, relation)
    assert proxy.status == "active" and proxy.approved_at is not None
    assert kinds(family["tashi"]) == ["proxy_approved"] and kinds(kid) == ["proxy_approved"]


def test_a_child_who_turned_16_today_consents_himself(family):
    kid = child_of(family["tashi"], years_ago(16))
    proxy = ask(family["tashi"], kid, "child")
    assert proxy.status == "pending" and proxy.approved_at is None
    assert kinds(family["tashi"]) == ["proxy_requested"] and kinds(kid) == ["proxy_requested"]


def test_an_adult_approves_from_his_own_login(family):
    tashi, drolma = family["tashi"], family["drolma"]
    proxy = ask(tashi, drolma, "spouse")
    assert proxy.status == "pending"
    assert refusal(proxies.approve, proxy.id, tashi.id) == "forbidden"
    assert proxies.approve(proxy.id, drolma.id).status == "active"
    assert proxies.approve(proxy.id, drolma.id).status == "active"  # again: the same, no second message
    assert kinds(tashi) == ["proxy_requested", "proxy_approved"]
    assert kinds(drolma) == ["proxy_requested", "proxy_approved"]


def test_decline_a_pending_request_then_end_an_active_one(family):
    tashi, drolma = family["tashi"], family["drolma"]
    first = ask(tashi, drolma, "spouse")
    assert refusal(proxies.decline, first.id, tashi.id) == "forbidden"
    assert proxies.decline(first.id, drolma.id).status == "declined"
    assert refusal(proxies.approve, first.id, drolma.id) == "proxy_not_active"
    second = ask(tashi, drolma, "spouse")  # a declined request does not block a new one
    proxies.approve(second.id, drolma.id)
    ended = proxies.decline(second.id, drolma.id)
    assert ended.status == "ended" and ended.ended_at is not None
    assert kinds(tashi) == ["proxy_requested", "proxy_declined", "proxy_requested", "proxy_approved", "proxy_ended"]


@pytest.mark.parametrize("who, id_of, name, relation, code", [
    ("drolma", "drolma", "卓玛玛", "spouse", "identity_mismatch"),       # name and ID number disagree
    ("drolma", None, "卓玛", "spouse", "identity_mismatch"),             # an ID number no one has
    ("sonam", "sonam", "索朗", "sibling", "identity_mismatch"),          # no kinship in the registry (v1.2: the
    ("drolma", "drolma", "卓玛", "sibling", "identity_mismatch"),        # same answer as a wrong name), or not as said
    ("tashi", "tashi", "扎西次仁", "child", "self_binding"),
    ("drolma", "drolma", "卓玛", "wife", "invalid_request"),
])
def test_refusals_change_nothing(family, who, id_of, name, relation, code):
    number = family[id_of].id_number if id_of else factory.id_number()
    before = proxy_count()
    assert refusal(proxies.create, family["tashi"].id, number, name, relation) == code
    assert proxy_count() == before and kinds(family[who]) == []


def test_a_second_live_proxy_of_the_same_pair_is_refused(family):
    tashi, drolma = family["tashi"], family["drolma"]
    assert refusal(ask, tashi, family["father"], "parent") == "already_bound"  # the demo's approved one
    proxy = ask(tashi, drolma, "spouse")
    assert refusal(ask, tashi, drolma, "spouse") == "already_bound"            # pending
    proxies.approve(proxy.id, drolma.id)
    assert refusal(ask, tashi, drolma, "spouse") == "already_bound"            # active
    proxies.end(proxy.id, tashi.id)
    assert ask(tashi, drolma, "spouse").status == "pending"                    # ended: ask again


def test_a_sixth_active_proxy_is_refused_and_approval_checks_again(family):
    tashi, drolma = family["tashi"], family["drolma"]
    pending = ask(tashi, drolma, "spouse")
    for n in range(4):  # the demo father's proxy is the first of five
        ask(tashi, child_of(tashi, years_ago(5), name=f"孩子{n}"), "child")
    before = proxy_count()
    assert refusal(ask, tashi, child_of(tashi, years_ago(5), name="孩子五"), "child") == "too_many_proxies"
    assert proxy_count() == before
    assert refusal(proxies.approve, pending.id, drolma.id) == "too_many_proxies"
    assert db.session.get(Proxy, pending.id).status == "pending"
    proxies.end(db.session.scalar(select(Proxy.id).where(Proxy.person_id == family["father"].id)), tashi.id)
    assert proxies.approve(pending.id, drolma.id).status == "active"
