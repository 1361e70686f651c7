"""WeChat subscribe messages: 10,000 queued messages delivered by 2 `flask notify run` senders to WeChat's stand-in
on loopback (tests/fake_wechat.py); prints messages/s, the delay from commit to WeChat, and duplicates (must be 0).

  GONGJI_ENV=development python -m bench.notify [--db postgres|sqlite] [--messages 10000] [--senders 2]

Phase 1 queues every message at once and times the drain (messages/s). Phase 2 commits small batches at about half
that rate while the senders run, and measures each message's delay from its commit to WeChat's receipt (p50/p99).
"""
import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer

from sqlalchemy import func, insert, literal, select, true

from bench import stack
from tests import fake_wechat

RECEIPTS = []   # (page, time.time()) of every send WeChat received; a page names one message
TEMPLATE_IDS = "aid_paid=tmpl-aid"


class Timed(fake_wechat.Handler):
    def _subscribe_send(self, query, body):
        RECEIPTS.append((body.get("page"), time.time()))
        super()._subscribe_send(query, body)


def subscribe_everyone():
    """Every person accepted the aid template (the worst case for the settle path: every helper's message queued)."""
    from services.db import db
    from services.models import Person, Subscription
    db.session.execute(insert(Subscription).from_select(
        ["person_id", "template_id", "kind", "accepted", "locale", "at"],
        select(Person.id, literal("tmpl-aid"), literal("aid_paid"), true(), literal("zh_CN"), func.now())))
    db.session.commit()


def queue(reader_ids, count, batch):
    """`count` aid messages for these readers, committed `batch` at a time; {page: commit time}."""
    from services.db import writes
    from services.notify import messages
    commits, made = {}, 0

    @writes
    def one(n):
        notes = [(reader_ids[(made + i) % len(reader_ids)], "aid_paid", {
            "patient": "测***", "relation": "parent", "institution": "bench", "amount_fen": 100 + i}, None)
            for i in range(n)]
        messages.notify_many(notes)
        return messages.db.session.execute(select(func.max(messages.Message.id))).scalar()

    while made < count:
        n = min(batch, count - made)
        last = one(n)
        at = time.time()
        commits.update({f"pages/messages/index?id={i}": at for i in range(last - n + 1, last + 1)})
        made += n
    return commits


def senders(url, port, count):
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=stack.SECRET_KEY, NOTIFY_ENABLED="true",
               WECHAT_TEMPLATE_IDS=TEMPLATE_IDS, WECHAT_APPID=fake_wechat.APPID, WECHAT_SECRET=fake_wechat.SECRET,
               WECHAT_API_BASE=f"http://127.0.0.1:{port}", PYTHONPATH=stack.ROOT)
    return [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "notify", "run", "--idle", "0.1"],
                             cwd=stack.ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(stack.OUT, "notify-senders.log"), "ab")) for _ in range(count)]


def wait_for(expected, limit):
    deadline = time.time() + limit
    while len(RECEIPTS) < expected and time.time() < deadline:
        time.sleep(0.05)


def drive(readers, count):
    """Phase 1 (drain the backlog: messages/s), then phase 2 (paced commits: {page: commit time})."""
    wait_for(count, 900)
    drained = max(t for _, t in RECEIPTS) - min(t for _, t in RECEIPTS)
    rate, paced, commits = count / drained, count // 5, {}
    interval = 10 / (rate / 2)   # batches of 10 at half the drain rate
    for _ in range(paced // 10):
        started = time.time()
        commits.update(queue(readers, 10, 10))
        time.sleep(max(0.0, interval - (time.time() - started)))
    wait_for(count + paced, 120)
    time.sleep(1)   # a duplicate would arrive meanwhile
    return rate, drained, commits


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    p.add_argument("--messages", type=int, default=10_000)
    p.add_argument("--senders", type=int, default=2)
    a = p.parse_args()
    os.makedirs(stack.OUT, exist_ok=True)
    url = stack.fresh_database(a.db)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Timed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app = stack.create_app({"SQLALCHEMY_DATABASE_URI": stack.sa_url(url), "SECRET_KEY": stack.SECRET_KEY,
                            "NOTIFY_ENABLED": True, "WECHAT_TEMPLATE_IDS": TEMPLATE_IDS})
    with app.app_context():
        from flask_migrate import upgrade

        from bench import population
        upgrade()
        roles = population.generate(persons=2_000, entries=2_000)
        subscribe_everyone()
        readers = roles["spread"]   # residents with a login (an openid to send to)
        queue(readers, a.messages, 500)
        procs = senders(url, server.server_port, a.senders)
        try:
            rate, drained, commits = drive(readers, a.messages)
        finally:   # never leave a sender running past its run (it would claim the next run's rows)
            for proc in procs:
                proc.terminate()
                proc.wait(30)
        first = {}
        for page, t in RECEIPTS:
            first.setdefault(page, t)
        delays = sorted((first[page] - at) * 1000 for page, at in commits.items() if page in first)
        received, duplicates = len(RECEIPTS), len(RECEIPTS) - len(first)
        from services.db import db
        from services.models import Outbox
        statuses = dict(db.session.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())
    server.shutdown()
    print(f"{a.db}: {a.messages} queued messages drained by {a.senders} senders in {drained:.1f} s: "
          f"{rate:.0f} messages/s")
    print(f"{a.db}: {len(delays)} messages committed 10 at a time at ~{rate / 2:.0f}/s while the senders ran: "
          f"delay commit -> WeChat p50 {statistics.median(delays):.0f} ms, "
          f"p99 {delays[int(len(delays) * 0.99) - 1]:.0f} ms, max {delays[-1]:.0f} ms")
    print(f"{a.db}: WeChat received {received} sends of {len(first)} messages: {duplicates} duplicates; "
          f"outbox {statuses}")
    sys.exit(1 if duplicates or received != a.messages + len(commits) else 0)


if __name__ == "__main__":
    main()
