"""Large type (elderly users): at 200% text size, 390 px wide, every screen of the mini-program and the counter
console fits without sideways scrolling, in both languages; the choice is remembered."""
import pytest

from . import api
from .counter import Counter, items, ticket
from .test_browser import browser, live, phone  # noqa: F401 (fixtures)
from .test_browser_journeys import LANGS, choose, go, seen

SCREENS = (("#home", "#balance"), ("#invite", "#make"), ("#invitations", "#invitations-sent li"),
           ("#family", "#bindings-benefactor li"), ("#helpers", "main .card"), ("#voucher", "#voucher-qr[src]"),
           ("#summary", "#summary-items"), ("#premium", "#pay, #reason"), ("#proxies", "#proxy-add"),
           ("#statements", "#entries li"), ("#messages", "#messages li"))


def large(page):
    page.click("#large-switch")
    page.wait_for_selector("html.large")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "36px"   # 2 × 18 px


@pytest.mark.parametrize("lang", LANGS)
def test_every_screen_fits_390px_at_200_percent(live, browser, client, as_, family, lang):
    api.bind(client, as_, "tashi", "father", "parent")
    api.bind(client, as_, "tashi", "drolma", "spouse")
    api.invite(client, as_("tashi"), "child")
    ali = Counter(client, "ali-pharmacy")
    assert ali.settle(ticket(client, as_, ali, "father"), "LT-1", items(("XA0101", 3, 123456))).status_code == 201
    page = phone(browser, live)
    choose(page, lang)
    large(page)
    page.reload()
    page.wait_for_selector("html.large #code")                         # remembered
    seen(page, lang, "large-login")
    page.fill("#code", "dev:someone-new")
    page.click(".card:has(#code) button")
    page.wait_for_selector("#verify-name")
    seen(page, lang, "large-verify")
    page.evaluate("localStorage.removeItem('gj.access'); localStorage.removeItem('gj.refresh')")
    page.goto("/#login")
    page.click("[data-login=tashi]")
    for hash_, ready in SCREENS:
        go(page, hash_, ready)
        seen(page, lang, "large-" + hash_[1:])

    counter = page.context.new_page()
    counter.goto("/counter")
    counter.wait_for_selector("html.large #lang-switch")                   # the same phone remembers large type
    counter.click("#connect")
    counter.wait_for_selector("#item-code option[value=XA0101]", state="attached")
    counter.fill("#lookup-order", "LT-1")
    counter.click("#lookup")
    counter.wait_for_selector("#receipt:not([hidden])")
    counter.fill("#recon-date", "2000-01-01")
    counter.click("#recon-load")
    counter.wait_for_selector("#recon-table")
    seen(counter, lang, "large-counter")
