"""The gettext catalogues (translations/): every text of the code in both languages, nothing fuzzy, the compiled
.mo files what the .po files say, and no rendering that shows a raw msgid, key or placeholder."""
import pathlib
import re

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask_babel import refresh

import error_texts
from services import i18n
from services.models import Message
from services.models.family import END_REASONS
from services.models.people import RELATIONS
from services.notify import message_texts, messages

ROOT = pathlib.Path(__file__).resolve().parent.parent
FOLDERS = {"zh_CN": "zh", "bo": "bo"}
TIBETAN, HAN = re.compile("[\u0f00-\u0fff]"), re.compile("[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")  # a stray English word: an untranslated msgid, a key or a placeholder


def words(text):
    """The text without its placeholders and the one English word a reader may see (JSON)."""
    return re.sub(r"%\(\w+\)s", "", text).replace("JSON", "")


def po(locale):
    with open(ROOT / "translations" / FOLDERS[locale] / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale.replace("zh_CN", "zh"))


def code_msgids():
    """The msgids the code marks today (N_ in services, lazy_gettext in mini and error_texts.py), as `make messages`
    extracts them."""
    found = set()
    for folder in ("mini", "nhsa", "services"):
        for _, _, msgid, _, _ in extract_from_dir(str(ROOT / folder), keywords={"N_": None, "_l": None}):
            found.add(msgid)
    for _, msgid, _, _ in extract_from_file("python", str(ROOT / "error_texts.py"), keywords={"_l": None}):
        found.add(msgid)
    return found


@pytest.mark.parametrize("locale", FOLDERS)
def test_every_text_of_the_code_is_translated_and_nothing_is_fuzzy(locale):
    catalogue = po(locale)
    entries = {m.id: m for m in catalogue if m.id}
    assert set(entries) == code_msgids(), "run `make messages` and translate"
    assert not catalogue.fuzzy and not catalogue.obsolete
    for msgid, entry in entries.items():
        assert entry.string and not entry.fuzzy, f"{locale}: {msgid!r} is not translated (or fuzzy)"
        assert not LATIN_WORD.search(words(entry.string)), f"{locale}: {msgid!r} reads {entry.string!r}"
        script = TIBETAN if locale == "bo" else HAN
        assert script.search(entry.string), f"{locale}: {entry.string!r}"
    assert not [(m.id, errs) for m, errs in catalogue.check()], "placeholders differ from the msgid's"


@pytest.mark.parametrize("locale", FOLDERS)
def test_the_committed_mo_is_byte_for_byte_what_make_compiles_from_the_po(locale, tmp_path):
    """The .mo files are committed (the suite and the image run from the tree) and `make install` recompiles them
    whenever a checkout dates the .po newer: the Makefile's own command, run on the committed .po, must give the
    committed bytes, or every build leaves `git status` dirty (and a stale .mo shows old texts)."""
    folder = ROOT / "translations" / FOLDERS[locale] / "LC_MESSAGES"
    compiled = tmp_path / "messages.mo"
    command = next(line.split() for line in (ROOT / "Makefile").read_text().splitlines() if "pybabel -q compile " in line)
    sources = {"$<": str(folder / "messages.po"), "$@": str(compiled)}
    CommandLineInterface().run(["pybabel"] + [sources.get(word, word) for word in command[1:]])
    assert compiled.read_bytes() == (folder / "messages.mo").read_bytes(), \
        "run `make install` (pybabel compile) and commit the .mo"


SAMPLE = {"benefactor": "扎***", "beneficiary": "次***", "other": "卓*", "patient": "次***", "relative": "格***",
          "carer": "扎***", "relation": "parent", "role": "child", "institution": "噶尔县雪域大药房",
          "amount_fen": 123456, "year": 2027, "position": 2, "count": 3, "age": 16, "reason": "left_tibet"}


def test_every_kind_has_its_texts_and_they_name_known_things():
    assert {key.split(".")[0] for key in message_texts.TEMPLATES} == set(messages.KINDS)
    assert set(message_texts.RELATIONS) == set(RELATIONS)
    assert set(message_texts.END_REASONS) == set(END_REASONS)


@pytest.mark.parametrize("key", message_texts.TEMPLATES)
def test_every_message_renders_in_both_languages_without_a_raw_msgid(key):
    kind, _, form = key.partition(".")
    message = Message(kind=kind, params={**SAMPLE, **({"form": form} if form else {})})
    zh, bo = messages.render(message, "zh_CN"), messages.render(message, "bo")
    for text in (zh, bo):
        assert "%(" not in text and not LATIN_WORD.search(text) and text != key, text
        assert "¥1,234.56" in text or "amount_fen" not in message_texts.TEMPLATES[key]
    assert HAN.search(zh) and not TIBETAN.search(zh)
    assert TIBETAN.search(bo)
    assert messages.render(message, "en") == zh  # any other language reads Chinese


def test_relations_and_end_reasons_are_told_in_the_readers_language():
    message = Message(kind="binding_ended", params={"other": "卓*", "reason": "ended_by_benefactor"})
    assert messages.render(message, "zh_CN") == "您与卓*的家庭共济已解除：共济人解除了绑定。"
    assert messages.render(message, "bo") == ("ཁྱེད་དང་卓* གཉིས་ཀྱི་ཁྱིམ་ཚང་ཕན་ཚུན་རོགས་རམ་མཇུག་སྒྲིལ་ཟིན། "
                                            "རྒྱུ་མཚན་ནི་རོགས་རམ་བྱེད་མཁན་གྱིས་འབྲེལ་མཐུད་བཅད་པ རེད།")
    assert [i18n.gettext(loc, message_texts.RELATIONS["sibling"]) for loc in ("zh_CN", "bo")] == [
        "兄弟姐妹", "ཕུ་ནུ་སྲིང་མོ"]


def test_a_message_from_before_params_shows_its_stored_text():
    old = Message(kind="aid_paid", text="您的个人账户为次***（父母）在噶尔县雪域大药房支付了¥37.00。", params=None)
    assert messages.render(old, "bo") == messages.render(old, "zh_CN") == old.text


@pytest.mark.parametrize("code", error_texts.TEXTS)
def test_every_error_message_is_translated(app, code):
    for header, script in (("bo", TIBETAN), ("zh-CN", HAN)):
        with app.test_request_context(headers={"Accept-Language": header}):
            refresh()  # what each request does first (mini/__init__.py): the fixture's app context is shared
            text = error_texts.message(code)
        assert script.search(text) and not LATIN_WORD.search(words(text)), (code, header, text)
