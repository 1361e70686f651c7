"""2G (issue 24): text answers gzipped, the pages' files fingerprinted and kept a year, the worker answering them from
its cache, so a repeat visit sends the page's own request and nothing else."""
import gzip
import hashlib
import re
import threading

import pytest
from werkzeug.serving import make_server

from .test_browser import CHROMIUM, FLAGS, pytestmark as needs_chromium  # noqa: F401

GZ = {"Accept-Encoding": "gzip, deflate, br"}


def test_text_answers_are_gzipped_for_a_client_that_takes_it(client, as_):
    plain = client.get("/static/i18n/bo.json")
    packed = client.get("/static/i18n/bo.json", headers=GZ)
    assert plain.headers.get("Content-Encoding") is None and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data) / 3
    assert "Accept-Encoding" in packed.headers["Vary"]
    page = client.get("/", headers=GZ)
    assert page.headers["Content-Encoding"] == "gzip" and b"importmap" in gzip.decompress(page.data)
    spec = client.get("/api/v1/openapi.json", headers=GZ)   # a JSON answer of the API
    assert spec.status_code == 200 and spec.headers["Content-Encoding"] == "gzip"
    small = client.get("/api/v1/me", headers={**as_("sonam"), **GZ})   # under a packet: sent as it is
    assert small.headers.get("Content-Encoding") is None and small.json["person"]["name"] == "索朗"
    font = client.get("/static/fonts/TibetanMachineUni-gongji.woff2", headers=GZ)
    assert font.headers.get("Content-Encoding") is None   # woff2 is compressed already


def test_the_pages_name_their_files_by_fingerprint_and_those_live_a_year(client):
    html = client.get("/").get_data(as_text=True)
    named = dict(re.findall(r'"/static/([\w./-]+)\?v=(\w{12})"', html))
    assert {"app.css", "app.js", "api.js", "i18n.js", "i18n/bo.json", "i18n/zh.json"} <= set(named)
    assert 'rel="modulepreload"' in html and 'type="importmap"' in html
    for name, version in named.items():
        resp = client.get(f"/static/{name}?v={version}")
        assert hashlib.sha256(resp.data).hexdigest()[:12] == version, name
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable", name
    assert client.get("/static/app.js").headers["Cache-Control"] == "no-cache"            # unversioned
    assert client.get("/static/app.js?v=000000000000").headers["Cache-Control"] == "no-cache"   # outdated
    css = client.get(f"/static/app.css?v={named['app.css']}").get_data(as_text=True)
    assert "/static/app.css" not in css
    early = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    assert re.search(r'"/static/fonts/TibetanMachineUni-gongji-ui\.woff2\?v=\w{12}"', early)
    assert client.get("/").headers["Cache-Control"] == "no-cache"


def test_a_gzipped_file_revalidates_with_its_etag(client):
    first = client.get("/static/i18n/zh.json", headers=GZ)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/static/i18n/zh.json", headers={**GZ, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    page = client.get("/", headers=GZ)
    assert client.get("/", headers={**GZ, "If-None-Match": page.headers["ETag"]}).status_code == 304


@pytest.fixture
def counted(app):
    """The app on loopback, counting the paths that reach it."""
    hits = []

    def counting(environ, start_response):
        hits.append(environ["PATH_INFO"])
        return app(environ, start_response)

    srv = make_server("127.0.0.1", 0, counting, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}", hits
    srv.shutdown()


def test_a_repeat_visit_asks_the_network_for_the_page_alone(counted):
    from playwright.sync_api import sync_playwright
    base, hits = counted
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        ctx = browser.new_context(viewport={"width": 390, "height": 844})
        ctx.add_init_script("localStorage.setItem('gj.lang', 'bo')")
        page = ctx.new_page()
        page.goto(base + "/")
        page.wait_for_selector("#lang-switch")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.wait_for_load_state("networkidle")
        before = len(hits)
        again = ctx.new_page()
        again.goto(base + "/")
        again.wait_for_selector("#lang-switch")
        again.wait_for_function("document.fonts.status === 'loaded'")
        again.wait_for_load_state("networkidle")
        browser.close()
    assert hits[before:] == ["/"], hits[before:]
