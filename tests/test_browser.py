"""The whole journey in a real browser (Debian's Chromium driven by Playwright) against the real app on loopback."""
import os
import re
import threading

import pytest
from werkzeug.serving import make_server

from services.clock import china_today
from services.db import db

from . import api
from .counter import DRUG, SUPPLEMENT, Counter, items, settle

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "test-artifacts")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="Chromium is not installed: apt-get install chromium (CI does this)")


@pytest.fixture
def live(app):
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    yield base
    srv.shutdown()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def phone(browser, base):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=base)
    page = ctx.new_page()
    page.set_default_timeout(10000)
    return page


def shot(page, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: the page overflows sideways ({width}px)"


def counter_with_bill(browser, base, payload, patient):
    """The counter console of the demo pharmacy: scan the voucher, see the patient, add 2 × ¥18.50 of XA0101."""
    counter = browser.new_context(viewport={"width": 1024, "height": 900}, base_url=base).new_page()
    counter.set_default_timeout(10000)
    counter.goto("/counter")
    counter.wait_for_selector("#lang-switch")      # the console's modules have run (they wait for the catalogue)
    counter.click("#connect")
    counter.wait_for_selector("#item-code option[value=XA0101]", state="attached")
    counter.fill("#voucher", payload)
    counter.click("#scan")
    counter.wait_for_selector(f"text=患者：{patient}")
    add_item(counter, "2", "18.50")
    return counter


def settle_on_screen(counter, receipt_has, name):
    """Press 确认结算, check the receipt says `receipt_has` (each), keep its screenshot as `name`."""
    counter.click("#settle")
    counter.wait_for_selector("#receipt:not([hidden])")
    receipt = counter.text_content("#receipt")
    assert all(text in receipt for text in receipt_has), receipt
    os.makedirs(ARTIFACTS, exist_ok=True)
    counter.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def add_item(counter, quantity, price, code="XA0101"):
    """The clerk adds one line of the bill in the console."""
    counter.select_option("#item-code", code)
    counter.fill("#qty", quantity)
    counter.fill("#price", price)
    counter.click("#add")


def log_in(page, who, path="/#login"):
    page.goto(path)
    page.click(f"[data-login={who}]")


def signed_in(browser, base, who):
    """A phone at 390 px with the demo person `who` logged in."""
    page = phone(browser, base)
    log_in(page, who)
    return page


def test_invite_accept_reorder_settle_and_see_it(live, browser, client, as_, family):
    # the benefactor invites his father; the QR on the page decodes to the link it shows
    tashi = signed_in(browser, live, "tashi")
    tashi.wait_for_selector("#balance")
    assert tashi.text_content("#balance") == "¥5000.00"
    shot(tashi, "01-home")
    tashi.click("text=邀请亲属")
    tashi.select_option("#relation", "parent")
    tashi.click("#make")
    tashi.wait_for_selector("#invite-qr")
    tashi.wait_for_function("document.querySelector('#invite-qr')?.naturalWidth > 0")
    link = tashi.text_content("#invite-link")
    assert re.fullmatch(re.escape(live) + r"/i/[\w-]{20,}", link)
    assert api.decode_qr(tashi.locator("#invite-qr").screenshot()) == link
    shot(tashi, "02-invite-qr")

    # the father opens the link, logs in, accepts
    father = phone(browser, live)
    father.goto(link)
    father.click("[data-login=father]")
    father.wait_for_selector("#accept")
    assert "扎***" in father.text_content("main")
    shot(father, "03-invitation")
    father.click("#accept")
    father.wait_for_selector("text=已接受")

    # a second benefactor (his other son) binds through the API
    api.bind(client, as_, "phuntsok", "father", "parent")

    # the father drags the second helper above the first with the mouse; the order survives a reload
    father.goto("/#helpers")
    father.wait_for_selector("#helpers li:nth-child(2)")
    assert father.locator("#helpers li").all_text_contents()[0].count("扎***") == 1
    handle = father.locator("#helpers li:nth-child(2) .handle").bounding_box()
    target = father.locator("#helpers li:nth-child(1)").bounding_box()
    father.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    father.mouse.down()
    father.mouse.move(handle["x"] + handle["width"] / 2, target["y"] + 4, steps=12)
    father.mouse.up()
    father.wait_for_selector("text=共济顺序已保存")
    father.reload()
    father.wait_for_selector("#helpers li:nth-child(2)")
    rows = father.locator("#helpers li").all_text_contents()
    assert "平*" in rows[0] and "扎***" in rows[1]
    shot(father, "04-helpers")

    # the e-voucher, with its countdown
    father.goto("/#voucher")
    father.wait_for_function("document.querySelector('#voucher-payload')?.textContent.startsWith('GJV2')")
    payload = father.text_content("#voucher-payload")
    assert "后过期" in father.text_content(".countdown")
    shot(father, "05-voucher")

    # the counter scans it and settles; the split follows the father's new order
    counter = counter_with_bill(browser, live, payload, "次***")
    counter.click("#preview")
    counter.wait_for_selector("#split-list")
    assert "家庭共济 1：平*¥37.00" in counter.text_content("#split-list")
    settle_on_screen(counter, ["家庭共济 1：平*¥37.00", "现金自付¥0.00"], "06-counter-receipt")

    # the benefactor who paid sees it in his statements and his messages
    brother = signed_in(browser, live, "phuntsok")
    brother.wait_for_selector("#balance")
    assert brother.text_content("#balance") == "¥2963.00"
    brother.goto("/#statements")
    brother.wait_for_selector("#entries li")
    first = brother.locator("#entries li").first.text_content()
    assert "为亲属支付" in first and "次***" in first and "-¥37.00" in first
    shot(brother, "07-statements")
    brother.goto("/#messages")
    brother.wait_for_selector("#messages li")
    assert "¥37.00" in brother.locator("#messages li").first.text_content()
    shot(brother, "08-messages")

    # the clerk refunds it: the money goes back to the brother's account
    counter.once("dialog", lambda d: d.accept())
    counter.click("#reverse")
    counter.wait_for_selector("#receipt-status:has-text('已退费')")
    db.session.rollback()
    assert client.get("/api/v1/account", headers=as_("phuntsok")).json["balance_fen"] == 300000


def test_errors_are_shown_in_plain_words(live, browser, client, as_, family):
    api.bind(client, as_, "tashi", "father", "parent")
    code = api.invite(client, as_("tashi"), "parent").json["code"]
    page = phone(browser, live)
    page.goto(f"/i/{code}")
    page.click("[data-login=father]")
    page.click("#accept")
    page.wait_for_selector("#notice:not([hidden])")
    assert page.text_content("#notice") == "你们已经绑定了家庭共济。"
    assert "{" not in page.text_content("body")


def test_premium_with_confirmation(live, browser, client, as_, family):
    api.bind(client, as_, "tashi", "father", "parent")
    page = signed_in(browser, live, "tashi")
    page.wait_for_selector("#balance")
    page.goto("/#premium")
    page.select_option("#year", str(china_today().year + 1))
    page.wait_for_selector("#pay")
    page.once("dialog", lambda d: d.accept())
    page.click("#pay")
    page.wait_for_selector("#reason")
    assert page.text_content("#reason") == "该年度保费已缴纳。"
    shot(page, "09-premium")
    db.session.rollback()  # the test's own session still holds a snapshot from before the browser paid
    assert client.get("/api/v1/account", headers=as_("tashi")).json["balance_fen"] == 500000 - 38000


def test_the_counter_reconciles_a_day(live, browser, client, as_, family):
    """Today: a bill paid by a helper (then refunded) and one by card; the 对账 screen shows the totals by channel,
    lists both, and checks the clerk's own figures, naming what differs."""
    api.bind(client, as_, "tashi", "father", "parent")
    pharmacy = Counter(client, "ali-pharmacy")
    settle(client, as_, pharmacy, "father", "RX-1", items((DRUG, 2, 1850)))                          # aid 37.00
    settle(client, as_, pharmacy, "drolma", "RX-2", items((DRUG, 1, 3000), (SUPPLEMENT, 1, 500)), "card")
    assert pharmacy.reverse("RX-1").status_code == 200

    page = browser.new_context(viewport={"width": 1024, "height": 900}, base_url=live).new_page()
    page.set_default_timeout(10000)
    page.goto("/counter")
    page.wait_for_function("document.querySelector('#recon-date')?.value")   # reconcile.js has run
    assert page.input_value("#recon-date") == china_today().isoformat()
    page.click("#recon-load")
    page.wait_for_selector("#recon-list tr")
    cells = lambda row: page.locator(f"[data-row={row}] td").all_text_contents()   # noqa: E731
    assert cells("settled") == ["2", "¥72.00", "¥30.00", "¥37.00", "¥5.00"]
    assert cells("reversed") == ["1", "¥37.00", "¥0.00", "¥37.00", "¥0.00"]
    assert cells("card") == ["1", "¥35.00", "¥30.00", "¥0.00", "¥5.00"]
    assert cells("voucher") == ["1", "¥37.00", "¥0.00", "¥37.00", "¥0.00"]
    assert cells("offline_voucher") == ["0", "¥0.00", "¥0.00", "¥0.00", "¥0.00"]
    assert [r.get_attribute("data-order") for r in page.locator("#recon-list tr").all()] == ["RX-2", "RX-1"]
    assert "已退费" in page.text_content("[data-order=RX-1]") and page.is_hidden("#recon-more")   # one page only

    for field, value in (("#their-count", "2"), ("#their-total", "72.00"), ("#their-own", "30.00"),
                         ("#their-aid", "36.00")):
        page.fill(field, value)
    page.click("#recon-check")
    page.wait_for_selector("#recon-diff")
    assert page.text_content("#recon-verdict").startswith("对账不一致")
    assert page.locator("#recon-diff tbody tr").all_text_contents() == ["家庭共济¥37.00¥36.00"]
    shot(page, "10-counter-reconciliation")
    page.fill("#their-aid", "37")
    page.click("#recon-check")
    page.wait_for_selector("#recon-verdict:has-text('对账一致')")
