"""The sender: claims due outbox rows, sends each through WeChat's subscribeMessage.send, records what WeChat said.

A claim moves the row's `next_at` one lease ahead in a short transaction of its own (FOR UPDATE SKIP LOCKED on
PostgreSQL, so senders on several hosts never claim one row together); the answer is recorded right after WeChat
gives it. A sender that dies between the two leaves the row pending: another sends it again when the lease ends.
WeChat's send takes no idempotency key, so that window is the one way a message goes out twice (docs/deploy.md)."""
import logging
import random
import threading
from datetime import timedelta

from sqlalchemy import select, update

from .. import providers, settings
from ..clock import CHINA, now
from ..db import db, writes
from ..errors import Unavailable
from ..models import Login, Message, Outbox
from . import messages, platform_token

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)           # a claimed row is due again after this, should its sender die
LIFETIME = timedelta(hours=24)          # retried this long after it was queued, then expired
FIRST_DELAY, LONGEST_DELAY = 10, 1800   # seconds: exponential backoff between them, with jitter
BUSY = {-1, 45009, 45011}               # system busy, quotas: try again later
STALE_TOKEN = {40001, 40014, 42001}     # the token expired: renew it once and send again
PAGE = "pages/messages/index"           # the mini-program's feed, where the whole message is read


class SendingOff(Exception):
    """NOTIFY_ENABLED is false: the sender does not run."""


@writes
def claim(limit: int) -> list[dict]:
    """Due rows, each with its lease taken and what the send needs; rows past their lifetime expire instead."""
    at = now()
    ids = db.session.scalars(select(Outbox.id).where(Outbox.status == "pending", Outbox.next_at <= at)
                             .order_by(Outbox.next_at, Outbox.id).limit(limit)
                             .with_for_update(skip_locked=True)).all()
    if not ids:
        return []
    db.session.execute(update(Outbox).where(Outbox.id.in_(ids), Outbox.queued_at < at - LIFETIME)
                       .values(status="expired", done_at=at).execution_options(synchronize_session=False))
    db.session.execute(update(Outbox).where(Outbox.id.in_(ids), Outbox.status == "pending")
                       .values(next_at=at + LEASE, attempts=Outbox.attempts + 1)
                       .execution_options(synchronize_session=False))
    rows = db.session.execute(
        select(Outbox, Message, Login.openid).join(Message, Message.id == Outbox.message_id)
        .outerjoin(Login, Login.person_id == Outbox.person_id)
        .where(Outbox.id.in_(ids), Outbox.status == "pending").order_by(Outbox.id)).all()
    return [{"id": o.id, "attempts": o.attempts, "queued_at": o.queued_at, "openid": openid,
             "body": body(openid, o.template_id, m, messages.render(m, o.locale))} for o, m, openid in rows]


def body(openid: str | None, template_id: str, message: Message, text: str) -> dict:
    """subscribeMessage.send's request: the message's first 20 characters (a `thing` holds no more) and its time;
    the page opens the feed at this message, where the whole of it is."""
    return {"touser": openid, "template_id": template_id, "page": f"{PAGE}?id={message.id}", "lang": "zh_CN",
            "miniprogram_state": settings.get("WECHAT_MINIPROGRAM_STATE"),
            "data": {"thing1": {"value": text if len(text) <= 20 else text[:19] + "…"},
                     "time2": {"value": message.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")}}}


@writes
def record(row: dict, status: str, errcode: int | None = None) -> None:
    """What became of one claimed row: sent, failed (a refusal, with WeChat's errcode), or due again later."""
    at, values = now(), {"status": status, "errcode": errcode}
    if status == "pending":
        delay = min(LONGEST_DELAY, FIRST_DELAY * 2 ** (row["attempts"] - 1)) * random.uniform(0.5, 1.5)
        values["next_at"] = at + timedelta(seconds=delay)
        if values["next_at"] > row["queued_at"] + LIFETIME:
            values["status"] = "expired"
    if values["status"] != "pending":
        values["done_at"] = at
    db.session.execute(update(Outbox).where(Outbox.id == row["id"], Outbox.status == "pending").values(**values)
                       .execution_options(synchronize_session=False))


class Sender:
    """One sending process: the token it last used, its counts."""

    def __init__(self):
        if not settings.get("NOTIFY_ENABLED"):
            raise SendingOff("NOTIFY_ENABLED is false: nothing is queued and no sender runs")
        self.token, self.until = None, None
        self.counts = {"sent": 0, "failed": 0, "retried": 0, "expired": 0}

    def once(self, limit: int = 50) -> int:
        """Send every row due now, in claims of `limit`; the number of rows handled."""
        handled = 0
        while rows := claim(limit):
            for row in rows:
                self.deliver(row)
            handled += len(rows)
        return handled

    def run(self, stop: threading.Event, idle: float = 1.0, limit: int = 50) -> None:
        """Until `stop` is set: send what is due, wait `idle` seconds when nothing is; a fault waits and goes on."""
        while not stop.is_set():
            try:
                busy = self.once(limit)
            except Exception:  # the database away for a moment: the rows wait in the outbox, nothing is lost
                log.exception("notify: a pass failed; trying again")
                db.session.rollback()
                busy = 0
            if not busy:
                stop.wait(idle)

    def deliver(self, row: dict) -> None:
        status, errcode = self.send(row) if row["openid"] else ("failed", None)  # no login to tell any more
        record(row, status, errcode)
        self.counts["retried" if status == "pending" else status] += 1

    def send(self, row: dict) -> tuple[str, int | None]:
        """(status, errcode) of one send; a token WeChat calls expired is renewed once and the send repeated."""
        try:
            for attempt in (0, 1):
                token = self._token(stale=self.token if attempt else None)
                answer = providers._call("/cgi-bin/message/subscribe/send", {"access_token": token}, row["body"])
                errcode = int(answer.get("errcode") or 0)
                if errcode not in STALE_TOKEN:
                    break
        except (Unavailable, ValueError, TypeError):
            return "pending", None  # unreachable, 5xx or garbled: again later
        if errcode == 0:
            return "sent", None
        if errcode in BUSY or errcode in STALE_TOKEN:
            return "pending", errcode
        log.warning("notify: WeChat refused outbox row %s: errcode %s", row["id"], errcode)
        return "failed", errcode

    def _token(self, stale=None) -> str:
        if stale or self.token is None or self.until <= now():
            self.token, self.until = platform_token.current(stale)
        return self.token
