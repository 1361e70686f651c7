"""One word per term (docs/glossary.md is the source): the page catalogues and the server's catalogues write each
glossary term the glossary's way in Tibetan, with no English and no Chinese punctuation in a Tibetan text."""
import json
import os
import re

import pytest
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIBETAN = re.compile("[\u0f00-\u0fff]")
CHINESE_PUNCTUATION = re.compile("[，。：；！？（）「」『』【】、《》“”‘’…]")
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def terms() -> list[tuple[str, str]]:
    """(Chinese, Tibetan) of the glossary's first table, longest Chinese first."""
    with open(os.path.join(ROOT, "docs", "glossary.md"), encoding="utf-8") as fh:
        text = fh.read()
    table = text[text.index("| English (msgid words)"):text.index("## The six relations")]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table.splitlines()[2:]
            if line.startswith("|")]
    return sorted(((r[1], r[2]) for r in rows), key=lambda t: -len(t[0]))


def catalogue_pairs():
    """(where, Chinese, Tibetan) for every text of the page catalogues and of the server's .po files."""
    def page(lang):
        with open(os.path.join(ROOT, "static", "i18n", f"{lang}.json"), encoding="utf-8") as fh:
            return json.load(fh)

    def po(lang):
        with open(os.path.join(ROOT, "translations", lang, "LC_MESSAGES", "messages.po"), "rb") as fh:
            return {m.id if isinstance(m.id, str) else m.id[0]: m.string if isinstance(m.string, str) else m.string[0]
                    for m in read_po(fh) if m.id}

    zh, bo = page("zh"), page("bo")
    pairs = [(f"static/i18n {key}", zh[key], bo[key]) for key in zh]
    zh_po, bo_po = po("zh"), po("bo")
    return pairs + [(f"messages.po {msgid!r}", zh_po[msgid], bo_po[msgid]) for msgid in zh_po]


PAIRS = catalogue_pairs()


def test_the_glossary_is_read():
    got = dict(terms())
    assert got["医保"] == "སྨན་བཅོས་ཉེན་སྲུང" and got["亲情账户"] == "གཉེན་ཉེའི་རྩིས་ཁྲ" and len(got) >= 20
    assert all(TIBETAN.search(bo) and not bo.endswith("།") for bo in got.values())


def test_every_glossary_term_is_written_the_glossarys_way():
    wrong = []
    for where, zh, bo in PAIRS:
        for term_zh, term_bo in terms():
            if term_zh in zh:
                zh = zh.replace(term_zh, "\0")   # 医保卡 is the card: its 医保 is not checked again
                if term_bo not in bo:
                    wrong.append(f"{where}: {term_zh} must be {term_bo} in {bo!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("rule, pattern", [("Chinese punctuation", CHINESE_PUNCTUATION), ("English", ENGLISH)])
def test_tibetan_texts_hold_no_chinese_punctuation_and_no_english(rule, pattern):
    found = [f"{where}: {bo!r}" for where, _, bo in PAIRS
             if pattern.search(re.sub(r"%\(\w+\)[sd]|\{\w+\}|GJ\w*|PIN|QR|ID|JSON", "", bo))]
    assert not found, f"{rule} in Tibetan texts:\n" + "\n".join(found)


def test_a_wrong_spelling_is_caught():
    """The check itself: a Tibetan text with the old word for 医保 is refused."""
    zh, bo = "医保电子凭证", "སྨན་འགོག་གློག་རྡུལ་ལག་ཁྱེར།"
    missing = [t_bo for t_zh, t_bo in terms() if t_zh in zh and t_bo not in bo]
    assert missing == ["སྨན་བཅོས་ཉེན་སྲུང"]
