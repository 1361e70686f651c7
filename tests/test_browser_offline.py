"""The mini-program with no network (Debian's Chromium, 390 px): the service worker opens it, an offline code pays."""
import json

from services.db import db

from . import api
from .test_browser import browser, counter_with_bill, live, pytestmark, shot, signed_in  # noqa: F401 (fixtures)


def test_with_no_network_the_app_opens_and_shows_an_offline_code_that_pays(live, browser, client, as_, family):
    api.bind(client, as_, "tashi", "father", "parent")
    father = signed_in(browser, live, "father")
    father.wait_for_selector("text=医保电子凭证")
    father.goto("/#voucher")
    father.wait_for_function("document.querySelector('#voucher-payload')?.textContent.startsWith('GJV2')")
    father.wait_for_function("localStorage.getItem('gj.offline') !== null")   # the book kept while online
    father.evaluate("navigator.serviceWorker.ready.then(() => true)")
    book = json.loads(father.evaluate("localStorage.getItem('gj.offline')"))
    codes = [c["payload"] for c in book["codes"]]
    assert len(codes) == 15
    db.session.rollback()  # the test's own session still holds a snapshot from before the browser's requests
    assert sorted(client.get("/api/v1/vouchers/offline", headers=as_("father")).json["codes"]) == sorted(codes)

    father.context.set_offline(True)
    opened = father.reload()
    assert opened.from_service_worker
    father.wait_for_selector("#offline-mark:not([hidden])")
    assert "离线" in father.text_content("#offline-mark")
    assert "后过期" in father.text_content(".countdown")
    father.wait_for_function("document.querySelector('#voucher-qr')?.naturalWidth > 0")
    shown = api.decode_qr(father.locator("#voucher-qr").screenshot())
    assert shown in codes and father.text_content("#voucher-payload") == shown
    shot(father, "10-offline-voucher")

    counter = counter_with_bill(browser, live, shown, "次***")
    counter.click("#settle")
    counter.wait_for_selector("#receipt:not([hidden])")
    assert "扎***" in counter.text_content("#receipt")
    db.session.rollback()
    line = client.get("/api/v1/account/entries", headers=as_("tashi")).json["items"][0]
    assert (line["amount_fen"], line["channel"]) == (-3700, "offline_voucher")

    # the phone, still offline, is told the code was scanned and moves on to an unspent one
    father.click("#next-code")
    father.wait_for_function(f"(document.querySelector('#voucher-payload')?.textContent ?? {json.dumps(shown)}) !== "
                             f"{json.dumps(shown)}")
    assert father.text_content("#voucher-payload") in codes
    father.context.set_offline(False)
    father.wait_for_selector("#offline-mark", state="hidden")
    father.wait_for_function("!JSON.parse(localStorage.getItem('gj.offline')).codes.some((c) => c.payload === "
                             + json.dumps(shown) + ")")
