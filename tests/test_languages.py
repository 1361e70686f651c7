"""Languages (API.md v1.1 "What people see"): error messages and message texts in Tibetan (bo) or Chinese (zh-CN,
the default), chosen by Accept-Language; error codes and message kinds never change."""
import re

import pytest

from services.clock import china_today

from . import api, factory
from .api import API, error
from .counter import Counter, items, ticket

BO, ZH = {"Accept-Language": "bo"}, {"Accept-Language": "zh-CN"}
TIBETAN, HAN, LATIN = re.compile("[\u0f00-\u0fff]"), re.compile("[\u4e00-\u9fff]"), re.compile("[A-Za-z]")


def with_language(headers, language):
    return {**headers, **language}


@pytest.mark.parametrize("header, expected", [
    (None, "zh"), ("zh-CN", "zh"), ("zh", "zh"), ("zh_CN", "zh"), ("en-US", "zh"), ("fr, de;q=0.5", "zh"),
    ("bo", "bo"), ("bo-CN", "bo"), ("bo;q=0.9, zh-CN;q=0.8", "bo"), ("zh-CN, bo;q=0.5", "zh"),
])
def test_the_language_is_chosen_from_accept_language_and_chinese_is_the_default(client, header, expected):
    resp = client.get(f"{API}/me", headers={"Accept-Language": header} if header else {})
    assert error(resp) == (401, "unauthenticated")
    assert resp.json["error"]["message"] == {"zh": "您尚未登录或登录已失效，请重新登录。",
                                             "bo": "ཁྱེད་ནང་འཛུལ་བྱས་མེད་པའམ་ནང་འཛུལ་གྱི་ནུས་པ་མེད་པར་གྱུར་འདུག "
                                                   "ཡང་བསྐྱར་ནང་འཛུལ་གནང་རོགས།"}[expected]


def refusals(client, as_, family):
    """Requests that each earn one error code, as (status, code, send) with send(language) -> response."""
    drolma, own_code = family["drolma"], api.invite(client, as_("tashi"), "spouse").json["code"]
    return [
        (400, "invalid_request", lambda lang: client.post(f"{API}/auth/login", data="{nope", headers={
            "Content-Type": "application/json", **lang})),
        (404, "not_found", lambda lang: client.get(f"{API}/nowhere", headers=lang)),
        (405, "method_not_allowed", lambda lang: client.delete(f"{API}/me", headers=lang)),
        (403, "verification_required", lambda lang: client.get(f"{API}/me", headers=with_language(
            factory.bearer(client, "stranger"), lang))),
        (422, "self_binding", lambda lang: client.post(f"{API}/invitations/{own_code}/accept",
                                                       headers=with_language(as_("tashi"), lang))),
        (422, "invitee_mismatch", lambda lang: client.post(f"{API}/invitations", json={
            "relation": "spouse", "invitee_id_number": drolma.id_number, "invitee_name": "别人"},
            headers=with_language(as_("tashi"), lang))),
        (401, "bad_signature", lambda lang: client.post(f"{API}/counter/scan", json={"voucher": "x"}, headers={
            "X-Institution-Id": "ali-pharmacy", "X-Timestamp": "1", "X-Nonce": "n" * 16, "X-Signature": "zz",
            **lang})),
    ]


EXPECTED = {  # what a reader sees for some of the codes, in both languages
    "not_found": ("未找到相关内容。", "འབྲེལ་ཡོད་ནང་དོན་རྙེད་མ་བྱུང་།"),
    "self_binding": ("不能与本人绑定。", "རང་ཉིད་དང་འབྲེལ་མཐུད་བྱེད་མི་ཆོག"),
    "invitee_mismatch": ("邀请对象与身份信息不符。", "གདན་ཞུ་འདི་དང་གདན་ཞུ་ཐོབ་མཁན་གྱི་ངོ་བོ་མི་མཐུན།"),
}


def test_error_messages_come_in_the_callers_language_and_the_code_never_changes(client, as_, family):
    for status, code, send in refusals(client, as_, family):
        zh, bo, default = send(ZH), send(BO), send({})
        for resp in (zh, bo, default):
            assert error(resp) == (status, code), (code, resp.json)
        assert zh.json["error"]["message"] == default.json["error"]["message"]           # Chinese by default
        assert HAN.search(zh.json["error"]["message"]) and not TIBETAN.search(zh.json["error"]["message"])
        assert TIBETAN.search(bo.json["error"]["message"]) and not HAN.search(bo.json["error"]["message"])
        assert not LATIN.search(zh.json["error"]["message"] + bo.json["error"]["message"]), code  # no raw msgid
        assert zh.json["error"]["details"] == bo.json["error"]["details"]
        if code in EXPECTED:
            assert (zh.json["error"]["message"], bo.json["error"]["message"]) == EXPECTED[code]


def test_a_rate_limit_429_is_told_in_tibetan_too(client, as_, family, monkeypatch):
    monkeypatch.setattr("services.family.attempts.PER_HOUR", 1)
    assert api.invite(client, as_("tashi"), "parent").status_code == 201
    resp = client.post(f"{API}/invitations", json={"relation": "parent"}, headers=with_language(as_("tashi"), BO))
    assert error(resp) == (429, "rate_limited") and resp.headers["Retry-After"]
    assert resp.json["error"]["message"] == "རེ་ཞུ་མང་དྲགས་འདུག ཅུང་ཙམ་སྒུག་ནས་ཡང་བསྐྱར་ཚོད་ལྟ་གནང་རོགས།"


def feed(client, headers, language):
    items_ = client.get(f"{API}/messages?limit=100", headers=with_language(headers, language)).json["items"]
    return [(m["kind"], m["text"]) for m in reversed(items_)]  # oldest first


def journey(client, as_, family):
    """Every kind of message a family's week produces, through the HTTP contract."""
    pharmacy = Counter(client, "ali-pharmacy")
    drolma, gesang = family["drolma"], family["gesang"]
    # Invitations: named to his wife (received, accepted), to his daughter (cancelled), from his brother (declined).
    code = api.invite(client, as_("tashi"), "spouse", invitee_id_number=drolma.id_number,
                      invitee_name=drolma.name).json["code"]
    assert client.post(f"{API}/invitations/{code}/accept", headers=as_("drolma")).status_code == 201
    code = api.invite(client, as_("tashi"), "child", invitee_id_number=gesang.id_number,
                      invitee_name=gesang.name).json["code"]
    assert client.post(f"{API}/invitations/{code}/cancel", headers=as_("tashi")).status_code == 200
    code = api.invite(client, as_("phuntsok"), "parent").json["code"]
    assert client.post(f"{API}/invitations/{code}/decline", headers=as_("father")).status_code == 200
    father = api.bind(client, as_, "tashi", "father", "parent")
    # The counter: his father's bill of ¥37.00 paid by his account, then refunded.
    resp = pharmacy.settle(ticket(client, as_, pharmacy, "father"), "RX-LANG-1", items(("XA0101", 2, 1850)))
    assert resp.status_code == 201 and resp.json["mutual_aid_fen"] == 3700, resp.json
    assert pharmacy.reverse("RX-LANG-1").status_code == 200
    # The father's premium for next year, paid from his account.
    year = china_today().year + 1
    assert client.post(f"{API}/premiums", json={"binding_id": father["id"], "year": year},
                       headers={**as_("tashi"), "Idempotency-Key": "lang-1"}).status_code == 201
    # Family proxy: his daughter (under 16, active at once), his wife (asks, she agrees, he shows it, she ends it).
    assert client.post(f"{API}/proxies", json={"id_number": gesang.id_number, "name": gesang.name,
                                               "relation": "child"}, headers=as_("tashi")).status_code == 201
    proxy = client.post(f"{API}/proxies", json={"id_number": drolma.id_number, "name": drolma.name,
                                                "relation": "spouse"}, headers=as_("tashi")).json
    assert client.post(f"{API}/proxies/{proxy['id']}/approve", headers=as_("drolma")).status_code == 200
    assert client.post(f"{API}/vouchers", json={"proxy_id": proxy["id"]}, headers=as_("tashi")).status_code == 201
    assert client.delete(f"{API}/proxies/{proxy['id']}", headers=as_("drolma")).status_code == 200
    # His wife ends their binding.
    binding = client.get(f"{API}/bindings?role=beneficiary", headers=as_("drolma")).json["items"][0]
    assert client.delete(f"{API}/bindings/{binding['id']}", headers=as_("drolma")).status_code == 200
    return year


def test_every_message_of_a_journey_reads_in_tibetan_and_in_chinese(client, as_, family):
    year = journey(client, as_, family)
    seen = set()
    for who in ("tashi", "drolma", "father", "phuntsok", "gesang"):
        zh, bo, default = (feed(client, as_(who), lang) for lang in (ZH, BO, {}))
        assert [k for k, _ in zh] == [k for k, _ in bo] and zh == default       # kinds unchanged, Chinese default
        for (kind, zh_text), (_, bo_text) in zip(zh, bo):
            seen.add(kind)
            assert HAN.search(zh_text) and not TIBETAN.search(zh_text), zh_text
            assert TIBETAN.search(bo_text), bo_text
            assert not LATIN.search(zh_text + bo_text) and "%(" not in zh_text + bo_text, (kind, zh_text, bo_text)
    assert seen == {"invitation_received", "invitation_accepted", "invitation_declined", "invitation_cancelled",
                    "binding_ended", "aid_paid", "aid_reversed", "premium_paid", "proxy_requested",
                    "proxy_approved", "proxy_ended", "voucher_by_proxy"}

    tashi_zh, tashi_bo = dict(feed(client, as_("tashi"), ZH)), dict(feed(client, as_("tashi"), BO))
    assert tashi_zh["aid_paid"] == "您的个人账户为次***（父母）在噶尔县雪域大药房支付了¥37.00。"
    assert tashi_bo["aid_paid"] == "ཁྱེད་ཀྱི་སྒེར་གྱི་རྩིས་ཁྲ་ནས་次*** (ཕ་མ) ཡི་ཆེད་དུ་噶尔县雪域大药房 ལ་¥37.00 སྤྲད་ཟིན།"
    assert tashi_zh["aid_reversed"] == "噶尔县雪域大药房退费：¥37.00已退回您的个人账户（原为次***支付）。"
    assert tashi_zh["premium_paid"] == f"您已为次***代缴{year}年度城乡居民医保费¥380.00。"
    assert tashi_bo["premium_paid"] == (f"ཁྱེད་ཀྱིས་次*** ཡི་ཆེད་དུ་{year} ལོའི་གྲོང་གསེབ་དང་གྲོང་ཁྱེར་སྡོད་དམངས་"
                                        "སྨན་བཅོས་ཉེན་སྲུང་འཐུས་¥380.00 ཚབ་སྤྲོད་བྱས་ཟིན།")
    drolma_zh, drolma_bo = dict(feed(client, as_("drolma"), ZH)), dict(feed(client, as_("drolma"), BO))
    assert drolma_zh["voucher_by_proxy"] == "您的配偶扎***代您出示了医保电子凭证（亲情账户）。"
    assert drolma_bo["voucher_by_proxy"] == ("ཁྱེད་ཀྱི་བཟའ་ཟླ 扎*** ཡིས་ཁྱེད་ཀྱི་ཚབ་ཏུ་སྨན་བཅོས་ཉེན་སྲུང་གློག་རྡུལ་ལག་ཁྱེར་"
                                             "བསྟན་ཟིན། (གཉེན་ཉེའི་རྩིས་ཁྲ།)")
    assert drolma_zh["binding_ended"] == "您与扎***的家庭共济已解除：被共济人解除了绑定。"
    assert drolma_bo["binding_ended"] == ("ཁྱེད་དང་扎*** གཉིས་ཀྱི་ཁྱིམ་ཚང་ཕན་ཚུན་རོགས་རམ་མཇུག་སྒྲིལ་ཟིན། "
                                          "རྒྱུ་མཚན་ནི་རོགས་རམ་ཐོབ་མཁན་གྱིས་འབྲེལ་མཐུད་བཅད་པ རེད།")
    father_zh = dict(feed(client, as_("father"), ZH))
    assert father_zh["premium_paid"] == f"扎***已为您代缴{year}年度城乡居民医保费¥380.00。"
