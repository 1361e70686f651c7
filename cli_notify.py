"""The administrators' face of WeChat subscribe messages: `flask notify run` (a process of its own) and `notify once`
(for cron). Several `run`s may share a PostgreSQL database, on several hosts; SQLite has one."""
import logging
import signal
import threading

import click
from flask import current_app

from services.notify import notify_sender


@click.group("notify")
def notify():
    """Send the queued WeChat subscribe messages."""


def _sender():
    try:
        return notify_sender.Sender()
    except notify_sender.SendingOff as exc:
        raise click.ClickException(str(exc))


@notify.command("run")
@click.option("--idle", type=click.FloatRange(0.05, 60), default=1.0, help="seconds to wait when nothing is due")
@click.option("--batch", type=click.IntRange(1, 500), default=5, help="rows a thread claims at a time")
@click.option("--threads", type=click.IntRange(1, 32), default=4,
              help="messages in flight at once (each thread claims its own rows and has its own connection)")
def run(idle, batch, threads):
    """Send until SIGTERM or SIGINT, then finish the messages in hand and stop."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app, stop, senders = current_app._get_current_object(), threading.Event(), []

    def work():
        with app.app_context():   # a session and a connection of its own
            senders.append(_sender())
            senders[-1].run(stop, idle=idle, limit=batch)

    _sender()   # refuses here, before any thread starts, when sending is off
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"notify: sending with {threads} thread(s)", err=True)
    workers = [threading.Thread(target=work, name=f"notify-{i}") for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    totals = {key: sum(s.counts[key] for s in senders) for key in senders[0].counts} if senders else {}
    click.echo(f"notify: stopped; {_summary(totals)}", err=True)


@notify.command("once")
@click.option("--batch", type=click.IntRange(1, 500), default=50, help="rows claimed at a time")
def once(batch):
    """Send what is due now and stop (a cron job's way)."""
    sender = _sender()
    sender.once(batch)
    click.echo(_summary(sender.counts))


def _summary(counts):
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in ("sent", "failed", "retried", "expired"))
