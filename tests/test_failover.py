"""The PostgreSQL primary dies under load and no acknowledged settlement is lost (bench/failover.py, one round).

A two-node Patroni cluster with etcd on loopback (bench/ha.py); gunicorn (4 workers x 4 threads) on a DATABASE_URL
naming both nodes; clerks settle and retry the same order number on a 503 or no answer. The primary's postmaster
is SIGKILLed; Patroni promotes the standby, the old primary rejoins as the synchronous standby, and the app, never
restarted, settles on. About a minute; PostgreSQL runs of the suite only (`.ci/run` installs patroni and etcd-server).
"""
import os
import re

import pytest
import yaml
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app import database_uri
from bench import failover, ha

from .conftest import PG_URL



def test_a_url_naming_both_nodes_reaches_psycopg_as_two_hosts():
    """libpq's multi-host URL (docs/deploy.md) is written as SQLAlchemy passes it to psycopg: one host= each."""
    url = "postgresql://postgres@10.0.0.1:5432,10.0.0.2:5433/gongji?target_session_attrs=read-write"
    uri = database_uri(url, None)
    assert uri == ("postgresql+psycopg://postgres@/gongji?host=10.0.0.1:5432&host=10.0.0.2:5433"
                   "&target_session_attrs=read-write")
    args = create_engine(uri).dialect.create_connect_args(make_url(uri))[1]
    assert (args["host"], args["port"], args["target_session_attrs"]) == ("10.0.0.1,10.0.0.2", "5432,5433",
                                                                          "read-write")
    assert database_uri("postgresql://u@db:5432/gongji", None) == "postgresql+psycopg://u@db:5432/gongji"


@pytest.mark.skipif(not PG_URL, reason="failover is a PostgreSQL matter: run the suite with DATABASE_URL")
@pytest.mark.skipif(bool(ha.missing()), reason=f"no HA cluster here: {ha.missing()}")
def test_primary_killed_under_load_loses_no_acknowledged_settlement():
    with ha.cluster() as cluster:
        first = cluster.leader()
        [(figures, problems)] = failover.run(cluster, rounds=1, seconds=15, kill_at=5, clerks=6, families=60)
        assert cluster.leader() == 1 - first   # the standby took over; the old primary follows it
        assert cluster.members()[first]["role"] == "sync_standby"

    # each acknowledged settlement once, on both nodes; audit; no 500; 503s with Retry-After; the settlement made
    # before the kill, sent again by its counter after the switch, answered 200 with its id
    assert problems == []
    assert figures["kind"] == "postmaster" and figures["acknowledged"] > 0
    assert figures["answered_500"] == 0 and figures["503_without_retry_after"] == 0
    assert 0 < figures["failover_s"] < 60   # the app settled again after the kill, without a restart


def test_the_recipe_in_deploy_md_is_the_tested_configuration():
    """docs/deploy.md's Patroni settings are the ones bench/ha.py runs (timings, synchronous mode, rewind)."""
    doc = open(os.path.join(os.path.dirname(__file__), "..", "docs", "deploy.md"), encoding="utf-8").read()
    recipe = yaml.safe_load(re.search(r"## High availability.*?```yaml\n(.*?)```", doc, re.S).group(1))
    dcs, tested = recipe["bootstrap"]["dcs"], ha.DCS
    assert {k: v for k, v in dcs.items() if k != "postgresql"} == {k: v for k, v in tested.items() if k != "postgresql"}
    assert {k: v for k, v in dcs["postgresql"].items() if k != "parameters"} == \
        {k: v for k, v in tested["postgresql"].items() if k != "parameters"}
    assert all(str(tested["postgresql"]["parameters"][k]) == str(v) for k, v in dcs["postgresql"]["parameters"].items())
    assert recipe["bootstrap"]["initdb"] == ha.INITDB
