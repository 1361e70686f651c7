"""The sender against WeChat's stand-in on loopback: delivered once, through outages, a dead sender, an expired
token, two senders at once, a refusal."""
import os
import signal
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.clock import now
from services.db import db, writes
from services.models import Message, Outbox
from services.notify import messages, notify_sender

from . import fake_wechat
from .api import API
from .notify import aid_settlement, outbox, senders, stand_in, subscribe  # noqa: F401 (a fixture)

W = fake_wechat.Handler


def token_calls():
    return sum(1 for path, *_ in W.seen if path == "/cgi-bin/token")


@writes
def told(person_id: int, count: int):
    """`count` aid messages for one reader through the settlement's own path (messages.notify_many)."""
    messages.notify_many([(person_id, "aid_paid", {"patient": "次***", "relation": "parent", "institution": "阿里药房",
                                                   "amount_fen": 100 + i}, None) for i in range(count)])


def pages():
    return [body["page"] for body in W.delivered]


def test_delivered_once_in_the_readers_language(stand_in, client, as_, family):
    subscribe(client, as_("tashi"), ["tmpl-aid"], language="bo")
    aid_settlement(client, as_, fen=1500)
    sender = notify_sender.Sender()
    assert sender.once() == 1 and sender.once() == 0
    message = db.session.scalars(select(Message).where(Message.kind == "aid_paid")).one()
    [body] = W.delivered
    text = messages.render(message, "bo")
    assert body["touser"] == "tashi" and body["template_id"] == "tmpl-aid"
    assert body["page"] == f"pages/messages/index?id={message.id}" and body["miniprogram_state"] == "formal"
    assert body["data"]["thing1"]["value"] == text[:19] + "…" and "次" in text and "次仁多吉" not in text  # masked
    assert body["data"]["time2"]["value"].count(":") == 1
    assert outbox() == [("sent", 1, None)]
    feed = client.get(f"{API}/messages", headers=as_("tashi")).json["items"]
    assert feed[0]["kind"] == "aid_paid"


def test_wechat_down_for_a_while_then_back_delivers_once(stand_in, client, as_, family, clock):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    aid_settlement(client, as_)
    W.down = True
    sender = notify_sender.Sender()
    sender.once()
    assert outbox() == [("pending", 1, None)] and W.delivered == []
    assert sender.once() == 0   # backing off: not due yet
    clock.set(now() + timedelta(minutes=5))
    sender.once()
    assert outbox() == [("pending", 2, None)]
    W.down = False
    clock.set(now() + timedelta(hours=1))
    assert sender.once() == 1 and sender.once() == 0
    assert outbox() == [("sent", 3, None)] and len(W.delivered) == 1


def test_busy_codes_are_retried_then_expire_after_24_hours(stand_in, client, as_, family, clock):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    aid_settlement(client, as_)
    W.answers = [-1, 45009]
    sender = notify_sender.Sender()
    sender.once()
    assert outbox() == [("pending", 1, -1)]
    clock.set(now() + timedelta(hours=1))
    sender.once()
    assert outbox() == [("pending", 2, 45009)]
    W.down = True
    clock.set(now() + timedelta(hours=25))
    sender.once()
    assert outbox() == [("expired", 2, 45009)] and W.delivered == []


@pytest.mark.parametrize("errcode", [43101, 47003, 40037])
def test_a_refusal_fails_the_message_with_its_errcode_and_the_feed_keeps_it(stand_in, client, as_, family, errcode):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    aid_settlement(client, as_)
    W.answers = [errcode]
    sender = notify_sender.Sender()
    sender.once()
    assert outbox() == [("failed", 1, errcode)] and sender.once() == 0
    feed = client.get(f"{API}/messages", headers=as_("tashi")).json["items"]
    assert [m["kind"] for m in feed][0] == "aid_paid" and W.delivered == []


def test_an_expired_token_is_renewed_once_not_per_message_and_shared(stand_in, client, as_, family):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    told(family["tashi"].id, 2)
    sender = notify_sender.Sender()
    assert sender.once() == 2 and token_calls() == 1
    W.access_token = "at-2"   # WeChat expires the token mid-run
    told(family["tashi"].id, 5)
    assert sender.once() == 5 and token_calls() == 2
    assert notify_sender.Sender().once() == 0 and token_calls() == 2
    told(family["tashi"].id, 1)
    assert notify_sender.Sender().once() == 1 and token_calls() == 2   # another sender uses the shared token
    assert len(W.delivered) == 8 and len(set(pages())) == 8


def test_a_sender_killed_between_wechats_answer_and_its_record_sends_at_most_one_duplicate(
        stand_in, client, as_, family, database_uri_for_test, clock, tmp_path):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    aid_settlement(client, as_)
    W.hold = fake_wechat.threading.Event()      # WeChat accepts the message, then its answer waits
    with open(tmp_path / "sender.log", "w") as log, senders(database_uri_for_test, stand_in, output=log) as [proc]:
        assert W.received.wait(60), open(tmp_path / "sender.log").read()
        os.killpg(proc.pid, signal.SIGKILL)     # dies before it could record the answer
        proc.wait()
    W.hold.set()
    assert len(W.delivered) == 1 and outbox() == [("pending", 1, None)]   # WeChat has it; we do not know
    sender = notify_sender.Sender()
    assert sender.once() == 0                   # its lease still runs: nobody sends it meanwhile
    clock.set(now() + notify_sender.LEASE + timedelta(seconds=1))
    assert sender.once() == 1 and sender.once() == 0
    assert outbox() == [("sent", 2, None)]
    assert len(W.delivered) == 2 and len(set(pages())) == 1   # the one duplicate, and no more


def test_two_senders_at_once_send_no_message_twice(stand_in, client, as_, family, database_uri_for_test, tmp_path):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    told(family["tashi"].id, 120)
    with open(tmp_path / "senders.log", "w") as log, senders(database_uri_for_test, stand_in, 2, output=log):
        deadline = time.monotonic() + 120
        while len(W.delivered) < 120 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)  # anything sent twice would arrive meanwhile
    assert len(W.delivered) == 120 and len(set(pages())) == 120, open(tmp_path / "senders.log").read()[-3000:]
    assert {status for status, *_ in outbox()} == {"sent"}
    assert token_calls() <= 2   # each sender found the token the other had fetched, or fetched it once


def test_notify_once_delivers_a_demo_settlement(stand_in, client, as_, family, app):
    subscribe(client, as_("tashi"), ["tmpl-aid"])
    aid_settlement(client, as_)
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["notify", "once"])
    assert result.exit_code == 0 and result.output.strip() == "1 sent, 0 failed, 0 retried, 0 expired"
    assert [b["touser"] for b in W.delivered] == ["tashi"] and outbox()[0][0] == "sent"
    text = client.get("/metrics").get_data(as_text=True)
    assert 'gongji_notify_messages{status="sent"} 1.0' in text and \
        'gongji_notify_messages{status="pending"} 0.0' in text
    assert db.session.query(Outbox).count() == 1
