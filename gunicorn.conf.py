"""Gunicorn for production (docs/deploy.md): `gunicorn -c gunicorn.conf.py`; command-line flags override these.

Prometheus multiprocess mode: each worker writes its numbers under PROMETHEUS_MULTIPROC_DIR and /metrics adds
them up. The directory is emptied when the server starts and a dead worker is marked, so its gauges leave the sum.
The access log masks invitation codes in paths (logsafe.mask) and leaves out referrer and user agent.
"""
import glob
import os
import re

from gunicorn.glogging import Logger

from logsafe import mask, one_line

# Before anything imports prometheus_client: the workers inherit it and choose the multiprocess store.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/gongji-prometheus")

wsgi_app = "app:create_app()"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# SQLite (the embedded default) takes one writer at a time: one worker whose threads queue on its writer lock
# (services/db.py) keeps the tail short; several processes would meet in SQLite's unfair busy handler instead.
_sqlite = not os.environ.get("DATABASE_URL", "").startswith("postgresql")
workers = int(os.environ.get("WEB_CONCURRENCY", "1" if _sqlite else "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8" if _sqlite else "4"))
graceful_timeout = 20
# The national interface's gateway headers are named `_api_access_key`, `_api_signature`, ...: gunicorn's default
# header_map ("drop") discards every header whose name holds "_", which would refuse each such request (API.md
# "National interface"). Only these five are let through, and only from a trusted peer (forwarded_allow_ips: the
# reverse proxy, loopback by default); header_map stays "drop" for the rest, so no `X_Forwarded_For` can merge into
# the proxy's X-Forwarded-For. A client sending `-api-x` beside `_api_x` gets them joined: its signature fails.
forwarder_headers = "SCRIPT_NAME,PATH_INFO,_API_ACCESS_KEY,_API_NAME,_API_TIMESTAMP,_API_VERSION,_API_SIGNATURE"
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
# Gunicorn's own refusals (a request line over the limit, a non-ASCII request line) are its HTML pages, before the
# app is reached; at gunicorn's largest limit a 4 KB URL reaches the app and gets the contract's JSON (security.md).
limit_request_line = 8190


class MaskingLogger(Logger):
    """Gunicorn's logger with every access-log field it writes masked: /i/<code> and /invitations/<code> keep no
    code. Only the fields the format names are masked (the atoms hold every header too: masking all of them cost
    more than the rest of the log line)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in re.findall(r"%\((.*?)\)s", self.cfg.access_log_format):
            name = name.lower() if name.startswith("{") else name  # gunicorn keeps header atoms in lower case
            value = atoms.get(name)
            if isinstance(value, str):
                atoms[name] = one_line(mask(value))  # a %0A in the URL (decoded into U) forges no log line
        return atoms


logger_class = MaskingLogger


def on_starting(server):
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(path, exist_ok=True)
    for stale in glob.glob(os.path.join(path, "*.db")):  # numbers of a previous run's workers
        os.remove(stale)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
