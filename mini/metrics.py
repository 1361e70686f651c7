"""GET /metrics in Prometheus' text format; requests counted per route and status, their latency per route.

Behind METRICS_TOKEN (Bearer) when it is set; in production without it the endpoint does not exist (scrape the
private port instead, docs/deploy.md). Under gunicorn every worker's numbers are added up (multiprocess mode).
"""
import hmac
import os

from flask import Blueprint, Response, abort, current_app
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from services.errors import Unauthenticated
from services.notify import notifications

from .auth import bearer_token

blp = Blueprint("metrics", __name__)
REQUESTS = Counter("gongji_http_requests", "Requests answered, by method, route and status",
                   ["method", "route", "status"])
LATENCY = Histogram("gongji_http_request_duration_seconds", "Time to answer, by method and route",
                    ["method", "route"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))


def observe(method: str, route: str, status: int, seconds: float):
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def registry():
    """Every worker's numbers when gunicorn runs several (PROMETHEUS_MULTIPROC_DIR), else this process's."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    combined = CollectorRegistry()
    MultiProcessCollector(combined)
    return combined


class OutboxCollector:
    """The WeChat outbox as the database holds it (the senders are processes of their own): rows by status, the
    age of the oldest pending one."""

    def collect(self):
        counts = notifications.counts()
        rows = GaugeMetricFamily("gongji_notify_messages", "WeChat subscribe messages in the outbox, by status",
                                 labels=["status"])
        for status in ("pending", "sent", "failed", "expired"):
            rows.add_metric([status], counts["statuses"].get(status, 0))
        yield rows
        yield GaugeMetricFamily("gongji_notify_oldest_pending_seconds", "Age of the oldest message not yet sent",
                                value=counts["oldest_pending_seconds"])


OUTBOX = CollectorRegistry(auto_describe=False)
OUTBOX.register(OutboxCollector())


@blp.get("/metrics")
def metrics():
    token = current_app.config["METRICS_TOKEN"]
    if token:
        if not hmac.compare_digest(bearer_token().encode(), token.encode()):
            raise Unauthenticated()
    elif current_app.config["GONGJI_ENV"] == "production":
        abort(404)
    return Response(generate_latest(registry()) + generate_latest(OUTBOX), content_type=CONTENT_TYPE_LATEST)
