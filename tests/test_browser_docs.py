"""The browsable API document at /api/v1/docs: flask-smorest's Swagger UI page, its scripts and styles served from
our own origin (the pinned swagger-ui-bundle package), never a CDN: Ali's networks reach none."""
import os
import re
from urllib.parse import urlsplit

import pytest

from .test_browser import CHROMIUM, browser, live  # noqa: F401 (fixtures)

ASSET = re.compile(r'(?:src|href)="([^"]+)"')
METHODS = {"get", "post", "put", "patch", "delete"}


def test_the_page_names_only_same_origin_files_and_they_are_served(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    assert '"/api/v1/openapi.json"' in html
    assets = ASSET.findall(html)
    assert {a.rsplit("/", 1)[-1] for a in assets} >= {"swagger-ui.css", "swagger-ui-bundle.js"}
    assert not re.search(r"https?://|\"//", html), "the page names another host"
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset  # same origin, no scheme, no host
        answer = client.get(asset)
        assert answer.status_code == 200 and len(answer.data) > 1000, asset
    assert client.get("/static/docs.html").status_code == 404  # the hand-written page is gone


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed")
def test_the_page_lists_every_operation_with_no_request_leaving_loopback(live, browser, client):
    spec = client.get("/api/v1/openapi.json").json
    operations = {(m.upper(), path) for path, ops in spec["paths"].items() for m in ops if m in METHODS}
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path[data-path='/api/v1/auth/login']")
    shown = set(zip(page.locator(".opblock-summary-method").all_text_contents(),
                    page.locator(".opblock-summary-path").evaluate_all("els => els.map(e => e.dataset.path)")))
    assert shown == operations and len(operations) > 30
    assert page.locator(".info .title").first.text_content().startswith("Gongji family mutual aid")
    hosts = {urlsplit(url).netloc for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(live).netloc}, requested
    assert f"{live}/api/v1/openapi.json" in requested
