"""Family proxy in a real browser: a son shows his phoneless father's e-voucher and the counter console settles it."""
from services.db import db

from . import api
# fixtures (browser, live) and the skip mark come from the first journey
from .test_browser import (browser, counter_with_bill, live, pytestmark, settle_on_screen, shot,  # noqa: F401
                           signed_in)


def test_carer_adds_a_relative_and_shows_his_fathers_voucher(live, browser, client, as_, family):
    # the son opens 亲情账户: the demo's approved proxy for his father is there
    tashi = signed_in(browser, live, "tashi")
    tashi.wait_for_selector("#balance")
    tashi.click("text=亲情账户")
    tashi.wait_for_selector("#proxies-carer")
    assert "次***" in tashi.text_content("#proxies-carer") and "已生效" in tashi.text_content("#proxies-carer")

    # he adds his wife: she must consent herself, and the page says he waits for her
    tashi.select_option("#proxy-relation", "spouse")
    tashi.fill("#proxy-id-number", family["drolma"].id_number)
    tashi.fill("#proxy-name", "卓玛")
    tashi.click("#proxy-add")
    tashi.wait_for_selector("text=已发出申请，等待其本人同意")
    assert "卓* 配偶 · 等待其本人同意" in " ".join(tashi.locator("#proxies-carer li").all_inner_texts()).replace("\n", " ")
    shot(tashi, "10-proxy-waiting")

    # she approves from her own login
    drolma = signed_in(browser, live, "drolma")
    drolma.wait_for_selector("#balance")
    drolma.goto("/#proxies")
    drolma.wait_for_selector("#proxies-person")
    assert "等待您同意" in drolma.text_content("#proxies-person")
    drolma.click("#proxies-person button:has-text('同意')")
    drolma.wait_for_selector("text=已同意")
    assert "已生效" in drolma.text_content("#proxies-person")
    shot(drolma, "11-proxy-approved")

    # the father's other son pays for him; the carer picks his father on the voucher page
    api.bind(client, as_, "phuntsok", "father", "parent")
    tashi.goto("/#proxies")
    tashi.wait_for_selector("#proxies-carer")
    father_id = client.get(f"{api.API}/proxies?role=person", headers=as_("father")).json["items"][0]["id"]
    tashi.click(f"[data-show='{father_id}']")
    tashi.wait_for_function("document.querySelector('#voucher-payload')?.textContent.startsWith('GJV2')")
    assert tashi.locator("#voucher-for").input_value() == str(father_id)
    assert "次***" in tashi.locator("#voucher-for option:checked").text_content()
    payload = tashi.text_content("#voucher-payload")
    assert api.decode_qr(tashi.locator("#voucher-qr").screenshot()) == payload
    shot(tashi, "12-proxy-voucher")

    # the counter sees the father as the patient; his own helper pays, as for his own voucher
    counter = counter_with_bill(browser, live, payload, "次***")
    settle_on_screen(counter, ["家庭共济 1：平*¥37.00", "现金自付¥0.00"], "13-proxy-counter-receipt")

    # the carer sees his father's settlement; the father is told his voucher was shown
    tashi.goto("/#proxies")
    tashi.click(f"[data-records='{father_id}']")
    tashi.wait_for_selector("#proxy-settlements li")
    assert "平* ¥37.00" in tashi.text_content("#proxy-settlements")
    shot(tashi, "14-proxy-settlements")
    db.session.rollback()
    kinds = [m["kind"] for m in client.get(f"{api.API}/messages", headers=as_("father")).json["items"]]
    assert "voucher_by_proxy" in kinds
