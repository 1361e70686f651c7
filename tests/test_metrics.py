"""GET /metrics: settlements and their fen by channel, requests by route (never the raw path), pool use, access."""
from prometheus_client.parser import text_string_to_metric_families

from . import api
from .counter import Counter, items, ticket


def scrape(client, **headers):
    resp = client.get("/metrics", headers=headers)
    assert resp.status_code == 200, resp.data
    assert resp.content_type.startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(resp.get_data(as_text=True)) for s in family.samples}


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def test_a_settlement_shows_in_the_counters(client, as_):
    api.bind(client, as_, "tashi", "father", "parent")
    counter = Counter(client, "ali-pharmacy")
    before = scrape(client)
    t, bill = ticket(client, as_, counter, "father"), items(("XA0101", 2, 1850), ("NX0901", 1, 500))
    resp = counter.settle(t, "RX-1", bill)
    assert resp.status_code == 201 and (resp.json["mutual_aid_fen"], resp.json["cash_fen"]) == (3700, 500)
    assert counter.settle(t, "RX-1", bill).status_code == 200  # a retry is a replay: not counted again
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("gongji_settlements_total", channel="voucher") == 1
    assert delta("gongji_settled_fen_total", channel="voucher", paid_by="mutual_aid") == 3700
    assert delta("gongji_settled_fen_total", channel="voucher", paid_by="cash") == 500
    assert delta("gongji_settled_fen_total", channel="voucher", paid_by="own_account") == 0
    route = "/api/v1/counter/settlements"
    assert delta("gongji_http_requests_total", method="POST", route=route, status="201") == 1
    assert delta("gongji_http_requests_total", method="POST", route=route, status="200") == 1
    assert delta("gongji_http_request_duration_seconds_count", method="POST", route=route) >= 1
    assert value(after, "gongji_db_pool_size") >= 1 and ("gongji_db_pool_checked_out", ()) in after


def test_routes_not_paths_become_labels(client, as_):
    code = api.invite(client, as_("tashi"), "parent").json["code"]
    assert client.get(f"/api/v1/invitations/{code}", headers=as_("father")).status_code == 200
    client.get("/no/such/page/RX-0001")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'route="/api/v1/invitations/<code>"' in text and '"<unmatched>"' in text
    assert code not in text and "RX-0001" not in text


def test_metrics_behind_a_token(app, client):
    app.config["METRICS_TOKEN"] = "scrape-token-0123456789"
    assert api.error(client.get("/metrics")) == (401, "unauthenticated")
    assert api.error(client.get("/metrics", headers={"Authorization": "Bearer wrong"})) == (401, "unauthenticated")
    assert scrape(client, Authorization="Bearer scrape-token-0123456789")
    app.config.update(METRICS_TOKEN=None, GONGJI_ENV="production")  # production without a token: no endpoint
    assert api.error(client.get("/metrics")) == (404, "not_found")
