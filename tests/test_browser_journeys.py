"""Issue 13 in a real browser at 390 px, once in Chinese and once in Tibetan: a new person's whole journey (verify,
invitations, ended bindings, limits and use, summary, premium history, load more, unread badge) and the clerk's (card,
settle, an older order looked up and refunded). Every screen is saved to test-artifacts/ with its language."""
import json
import os
import re
import uuid

import pytest

from services.clock import china_today
from services.db import db
from services.notify import messages

from . import api, factory
from .api import API
from .counter import Counter, items, ticket
from .test_browser import ARTIFACTS, add_item, browser, live, phone  # noqa: F401 (fixtures)

STATIC = os.path.join(os.path.dirname(__file__), "..", "static")
LANGS = ("zh", "bo")
TIBETAN = re.compile("[\u0f00-\u0fff]")
FATHER_CARD = "ALK000003"


def catalogue(lang):
    with open(os.path.join(STATIC, "i18n", f"{lang}.json"), encoding="utf-8") as f:
        return json.load(f)


def choose(page, lang):
    """Open the app and pick the language with the switch in the bar, as a person would; the choice sticks."""
    page.goto("/")
    page.wait_for_selector("#lang-switch")
    if lang == "bo":
        page.click("#lang-switch")
        page.wait_for_selector("html[lang=bo] #lang-switch")
    page.reload()
    page.wait_for_selector(f"html[lang={'bo' if lang == 'bo' else 'zh-CN'}] #lang-switch")


def seen(page, lang, name):
    """Save the screen; it shows words of the chosen language, no catalogue key, nothing wider than the phone."""
    page.wait_for_load_state("networkidle")
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{lang}-{name}.png"), full_page=True)
    text = page.evaluate("document.body.innerText")
    leaked = [k for k in catalogue(lang) if k in text]
    assert not leaked, f"{lang}-{name} shows catalogue keys instead of text: {leaked}"
    assert "?" not in page.evaluate("[...document.querySelectorAll('main, header')].map((e) => e.innerText).join('')"), \
        f"{lang}-{name}: a text is missing from the catalogue"
    words = text.replace(catalogue(lang)["lang.bo" if lang == "zh" else "lang.zh"], "")   # the switch's other language
    assert bool(TIBETAN.search(words)) == (lang == "bo"), f"{lang}-{name} is not in its language"
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.evaluate("innerWidth"), f"{lang}-{name} overflows sideways ({width}px)"
    lines = page.evaluate("""(() => { const h = document.querySelector('header h1');
        return h ? h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight) : 0; })()""")
    assert lines <= 4, f"{lang}-{name}: the title is squeezed into {lines:.0f} lines"   # a long one takes 3
    return text


def go(page, hash_, ready):
    page.evaluate(f"location.hash = '{hash_}'")
    page.wait_for_selector(ready)


@pytest.mark.parametrize("lang", LANGS)
def test_a_new_person_goes_through_every_flow(live, browser, client, as_, family, lang):
    w = catalogue(lang)
    me = factory.person(name="拉巴次仁", name_bo="ལྷག་པ་ཚེ་རིང", balance=300000)
    tashi, father_masked = ("扎***", "次***") if lang == "zh" else ("བཀྲ་***", "ཚེ་***")   # names in the reader's script
    factory.kin(me, family["father"], "parent")
    factory.kin(me, family["gesang"], "child")
    factory.kin(me, family["drolma"], "sibling")
    factory.kin(family["tashi"], me, "sibling")
    db.session.commit()
    page = phone(browser, live)
    page.on("dialog", lambda d: d.accept())
    choose(page, lang)
    seen(page, lang, "login")

    openid = f"newbie-{lang}"
    page.fill("#code", f"dev:{openid}")
    page.click(".card:has(#code) button")
    page.wait_for_selector("#verify-name")                        # a new login is asked who he is, in the page
    seen(page, lang, "verify")
    page.fill("#verify-name", me.name if lang == "zh" else me.name_bo)   # as his ID card writes it
    page.fill("#verify-id-number", me.id_number)
    page.click("#verify-send")
    page.wait_for_selector("#balance")
    assert page.text_content("#balance") == "¥3000.00"

    # His family, through the API: two relatives he pays for (one ends it), a bill, a premium, a brother's invitation
    mine = factory.bearer(client, openid)
    def bind(relative, relation):                                   # noqa: E306
        code = api.invite(client, mine, relation).json["code"]
        return client.post(f"{API}/invitations/{code}/accept", headers=as_(relative)).json["id"]
    father, gesang = bind("father", "parent"), bind("gesang", "child")
    assert client.delete(f"{API}/bindings/{gesang}", headers=as_("gesang")).status_code == 200
    ali = Counter(client, "ali-pharmacy")
    assert ali.settle(ticket(client, as_, ali, "father"), f"J-{lang}", items(("XA0101", 1, 1500))).status_code == 201
    year = china_today().year + 1
    paid = client.post(f"{API}/premiums", json={"binding_id": father, "year": year},
                       headers={**mine, "Idempotency-Key": str(uuid.uuid4())})
    assert paid.status_code == 201, paid.json
    api.invite(client, as_("tashi"), "sibling", invitee_id_number=me.id_number, invitee_name=me.name)
    for i in range(25):
        messages.notify(me.id, "aid_paid", params={"patient": "格*", "relation": "child", "institution": "药房",
                                                   "amount_fen": 100 + i})
    db.session.commit()
    unread = client.get(f"{API}/me", headers=mine).json["unread_messages"]
    assert unread > 25

    page.reload()
    page.wait_for_selector("#unread")
    assert page.text_content("#unread") == str(unread)                 # the badge
    seen(page, lang, "home")

    go(page, "#invite", "#make")
    page.select_option("#relation", "sibling")
    page.fill("#invitee-name", family["drolma"].name)
    page.fill("#invitee-id-number", family["drolma"].id_number)
    page.click("#make")
    page.wait_for_selector("#invite-qr")
    assert "卓" in page.text_content("#invitee")
    seen(page, lang, "invite")

    go(page, "#invitations", "#invitations-sent li")
    sent = page.locator("#invitations-sent li").first
    assert w["invitation.status.pending"] in sent.text_content() and "卓" in sent.text_content()
    sent.locator("[data-cancel]").click()
    page.wait_for_selector(f"#invitations-sent li:first-child:has-text('{w['invitation.status.cancelled']}')")
    assert not page.locator("#invitations-sent [data-cancel]").count()
    page.click("#invitations-received [data-accept]")                  # his brother's invitation, named for him
    page.wait_for_selector(f"#notice:has-text('{w['open.accepted']}')")
    seen(page, lang, "invitations")

    go(page, "#family", f"[data-binding='{father}']")
    row = page.locator(f"#bindings-benefactor [data-binding='{father}']")
    assert w["family.used"].split("{")[0] in row.text_content() and "¥15.00" in row.text_content()
    ended = page.text_content(f"#bindings-benefactor [data-binding='{gesang}']")
    assert w["end_reason.ended_by_beneficiary"] in ended                    # the ended one, with its reason
    page.wait_for_selector(f"#bindings-beneficiary:has-text('{tashi}')")  # its own list loads on its own
    assert tashi in page.text_content("#bindings-beneficiary")
    page.fill(f"#limit-{father}", "100")
    page.uncheck(f"#card-{father}")
    page.click(f"[data-save='{father}']")
    page.wait_for_selector(f"#used-{father}:has-text('¥100.00')")
    assert "¥15.00" in page.text_content(f"#used-{father}")
    db.session.rollback()   # end the test thread's read snapshot: the server's threads wrote since
    b = next(x for x in client.get(f"{API}/bindings?role=benefactor", headers=mine).json["items"] if x["id"] == father)
    assert (b["monthly_limit_fen"], b["allow_card"], b["used_this_month_fen"]) == (10000, False, 1500)
    seen(page, lang, "family")

    go(page, "#summary", "#summary-items")
    assert "¥15.00" in page.text_content(f"#summary-items [data-binding='{father}']")
    seen(page, lang, "summary")

    go(page, "#premium", "#premiums-paid li")
    assert str(year) in page.text_content("#premiums-paid li") and father_masked in page.text_content("#premiums-paid li")
    seen(page, lang, "premium")

    go(page, "#messages", "#messages li")
    assert page.locator("#messages li").count() == 20
    total = len(client.get(f"{API}/messages?limit=100", headers=mine).json["items"])
    assert total > 20
    page.click("[data-more=messages]")
    page.wait_for_function(f"document.querySelectorAll('#messages li').length === {total}")
    assert page.is_hidden("[data-more=messages]")
    seen(page, lang, "messages")

    for hash_, ready, name in (("#statements", "#entries li", "statements"), ("#helpers", "#helpers li", "helpers"),
                               ("#proxies", "#proxy-add", "proxies"), ("#voucher", "#voucher-qr[src]", "voucher")):
        go(page, hash_, ready)
        seen(page, lang, name)
    go(page, "#home", "#balance")
    assert not page.locator("#unread").count()                         # all read now
    page.reload()                                                       # the language is remembered
    page.wait_for_selector(f"html[lang={'bo' if lang == 'bo' else 'zh-CN'}] #balance")


@pytest.mark.parametrize("lang", LANGS)
def test_the_clerk_reads_a_card_settles_and_refunds_an_older_order(live, browser, client, as_, family, lang):
    w = catalogue(lang)
    ali = Counter(client, "ali-pharmacy")
    older = ali.settle(ticket(client, as_, ali, "drolma"), f"OLD-{lang}", items(("XA0101", 2, 1000)))
    assert older.status_code == 201
    page = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live).new_page()
    page.set_default_timeout(10000)
    page.on("dialog", lambda d: d.accept())
    page.goto("/counter")
    page.wait_for_selector("#lang-switch")
    if lang == "bo":
        page.click("#lang-switch")
    page.wait_for_selector(f"html[lang={'bo' if lang == 'bo' else 'zh-CN'}] #lang-switch")   # reloaded and ready
    assert page.text_content("#connect") == w["counter.connect"]
    page.click("#connect")
    page.wait_for_selector("#item-code option[value=XA0101]", state="attached")
    seen(page, lang, "counter")

    page.fill("#card-no", FATHER_CARD)
    page.click("#read-card")
    page.wait_for_selector(f"#patient:has-text('{w['insurance.resident']}')")
    add_item(page, "1", "12.00")
    page.click("#settle")
    page.wait_for_selector("#receipt:not([hidden])")
    assert w["counter.channel"].format(channel=w["channel.card"]) in page.text_content("#receipt-channel")
    assert "¥12.00" in page.text_content("#receipt")
    seen(page, lang, "counter-card-receipt")

    page.fill("#lookup-order", f"OLD-{lang}")
    page.click("#lookup")
    page.wait_for_selector(f"#receipt h2:has-text('OLD-{lang}')")
    assert w["channel.voucher"] in page.text_content("#receipt-channel")
    page.click("#reverse")
    page.wait_for_selector(f"#receipt-status:has-text('{w['counter.reversed_at'].split('{')[0]}')")
    seen(page, lang, "counter-refund")
    db.session.rollback()
    assert ali.call("GET", f"/counter/settlements/OLD-{lang}").json["status"] == "reversed"
