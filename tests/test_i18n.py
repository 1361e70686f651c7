"""The pages' catalogues (static/i18n/): the same keys in both languages, every key the pages use exists, no
user-facing text outside them; and the mini-program's first load stays under 150 KB without fonts."""
import glob
import json
import os
import re

import pytest

STATIC = os.path.join(os.path.dirname(__file__), "..", "static")
PAGES = sorted(glob.glob(os.path.join(STATIC, "*.js")) + glob.glob(os.path.join(STATIC, "*.html")))
HAN_OR_TIBETAN = re.compile("[\u4e00-\u9fff\u0f00-\u0fff]")


def catalogue(lang):
    with open(os.path.join(STATIC, "i18n", f"{lang}.json"), encoding="utf-8") as f:
        return json.load(f)


def source(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_both_catalogues_have_the_same_keys_each_with_text_and_the_same_holes():
    zh, bo = catalogue("zh"), catalogue("bo")
    assert zh.keys() == bo.keys() and len(zh) > 200
    for key in zh:
        assert zh[key].strip() and bo[key].strip(), key
        assert set(re.findall(r"\{\w+\}", zh[key])) == set(re.findall(r"\{\w+\}", bo[key])), key
        assert re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", key), key
    untranslated = [k for k in bo if not re.search("[\u0f00-\u0fff]", bo[k])]
    assert untranslated == ["lang.zh", "who.named"]   # 中文 is named in its own script; "{name}（{relation}）"


def test_every_key_the_pages_name_exists():
    zh = catalogue("zh")
    named = set()
    for path in PAGES:
        text = source(path)
        named |= set(re.findall(r'\bt\("([a-z0-9_.]+)"', text))
        named |= set(re.findall(r'data-t(?:-[a-z]+)?="([a-z0-9_.]+)"', text))
        for prefix in re.findall(r'\bt\(`([a-z_.]+)\$\{', text):   # t(`channel.${c}`): a family of keys
            assert any(k.startswith(prefix) for k in zh), prefix
    assert named and not named - zh.keys(), named - zh.keys()


@pytest.mark.parametrize("path", PAGES, ids=os.path.basename)
def test_no_user_facing_text_outside_the_catalogues(path):
    """Chinese or Tibetan in a page's code is only ever in a comment."""
    for line in source(path).splitlines():
        code = re.sub(r"//.*$|/\*.*?\*/|<!--.*?-->", "", line)
        assert not HAN_OR_TIBETAN.search(code), f"{os.path.basename(path)}: {line.strip()}"


def test_the_first_load_of_the_mini_program_is_under_150_kb_without_fonts(client):
    """What a phone fetches to open the app: the page, its CSS, every module it imports, one catalogue."""
    seen, todo, total = set(), ["/"], 0
    while todo:
        path = todo.pop()
        resp = client.get(path)
        assert resp.status_code == 200, path
        body = resp.get_data()
        total += len(body)
        text = body.decode()
        found = re.findall(r'(?:href|src)="(/static/[\w./]+)(?:\?v=\w+)?"|from "(/static/[\w./]+)"', text)
        for ref in {"".join(f) for f in found} - seen:
            seen.add(ref)
            todo.append(ref)
    assert "/static/i18n.js" in seen and not any(p.endswith((".ttf", ".woff", ".woff2")) for p in seen)
    total += max(len(client.get(f"/static/i18n/{lang}.json").get_data()) for lang in ("zh", "bo"))
    assert 20_000 < total < 150 * 1024, total


def test_a_phone_without_a_tibetan_font_gets_the_fallback_web_font(client):
    """The page's head names a Tibetan web font after the phone's own fonts (static/early.js), and the server serves it."""
    html = client.get("/").get_data(as_text=True)
    face = re.search(r"const tibetan = .*?\};", html, re.S).group(0)
    assert 'unicodeRange: "U+0F00-0FFF"' in face and "${local}url(" in face and 'local("Tibetan Machine Uni")' in html
    cuts = dict(re.findall(r'tibetan\("(Gongji Tibetan(?: Full)?)", "([^"]+)"\)', html))
    sizes = {}
    for family, url in cuts.items():
        font = client.get(url)
        assert font.status_code == 200 and font.data[:4] == b"wOF2", url
        sizes[family] = len(font.data)
    # the shapes the catalogues write first: 15 KB on 2G, not Debian's 4.5 MB; every stack (for names) after
    assert 10_000 < sizes["Gongji Tibetan"] < 30_000 and 50_000 < sizes["Gongji Tibetan Full"] < 200_000
