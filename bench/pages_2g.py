"""How long a phone on 2G (250 kbit/s, 300 ms round trip) waits for readable Tibetan: the login screen's title in
Tibetan, drawn with a Tibetan font. First visit (nothing cached) and repeat visit (the service worker's cache), on a
phone with a Tibetan font and on one without (fontconfig hides Debian's, as tests/test_browser_font.py does).

    .venv/bin/python -m bench.pages_2g [--runs 3] [--via proxy|cdp]

`proxy` (the default) sends the browser through bench/link.py, so every request pays the link, the worker's too;
`cdp` uses Chromium's Network.emulateNetworkConditions on the page instead (the worker's fetches are not throttled:
its repeat visit is optimistic). Prints figures; asserts nothing about time."""
import argparse
import os
import statistics
import tempfile
import threading

from werkzeug.serving import make_server

os.environ.setdefault("GONGJI_ENV", "development")

from app import create_app  # noqa: E402
from bench import link  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
HIDE_TIBETAN = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<selectfont><rejectfont><glob>/usr/share/fonts/truetype/tibetan-machine/*</glob></rejectfont></selectfont></fontconfig>"""
READABLE = """() => { const h = document.getElementById("title");
  return h && /[\\u0f00-\\u0fff]/.test(h.textContent) && document.fonts.check('1em "Gongji Tibetan"', h.textContent)
    && [...document.fonts].some((f) => f.family.includes("Gongji Tibetan") && f.status === "loaded"); }"""


def serve():
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tempfile.mktemp(suffix='.sqlite3')}",
                      "RATELIMIT_ENABLED": False})
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv.server_port


def visit(page, url, via):
    """Milliseconds from the navigation's start to readable Tibetan, and the bytes the page's requests carried."""
    if via == "cdp":
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 300,
                                                      "downloadThroughput": 250_000 / 8, "uploadThroughput": 250_000 / 8})
    page.goto(url, wait_until="commit")
    page.wait_for_function(READABLE, polling=20, timeout=60_000)
    return page.evaluate("performance.now()")


def run(p, port, hide_font, via, tmp):
    env = dict(os.environ)
    if hide_font:
        conf = os.path.join(tmp, "fonts.conf")
        with open(conf, "w") as fh:
            fh.write(HIDE_TIBETAN)
        env["FONTCONFIG_FILE"] = conf
    browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, env=env)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    ctx.add_init_script("localStorage.setItem('gj.lang', 'bo')")
    page = ctx.new_page()
    url = f"http://127.0.0.1:{port}/"
    first = visit(page, url, via)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
    page.wait_for_timeout(200)
    again = ctx.new_page()   # a later visit: a new page of the same phone (cache and worker kept)
    page.close()
    repeat = visit(again, url, via)
    browser.close()
    return first, repeat


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--via", choices=("proxy", "cdp"), default="proxy")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    port = serve()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        for hide_font in (False, True):
            firsts, repeats = [], []
            for _ in range(args.runs):
                target = link.start(port) if args.via == "proxy" else port   # a fresh link: no warm connections
                first, repeat = run(p, target, hide_font, args.via, tmp)
                firsts.append(first)
                repeats.append(repeat)
            phone = "without a Tibetan font" if hide_font else "with a Tibetan font"
            print(f"{args.via}: 250 kbit/s, 300 ms RTT, phone {phone}: readable Tibetan, first visit "
                  f"{statistics.median(firsts) / 1000:.2f} s (runs {', '.join(f'{x / 1000:.2f}' for x in firsts)}), "
                  f"repeat {statistics.median(repeats) / 1000:.2f} s (runs {', '.join(f'{x / 1000:.2f}' for x in repeats)})")


if __name__ == "__main__":
    main()
