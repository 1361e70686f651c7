"""The deployment recipe runs only commands the suite runs: the release, the jobs, gunicorn with its config file."""
import json
import os
import re
import subprocess
import sys

import yaml

from app import DEFAULTS

from .conftest import BASE_CONFIG
from .server import ROOT

RELEASE = ["flask", "--app", "app", "init-db"]
WEB = ["gunicorn", "-c", "gunicorn.conf.py"]     # what tests/test_served.py starts
NOTIFY = ["flask", "--app", "app", "notify", "run"]   # what tests/test_notify_sender.py starts (there --idle 0.05)
JOBS = {"purge-nonces": "nonces forgotten", "pii rotate": "persons.id_number: 0 rows re-sealed",
        "audit": "every ledger invariant holds"}
PROCESS_SETTINGS = {"FLASK_ENV", "PROMETHEUS_MULTIPROC_DIR", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND"}


def run(command, database):
    env = dict(os.environ, DATABASE_URL=database, SECRET_KEY=BASE_CONFIG["SECRET_KEY"], PYTHONPATH=ROOT)
    exe = os.path.join(os.path.dirname(sys.executable), command[0])
    return subprocess.run([exe, *command[1:]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_release_then_the_scheduled_jobs_on_an_empty_database(empty_database):
    for _ in range(2):  # a second release on an up-to-date schema changes nothing
        done = run(RELEASE, empty_database)
        assert done.returncode == 0 and "newest migration" in done.stdout, done.stderr
    for job, says in JOBS.items():
        done = run(["flask", "--app", "app", *job.split()], empty_database)
        assert done.returncode == 0 and says in done.stdout, (job, done.stdout, done.stderr)


def test_compose_and_the_image_run_only_tested_commands():
    with open(os.path.join(ROOT, "compose.yaml")) as fh:
        compose = yaml.safe_load(fh)
    ours = {name: s for name, s in compose["services"].items() if "build" in s}
    assert {name: s["command"] for name, s in ours.items()} == {"release": RELEASE, "web": WEB, "notify": NOTIFY}
    assert ours["web"]["depends_on"]["release"] == {"condition": "service_completed_successfully"}
    assert ours["notify"]["depends_on"]["release"] == {"condition": "service_completed_successfully"}
    assert set(compose["services"]) == {"release", "web", "notify", "postgres", "redis"}
    dockerfile = open(os.path.join(ROOT, "Dockerfile")).read()
    assert json.loads(re.search(r"^CMD (.+)$", dockerfile, re.M).group(1)) == WEB
    copied = {p for line in re.findall(r"^COPY (.+) \S+$", dockerfile, re.M) for p in line.split()}
    modules = {f for f in os.listdir(ROOT) if f.endswith(".py")}
    assert modules <= copied and all(os.path.exists(os.path.join(ROOT, p)) for p in copied)


def test_every_setting_the_recipe_names_exists():
    compose = yaml.safe_load(open(os.path.join(ROOT, "compose.yaml")))
    named = set(compose["services"]["web"]["environment"])
    with open(os.path.join(ROOT, "deploy.env.example")) as fh:
        named |= {line.split("=", 1)[0] for line in fh if re.match(r"^[A-Z_]+=", line)}
    assert named - set(DEFAULTS) - PROCESS_SETTINGS == set()
    doc = open(os.path.join(ROOT, "docs", "deploy.md")).read()
    assert all(f"`{name}`" in doc for name in named)
