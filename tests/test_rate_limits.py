"""Rate limits: 429 in the contract's shape with Retry-After; counted per client, person, institution, patient."""
import os
import uuid

import pytest
import redis

from app import create_app

from . import api, factory
from .api import API
from .conftest import make_app
from .counter import Counter, items, voucher

SMALL = {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute", "RATELIMIT_VOUCHER": "2 per minute",
         "RATELIMIT_OFFLINE_VOUCHER": "1 per minute",
         "RATELIMIT_COUNTER": "4 per minute", "RATELIMIT_SETTLEMENT": "1 per minute"}


@pytest.fixture
def config():
    return dict(SMALL, RATELIMIT_KEY_PREFIX=uuid.uuid4().hex)


def assert_limited(resp):
    assert api.error(resp) == (429, "rate_limited")
    assert 1 <= int(resp.headers["Retry-After"]) <= 60    # seconds until the minute's window resets
    assert resp.json["error"]["details"] == {}


def test_login_is_limited_per_client(client, family):
    for _ in range(3):
        ok = client.post(f"{API}/auth/login", json={"code": "dev:tashi"})
        assert ok.status_code == 200 and "Retry-After" not in ok.headers
    assert_limited(client.post(f"{API}/auth/login", json={"code": "dev:tashi"}))
    other = client.post(f"{API}/auth/login", json={"code": "dev:tashi"}, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 200


def test_vouchers_are_limited_per_person(client, family):
    tashi, drolma = factory.bearer(client, "tashi"), factory.bearer(client, "drolma")
    for _ in range(2):
        assert client.post(f"{API}/vouchers", headers=tashi).status_code == 201
    assert_limited(client.post(f"{API}/vouchers", headers=tashi))
    assert client.post(f"{API}/vouchers", headers=drolma).status_code == 201


def test_offline_books_are_limited_per_person(client, family):
    tashi, drolma = factory.bearer(client, "tashi"), factory.bearer(client, "drolma")
    assert client.post(f"{API}/vouchers/offline", headers=tashi).status_code == 201
    assert_limited(client.post(f"{API}/vouchers/offline", headers=tashi))
    assert client.post(f"{API}/vouchers/offline", headers=drolma).status_code == 201


def test_counter_calls_are_limited_per_institution(client, family):
    ali = Counter(client, "ali-pharmacy")
    for _ in range(4):
        assert ali.call("GET", "/counter/catalogue").status_code == 200
    assert_limited(ali.call("GET", "/counter/catalogue"))
    assert Counter(client, "ali-hospital").call("GET", "/counter/catalogue").status_code == 200


def test_settlements_are_limited_per_patient(client, family):
    ali, hospital = Counter(client, "ali-pharmacy"), Counter(client, "ali-hospital")
    t1 = ali.scan(voucher(client, factory.bearer(client, "drolma"))).json["ticket"]
    t2 = hospital.scan(voucher(client, factory.bearer(client, "drolma"))).json["ticket"]
    assert ali.settle(t1, "A-1", items(("XA0101", 1, 100))).status_code == 201
    assert_limited(hospital.settle(t2, "B-1", items(("XA0101", 1, 100))))
    t3 = hospital.scan(voucher(client, factory.bearer(client, "sonam"))).json["ticket"]
    assert hospital.settle(t3, "B-2", items(("XA0101", 1, 100))).status_code == 201


def test_workers_share_counts_through_redis(database_uri_for_test, config):
    store = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        store.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):  # CI starts Redis: its absence there is a failure, not a reason to skip
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379 (start it to run this test)")
    from .conftest import BASE_CONFIG
    settings = {**BASE_CONFIG, **config, "SQLALCHEMY_DATABASE_URI": database_uri_for_test,
                "REDIS_URL": "redis://127.0.0.1:6379/0"}
    first, second = create_app(settings), create_app(settings)   # two workers, one Redis
    with first.app_context():
        factory.seed_demo()
    codes = [w.test_client().post(f"{API}/auth/login", json={"code": "dev:tashi"}).status_code
             for w in (first, second, first, second)]
    assert codes == [200, 200, 200, 429]
    # the counts live in Redis, where a worker on another host sees them, not in this process
    # (the key prefix is the first app's in a process that made several; so look by the limit's name)
    counts = [int(store.get(k) or 0) for k in store.scan_iter("LIMITS:*identity.login*")]
    assert max(counts, default=0) >= 3


def test_behind_one_proxy_each_forwarded_client_is_counted(database_uri_for_test, config, family):
    client = make_app(database_uri_for_test, **config, PROXY_HOPS=1).test_client()

    def login(forwarded_for):  # every request reaches the app from the proxy's own address
        return client.post(f"{API}/auth/login", json={"code": "dev:tashi"}, headers={"X-Forwarded-For": forwarded_for},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"})

    for _ in range(3):
        assert login("198.51.100.7").status_code == 200
    assert_limited(login("198.51.100.7"))
    assert login("203.0.113.9").status_code == 200          # another client behind the same proxy
    assert_limited(login("203.0.113.1, 198.51.100.7"))     # only the hop our proxy added is believed
