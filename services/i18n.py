"""The gettext catalogues of translations/ for a locale the caller names (services never read a header)."""
import functools
import os

from babel.support import NullTranslations, Translations

DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "translations")
LOCALES = ("zh_CN", "bo")
DEFAULT = "zh_CN"


@functools.lru_cache(maxsize=None)
def catalogue(locale: str) -> NullTranslations:
    """The compiled catalogue of a locale we offer; any other locale reads Chinese."""
    return Translations.load(DIRECTORY, [locale if locale in LOCALES else DEFAULT])


def gettext(locale: str, msgid: str) -> str:
    return catalogue(locale).gettext(msgid)


def money(fen: int) -> str:
    """¥12.34, the same in every language."""
    return f"¥{fen / 100:,.2f}"
