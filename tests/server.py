"""Gunicorn serving the app on loopback, for tests that need real worker processes (faults, metrics, logs)."""
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from .conftest import BASE_CONFIG, PG_URL

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers_of(proc):
    with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as fh:
        return [int(p) for p in fh.read().split()]


@contextlib.contextmanager
def gunicorn(database_uri, *args, env=None, output=None):
    """(process, base URL) of `gunicorn ARGS --bind 127.0.0.1:<free port>` on the test's database, once ready."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=PG_URL or database_uri, SECRET_KEY=BASE_CONFIG["SECRET_KEY"],
               RATELIMIT_ENABLED="false", PYTHONPATH=ROOT, **(env or {}))
    proc = subprocess.Popen([GUNICORN, *args, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                            start_new_session=True, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield proc, base
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
