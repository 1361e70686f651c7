"""The reader's language, from Accept-Language: Tibetan (bo) or Chinese (zh_CN, the default)."""
from flask import has_request_context, request

from services.i18n import DEFAULT, LOCALES


def choose() -> str:
    """zh-CN/zh -> zh_CN, bo/bo-CN -> bo; anything else, or no header, is Chinese."""
    best = request.accept_languages.best_match(LOCALES) if has_request_context() else None
    return best or DEFAULT
