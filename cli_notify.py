"""The administrators' face of WeChat subscribe messages: `flask notify run` (a process of its own) and `notify once`
(for cron). Several `run`s may share a PostgreSQL database, on several hosts; SQLite has one."""
import logging
import signal
import threading

import click

from services import notify_sender


@click.group("notify")
def notify():
    """Send the queued WeChat subscribe messages."""


def _sender():
    try:
        return notify_sender.Sender()
    except notify_sender.Refused as exc:
        raise click.ClickException(str(exc))


@notify.command("run")
@click.option("--idle", type=click.FloatRange(0.05, 60), default=1.0, help="seconds to wait when nothing is due")
@click.option("--batch", type=click.IntRange(1, 500), default=50, help="rows claimed at a time")
def run(idle, batch):
    """Send until SIGTERM or SIGINT, then finish the message in hand and stop."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sender, stop = _sender(), threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo("notify: sending", err=True)
    sender.run(stop, idle=idle, limit=batch)
    click.echo(f"notify: stopped; {_summary(sender.counts)}", err=True)


@notify.command("once")
@click.option("--batch", type=click.IntRange(1, 500), default=50, help="rows claimed at a time")
def once(batch):
    """Send what is due now and stop (a cron job's way)."""
    sender = _sender()
    sender.once(batch)
    click.echo(_summary(sender.counts))


def _summary(counts):
    return ", ".join(f"{counts[k]} {k}" for k in ("sent", "failed", "retried", "expired"))
