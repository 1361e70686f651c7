"""WeChat subscribe messages: what a person accepts, and the outbox row queued in the transaction of its message."""
import re

import pytest
from sqlalchemy import func, select

from services.clock import china_today
from services.db import db
from services.errors import Refused
from services.models import Message, Outbox, Proxy
from services.notify import messages, notify_sender

from . import api, factory
from .api import API
from .counter import Counter, items, ticket
from .notify import TEMPLATES, aid_settlement, outbox, stand_in, subscribe  # noqa: F401 (a fixture)
from .plans import plans
from .test_hot_path import settle_paid_by_both_helpers
from .test_settlement import father_helpers  # noqa: F401 (fixture)

SUBS = f"{API}/notifications/subscriptions"


def test_subscriptions_are_recorded_and_a_later_answer_replaces_the_earlier(stand_in, client, as_):
    first = subscribe(client, as_("tashi"), ["tmpl-aid"], asked=["tmpl-aid", "tmpl-bound"])
    assert [(i["template_id"], i["kind"], i["accepted"]) for i in first["items"]] == \
        [("tmpl-aid", "aid_paid", True), ("tmpl-bound", "invitation_accepted", False)]
    subscribe(client, as_("tashi"), [], asked=["tmpl-aid"])
    items = client.get(SUBS, headers=as_("tashi")).json["items"]
    assert [(i["template_id"], i["accepted"]) for i in items] == [("tmpl-aid", False), ("tmpl-bound", False)]
    assert items[0]["at"].endswith("+08:00")
    assert client.get(SUBS, headers=as_("drolma")).json == {"items": []}   # one's own answers only


@pytest.mark.parametrize("body", [
    {"template_ids": ["tmpl-aid", "not-ours"], "accepted": ["tmpl-aid"]},
    {"template_ids": ["tmpl-aid"], "accepted": ["tmpl-bound"]},
    {"template_ids": "tmpl-aid", "accepted": []},
    {"template_ids": ["tmpl-aid"]},
    {"template_ids": [""], "accepted": []},
])
def test_a_template_not_ours_is_400_and_changes_nothing(stand_in, client, as_, body):
    resp = client.post(SUBS, headers=as_("tashi"), json=body)
    assert api.error(resp) == (400, "invalid_request") and resp.json["error"]["details"]
    assert client.get(SUBS, headers=as_("tashi")).json == {"items": []}


def test_subscriptions_need_a_citizen(stand_in, client):
    assert api.error(client.get(SUBS)) == (401, "unauthenticated")


def test_a_settlement_drawing_on_a_subscribed_benefactor_queues_his_message(stand_in, client, as_, family):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    aid_settlement(client, as_)
    row = db.session.scalars(select(Outbox)).one()
    message = db.session.get(Message, row.message_id)
    assert (message.kind, message.person_id, row.person_id, row.template_id, row.status, row.locale) == \
        ("aid_paid", family["tashi"].id, family["tashi"].id, "tmpl-aid", "pending", "zh_CN")
    assert row.queued_at == message.at == row.next_at


def test_a_reader_who_did_not_accept_gets_nothing_queued(stand_in, client, as_):
    subscribe(client, as_("tashi"), [], asked=["tmpl-aid"])   # refused in the dialog
    subscribe(client, as_("father"), ["tmpl-aid"])            # accepted, but he is not the one told
    aid_settlement(client, as_)
    assert outbox() == []
    feed = client.get(f"{API}/messages", headers=as_("tashi")).json["items"]
    assert feed[0]["kind"] == "aid_paid"   # the feed tells him all the same


def test_a_refused_settlement_queues_nothing(stand_in, client, as_, monkeypatch):
    """The settlement's transaction fails after its message and outbox row were written: neither stays."""
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    original = messages.notify_many

    def then_fail(notes):
        original(notes)
        assert db.session.execute(select(func.count()).select_from(Outbox)).scalar() == 1  # written, in flight
        raise Refused("insufficient_balance")  # refused after the message was written

    monkeypatch.setattr(messages, "notify_many", then_fail)
    api.bind(client, as_, "tashi", "father", "parent")
    before = factory.money_state()
    counter = Counter(client, "ali-pharmacy")
    resp = counter.settle(ticket(client, as_, counter, "father"), "NO-1", items(("XA0101", 1, 1500)))
    assert api.error(resp) == (422, "insufficient_balance")
    assert outbox() == [] and db.session.query(Message).filter_by(kind="aid_paid").count() == 0
    assert factory.money_state()[:2] == before[:2]


def test_each_kind_the_contract_names_is_queued_for_its_subscriber(stand_in, client, as_):
    subscribe(client, as_("tashi"), ["tmpl-bound", "tmpl-ended"])
    binding = api.bind(client, as_, "tashi", "father", "parent")
    resp = client.delete(f"{API}/bindings/{binding['id']}", headers=as_("tashi"))
    assert resp.status_code == 200, resp.json
    kinds = db.session.execute(select(Message.kind, Outbox.template_id).join(Outbox, Outbox.message_id == Message.id)
                               .order_by(Outbox.id)).all()
    assert kinds == [("invitation_accepted", TEMPLATES["invitation_accepted"]),
                     ("binding_ended", TEMPLATES["binding_ended"])]


def test_notify_disabled_queues_nothing_and_the_sender_refuses(stand_in, client, as_, app):
    app.config["NOTIFY_ENABLED"] = False
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    aid_settlement(client, as_)
    assert outbox() == []
    with pytest.raises(notify_sender.SendingOff):
        notify_sender.Sender()
    result = app.test_cli_runner().invoke(args=["notify", "run"])
    assert result.exit_code == 1 and "NOTIFY_ENABLED" in result.output


def test_the_default_follows_the_identity_provider(database_uri_for_test):
    from .conftest import make_app
    assert make_app(database_uri_for_test, IDENTITY_PROVIDER="wechat").config["NOTIFY_ENABLED"] is True
    assert make_app(database_uri_for_test).config["NOTIFY_ENABLED"] is False   # dev logins
    assert make_app(database_uri_for_test, IDENTITY_PROVIDER="wechat",
                    NOTIFY_ENABLED="false").config["NOTIFY_ENABLED"] is False
    with pytest.raises(RuntimeError):
        make_app(database_uri_for_test, WECHAT_TEMPLATE_IDS="aid_reversed=x")


def test_metrics_count_the_outbox(stand_in, client, as_):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    aid_settlement(client, as_)
    text = client.get("/metrics").get_data(as_text=True)
    assert 'gongji_notify_messages{status="pending"} 1.0' in text
    assert 'gongji_notify_messages{status="sent"} 0.0' in text
    assert "gongji_notify_oldest_pending_seconds" in text


def test_with_sending_on_a_settlement_runs_one_statement_more_and_it_reads_through_indexes(
        stand_in, client, as_, family, ali, father_helpers):
    """The settle path's price: the outbox's INSERT ... SELECT beside the messages' insert, nothing else."""
    subscribe(client, as_("tashi"), ["tmpl-aid"])   # phuntsok, the second helper, did not subscribe
    statements, commits = settle_paid_by_both_helpers(client, as_, family, ali)
    postgres = db.engine.dialect.name == "postgresql"
    assert len(statements) == (12 if postgres else 14) and commits == 1
    queued = plans([(s, p) for s, p in statements if s.startswith("INSERT INTO notify_outbox")])
    assert len(queued) == 1
    assert not re.search(r"\bSCAN (messages|notify_subscriptions)\b|Seq Scan on (messages|notify_subscriptions)",
                         queued[0][1]), queued
    assert [r.template_id for r in db.session.scalars(select(Outbox))] == ["tmpl-aid"]   # tashi's alone


def test_a_proxy_voucher_and_a_premium_paid_are_queued_for_the_subscriber(stand_in, client, as_, family):
    subscribe(client, as_("father"), ["tmpl-proxy", "tmpl-premium"], language="bo")
    binding = api.bind(client, as_, "tashi", "father", "parent")
    proxy = db.session.scalars(select(Proxy).where(Proxy.carer_id == family["tashi"].id,
                                                   Proxy.person_id == family["father"].id)).one()
    assert client.post(f"{API}/vouchers", json={"proxy_id": proxy.id}, headers=as_("tashi")).status_code == 201
    assert client.post(f"{API}/premiums", json={"binding_id": binding["id"], "year": china_today().year + 1},
                       headers={**as_("tashi"), "Idempotency-Key": "notify-1"}).status_code == 201
    queued = db.session.execute(select(Message.kind, Outbox.person_id, Outbox.template_id, Outbox.locale)
                                .join(Outbox, Outbox.message_id == Message.id).order_by(Outbox.id)).all()
    father = family["father"].id   # tashi, the payer, did not subscribe: his premium message is not queued
    assert queued == [("voucher_by_proxy", father, "tmpl-proxy", "bo"), ("premium_paid", father, "tmpl-premium", "bo")]
