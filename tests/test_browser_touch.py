"""Touch (issue 24): on every screen, in both languages, every button, link and field is at least 44×44 px, a
field's border stands out 3:1 from its background, the e-voucher is home's first tile and its QR is on the first
screen at 200% type."""
import pytest

from . import api
from .counter import Counter, items, ticket
from .test_browser import browser, live, phone, pytestmark  # noqa: F401 (fixtures)
from .test_browser_journeys import LANGS, choose, go
from .test_browser_large_type import SCREENS, large

# Every visible target: a checkbox counts by its label (the label is what a finger presses).
TARGETS = """() => [...document.querySelectorAll("button, a[href], input, select, textarea")]
  .filter((el) => el.offsetParent !== null || getComputedStyle(el).position === "fixed")
  .map((el) => { const t = el.type === "checkbox" && el.closest("label") || el, r = t.getBoundingClientRect();
    return [t.id || t.className || t.tagName, (t.textContent || t.placeholder || "").trim().slice(0, 20),
            Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]; })"""
CONTRAST = """() => { const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; });
    return .2126 * r + .7152 * g + .0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + .05) / (y + .05); };
  const behind = (el) => { for (let e = el.parentElement; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
    if (!c.startsWith("rgba(0, 0, 0, 0)")) return c; } return "rgb(255, 255, 255)"; };
  return [...document.querySelectorAll("input:not([type=checkbox]), select")].filter((el) => el.offsetParent)
    .map((el) => [el.id, Math.round(ratio(getComputedStyle(el).borderTopColor, behind(el)) * 100) / 100]); }"""


def small_targets(page):
    return [t for t in page.evaluate(TARGETS) if t[2] < 44 or t[3] < 44]


def scene(client, as_):
    api.bind(client, as_, "tashi", "father", "parent")
    api.bind(client, as_, "tashi", "drolma", "spouse")
    api.invite(client, as_("tashi"), "child")
    api.invite(client, as_("phuntsok"), "sibling")
    ali = Counter(client, "ali-pharmacy")
    assert ali.settle(ticket(client, as_, ali, "father"), "T-1", items(("XA0101", 1, 1850))).status_code == 201


@pytest.mark.parametrize("lang", LANGS)
def test_every_target_is_44px_and_every_field_shows_its_border(live, browser, client, as_, family, lang):
    scene(client, as_)
    page = phone(browser, live)
    choose(page, lang)
    small, faint = {}, {}
    page.wait_for_selector("[data-login=tashi]")
    small["login"], faint["login"] = small_targets(page), [f for f in page.evaluate(CONTRAST) if f[1] < 3]
    page.click("[data-login=tashi]")
    for hash_, ready in SCREENS:
        go(page, hash_, ready)
        page.wait_for_load_state("networkidle")
        small[hash_] = small_targets(page)
        faint[hash_] = [f for f in page.evaluate(CONTRAST) if f[1] < 3]
    counter = page.context.new_page()
    counter.goto("/counter")
    counter.wait_for_selector("#lang-switch")
    small["counter"] = small_targets(counter)
    faint["counter"] = [f for f in counter.evaluate(CONTRAST) if f[1] < 3]
    assert not {k: v for k, v in small.items() if v}, "targets under 44×44 px"
    assert not {k: v for k, v in faint.items() if v}, "field borders under 3:1"


@pytest.mark.parametrize("lang", LANGS)
def test_the_voucher_is_the_first_tile_and_its_qr_fits_the_first_screen_at_200_percent(live, browser, client, as_,
                                                                                         family, lang):
    page = phone(browser, live)
    choose(page, lang)
    large(page)
    page.click("[data-login=tashi]")                 # a carer: the voucher page also offers his father's
    page.wait_for_selector("#balance")
    assert page.locator("main .grid > *").first.get_attribute("href") == "#voucher"
    page.locator("main .grid > *").first.click()
    page.wait_for_function("document.querySelector('#voucher-qr')?.naturalWidth > 0")
    page.wait_for_function("document.fonts.status === 'loaded'")
    box = page.locator("#voucher-qr").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], box
    assert box["width"] >= 200   # a scanner reads it from the counter's side
