"""What a walk through the pages at 390 px found (issue 24), each as the person sees it in Chromium."""
import io

import pytest
from PIL import Image

from services.clock import china_today

from . import api
from .counter import Counter, items, ticket
from .test_browser import browser, live, phone, pytestmark, signed_in  # noqa: F401 (fixtures)
from .test_browser_journeys import choose, go

def ink_outside(page, sel):
    """Pixels of the button's text drawn outside its box: the bar is painted black for the look, so red ink that
    leaves the white button shows (on the red bar it is there but unseen, which is the fault)."""
    page.add_style_tag(content=".bar { background: #000 !important; }")
    box = page.locator(sel).bounding_box()
    pad = 16
    clip = {"x": box["x"], "y": max(0, box["y"] - pad), "width": box["width"], "height": box["height"] + 2 * pad}
    img = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    top, bottom = round(box["y"] - clip["y"]), round(box["y"] - clip["y"] + box["height"])
    return [(x, y) for y in list(range(0, top - 1)) + list(range(bottom + 1, img.height)) for x in range(img.width)
            if (lambda r, g, b: r > 90 and g < 60 and b < 80)(*img.getpixel((x, y)))]


def test_statements_of_a_person_without_an_account_show_no_null(live, browser, client, as_, family):
    page = signed_in(browser, live, "father")
    page.wait_for_selector("#view .card")
    page.wait_for_load_state("networkidle")   # home's own requests and the service worker's install are done
    go(page, "#statements", "#settlements >> xpath=..")
    page.wait_for_load_state("networkidle")
    assert "null" not in page.text_content("main")


def test_a_paid_premium_says_so_and_shows_in_the_history(live, browser, client, as_, family):
    api.bind(client, as_, "tashi", "father", "parent")
    page = signed_in(browser, live, "tashi")
    page.wait_for_selector("#balance")
    go(page, "#premium", "#who")
    page.select_option("#year", str(china_today().year + 1))
    page.wait_for_selector("#pay")
    page.once("dialog", lambda d: d.accept())
    page.click("#pay")
    page.wait_for_selector("#reason")
    page.wait_for_timeout(300)
    assert page.is_visible("#notice.ok") and page.text_content("#notice") == "代缴成功。"
    assert "次*" in page.text_content("#premiums-paid") and page.is_hidden("text=暂无代缴记录。 >> nth=0")


def test_the_counter_shows_a_refund_as_done_not_as_an_error(live, browser, client, as_, family):
    ali = Counter(client, "ali-pharmacy")
    assert ali.settle(ticket(client, as_, ali, "tashi"), "W-4", items(("XA0101", 1, 1850))).status_code == 201
    page = phone(browser, live)
    page.goto("/counter")
    page.wait_for_selector("#lang-switch")
    page.click("#connect")
    page.wait_for_selector("#item-code option[value=XA0101]", state="attached")
    page.fill("#lookup-order", "W-4")
    page.click("#lookup")
    page.once("dialog", lambda d: d.accept())
    page.click("#reverse")
    page.wait_for_selector("#notice:not([hidden])")
    assert page.get_attribute("#notice", "class") == "ok"
    assert page.text_content("#notice") == "已退费，资金已原路退回。"


@pytest.mark.parametrize("large", [False, True])
def test_the_switches_hold_their_tibetan_text(live, browser, large):
    """བོད་ཡིག's vowel marks and the large-type switch's text stay inside their buttons (red on red is lost)."""
    page = phone(browser, live)
    choose(page, "zh" if not large else "bo")
    if large:
        page.click("#large-switch")
        page.wait_for_selector("html.large")
    for sel in ("#lang-switch", "#large-switch"):
        page.wait_for_function("document.fonts.status === 'loaded'")
        outside = ink_outside(page, sel)
        assert not outside, f"{sel} ({'large' if large else 'normal'}): {len(outside)} pixels of text outside it"


def test_home_voucher_is_ones_own_after_showing_a_relatives(live, browser, client, as_, family):
    page = signed_in(browser, live, "tashi")
    page.wait_for_selector("#balance")
    go(page, "#proxies", "[data-show]")
    page.click("[data-show]")
    page.wait_for_function("(document.querySelector('#voucher-for')?.value ?? '') !== ''")
    go(page, "#home", "#balance")
    page.click("a[href='#voucher']")
    page.wait_for_function("/^GJV2[0-9A-Za-z]{44}$/.test(document.querySelector('#voucher-payload')?.textContent)")
    assert page.input_value("#voucher-for") == ""
    scanned = Counter(client, "ali-pharmacy").scan(page.text_content("#voucher-payload"))
    assert scanned.status_code == 200 and scanned.json["patient"]["name_masked"] == "扎***"   # tashi, not his father


def test_the_counter_at_390px_keeps_names_amounts_and_headers_whole(live, browser, client, as_, family):
    tashi = factory_voucher(client, as_)
    page = phone(browser, live)
    page.goto("/counter")
    page.wait_for_selector("#lang-switch")
    page.click("#connect")
    page.wait_for_selector("#item-code option[value=XA0101]", state="attached")
    page.fill("#voucher", tashi)
    page.click("#scan")
    page.wait_for_selector("text=患者：扎***")
    for quantity in ("2", "1"):
        page.select_option("#item-code", "XA0101")
        page.fill("#qty", quantity)
        page.fill("#price", "18.50")
        page.click("#add")
    page.click("#settle")
    page.wait_for_selector("#receipt:not([hidden])")
    lines_of = """(el) => { const r = document.createRange(); r.selectNodeContents(el);
      const tops = new Set([...r.getClientRects()].map((q) => Math.round(q.top))); return tops.size; }"""
    for cell in page.locator("#lines td.num, #lines ~ * td.num, thead th, #split-list b").all():
        if cell.text_content().strip():
            assert cell.evaluate(lines_of) == 1, f"broken across lines: {cell.text_content()!r}"
    table = page.locator("#lines").locator("xpath=ancestor::div[contains(@class,'scroll')]")
    assert table.evaluate("(d) => d.scrollWidth <= d.clientWidth"), "the bill's table is cut at the side"


def factory_voucher(client, as_):
    return client.post("/api/v1/vouchers", headers=as_("tashi")).json["payload"]


def test_a_closed_invitation_is_no_dead_end(live, browser, client, as_, family):
    inv = api.invite(client, as_("tashi"), "spouse").json
    assert client.post(f"/api/v1/invitations/{inv['code']}/accept", headers=as_("drolma")).status_code == 201
    page = phone(browser, live)
    page.goto(f"/i/{inv['code']}")
    page.click("[data-login=sonam]")
    page.wait_for_selector("#notice:not([hidden])")
    assert "扎" not in page.text_content("body")
    page.click("#view a[href='/#home']")
    page.wait_for_selector("#balance, #view .card")
    assert page.evaluate("location.pathname + location.hash") == "/#home"
