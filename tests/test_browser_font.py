"""A phone without a Tibetan font (Chromium with the system's Tibetan fonts hidden by fontconfig, for that launch only):
the pages' font arrives before the first Tibetan paint, the title and buttons are drawn with it (no boxes), and the
service worker keeps it, so the Tibetan interface reads offline too."""
import io
import os

import pytest
from PIL import Image, ImageChops

from .test_browser import CHROMIUM, FLAGS, live, pytestmark  # noqa: F401 (fixtures)

FONT = "/static/fonts/TibetanMachineUni-gongji-ui.woff2"   # the catalogues' shapes
FULL = "/static/fonts/TibetanMachineUni-gongji.woff2"     # every stack, for names
HIDE_TIBETAN = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<selectfont><rejectfont><glob>/usr/share/fonts/truetype/tibetan-machine/*</glob>
<pattern><patelt name="lang"><string>bo</string></patelt></pattern></rejectfont></selectfont></fontconfig>"""
# When the title first shows Tibetan (before that frame is painted), is the pages' Tibetan font ready?
WATCH = """new MutationObserver(() => {
  const h = document.getElementById("title");
  if (h && /[\\u0f00-\\u0fff]/.test(h.textContent) && window.firstTibetan === undefined)
    window.firstTibetan = [...document.fonts].some((f) => f.family.includes("Gongji Tibetan") && f.status === "loaded");
}).observe(document, {subtree: true, childList: true, characterData: true});"""


@pytest.fixture
def browsers(tmp_path):
    """(a phone with Debian's Tibetan Machine Uni, one with no Tibetan font: fontconfig hides it from that launch)."""
    from playwright.sync_api import sync_playwright
    conf = tmp_path / "fonts.conf"
    conf.write_text(HIDE_TIBETAN)
    with sync_playwright() as p:
        with_font = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        without = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS,
                                    env={**os.environ, "FONTCONFIG_FILE": str(conf)})
        yield with_font, without
        without.close()
        with_font.close()


def tibetan_page(browser, base):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=base)
    ctx.add_init_script("localStorage.setItem('gj.lang', 'bo');" + WATCH)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    return page


def header(page):
    page.wait_for_selector("#large-switch")
    page.wait_for_function("document.fonts.status === 'loaded'")
    return Image.open(io.BytesIO(page.locator("header").screenshot())).convert("L")


def unlike(a, b):
    """The share of pixels that differ clearly between two renderings of the same header."""
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 60 else 0)
    return diff.histogram()[255] / (a.size[0] * a.size[1])


def test_without_a_tibetan_font_the_first_screen_reads_online_and_offline(live, browsers):
    browser, fontless = browsers
    shown = tibetan_page(browser, live)   # the same screen on a phone with Tibetan Machine Uni installed
    shown.goto("/")
    reference = header(shown)
    page = tibetan_page(fontless, live)
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if FONT in r.url else None)
    page.goto("/")
    drawn = header(page)
    assert fetched, "the system's Tibetan font is still visible to this browser"
    assert page.evaluate("window.firstTibetan") is True, "Tibetan was painted before its font had arrived"
    assert unlike(drawn, reference) < 0.02, "the title or the switches are not drawn with the Tibetan font"
    page.wait_for_selector("html.tibetan-full", state="attached")   # then every stack, for the names of people
    assert unlike(header(page), reference) < 0.02

    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    kept = f"caches.keys().then((n) => Promise.all(n.map((c) => caches.open(c).then((x) => x.keys()))))" \
           f".then((all) => ['{FONT}', '{FULL}'].every((f) => all.flat().some((r) => r.url.includes(f))))"
    page.wait_for_function(f"{kept}.then((k) => window.fontKept = k) && window.fontKept")
    page.context.set_offline(True)
    page.reload()
    offline = header(page)
    assert page.evaluate("window.firstTibetan") is True, "offline, Tibetan was painted without its font"
    assert unlike(offline, reference) < 0.02, "offline, the Tibetan interface is drawn in boxes"

