"""Probing refused, counted in the database whatever RATELIMIT_ENABLED says: invitations per benefactor, previews
per ticket (the conftest turns Flask-Limiter off, so only these counts can refuse here)."""
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from services.clock import now
from services.db import db
from services.family import attempts
from services.models import Invitation, InvitationAttempt, Message

from . import api, factory
from .conftest import make_app
from .counter import Counter, HttpCounter, items, ticket

DRUG = "XA0101"


def count(model):
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_twenty_invitations_an_hour_named_or_not_then_429(client, as_, family, database_uri_for_test, monkeypatch):
    tashi = as_("tashi")
    for n in range(10):  # a prober trying ID numbers and names: each refusal counts too
        probe = api.invite(client, tashi, "parent", invitee_id_number=factory.id_number(), invitee_name=f"试{n}")
        assert api.error(probe) == (422, "invitee_mismatch")
    for _ in range(10):
        assert api.invite(client, tashi, "parent").status_code == 201
    assert count(Invitation) == 10 and count(InvitationAttempt) == 20
    refused = api.invite(client, tashi, "parent")
    assert api.error(refused) == (429, "rate_limited")
    assert 3590 <= int(refused.headers["Retry-After"]) <= 3600
    named = api.invite(client, tashi, "parent", invitee_id_number=family["father"].id_number,
                       invitee_name=family["father"].name)
    assert api.error(named) == (429, "rate_limited")  # refused before the registry is even asked
    # Nothing changed: no invitation, no message to the father, no further attempt counted.
    assert count(Invitation) == 10 and count(InvitationAttempt) == 20
    assert db.session.scalar(select(func.count()).select_from(Message).where(
        Message.person_id == family["father"].id)) == 0
    # Another worker (another app on the same database) sees the same count.
    other = make_app(database_uri_for_test).test_client()
    assert api.error(api.invite(other, tashi, "parent")) == (429, "rate_limited")
    # Other benefactors are not affected; an hour later the benefactor may invite again.
    assert api.invite(client, as_("phuntsok"), "parent").status_code == 201
    monkeypatch.setattr(attempts, "now", lambda: now() + timedelta(hours=1, seconds=1))  # the counter's clock
    assert api.invite(client, tashi, "parent").status_code == 201


def test_a_ticket_allows_five_previews_then_422_and_still_settles(client, as_, family):
    ali = Counter(client, "ali-pharmacy")
    t = ticket(client, as_, ali, "drolma")
    for price in (100, 1000, 5000, 8000, 7999):  # the counter homing in on her balance
        assert ali.preview(t, items((DRUG, 1, price))).status_code == 200
    sixth = ali.preview(t, items((DRUG, 1, 8001)))
    assert api.error(sixth) == (422, "preview_limit_reached")
    settled = ali.settle(t, "RX-P-1", items((DRUG, 1, 3000)))
    assert settled.status_code == 201 and settled.json["own_account_fen"] == 3000


def test_concurrent_previews_of_one_ticket_count_exactly_five(client, as_, family, server):
    counter = HttpCounter(server, "ali-pharmacy")
    t = ticket(client, as_, Counter(client, "ali-pharmacy"), "drolma")
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: counter.call("POST", "/counter/settlements/preview",
                                                       {"ticket": t, "items": items((DRUG, 1, 100))}), range(10)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 5 + [422] * 5, answers
    assert {body["error"]["code"] for status, body in answers if status == 422} == {"preview_limit_reached"}
