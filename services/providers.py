"""Identity providers: turn a mini-program login code into a stable openid."""
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from . import settings
from .errors import TooManyRequests, Unauthenticated, Unavailable

log = logging.getLogger(__name__)

# code2Session error codes (WeChat's jscode2session): what each means for our caller.
_REFUSED = {40029: "the login code is not valid", 40163: "the login code was already used",
            40226: "the platform blocked this login"}
_THROTTLED = {45011: "the platform is rate-limiting logins"}


def openid_for(code: str) -> str:
    provider = settings.get("IDENTITY_PROVIDER")
    if provider == "dev":
        return _dev(code)
    if provider == "wechat":
        return _wechat(code)
    raise Unavailable(message=f"identity provider {provider!r} is not configured")


def _dev(code: str) -> str:
    """Development logins: the code `dev:<openid>` names the login."""
    if not code.startswith("dev:") or not 1 <= len(code) - 4 <= 128:
        raise Unauthenticated(message="the login code is not valid (use dev:<openid>)")
    return code[4:]


def _wechat(code: str) -> str:
    query = urllib.parse.urlencode({
        "appid": settings.get("WECHAT_APPID"), "secret": settings.get("WECHAT_SECRET"),
        "js_code": code, "grant_type": "authorization_code",
    })
    url = settings.get("WECHAT_API_BASE").rstrip("/") + "/sns/jscode2session?" + query
    try:
        with urllib.request.urlopen(url, timeout=float(settings.get("WECHAT_TIMEOUT_SECONDS"))) as resp:
            body = json.loads(resp.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        log.warning("code2Session unreachable: %s", type(exc).__name__)
        raise Unavailable(message="the login service is unreachable; try again")
    errcode = body.get("errcode") or 0
    if errcode == 0 and isinstance(body.get("openid"), str) and body["openid"]:
        return body["openid"]
    if errcode in _REFUSED:
        raise Unauthenticated(message=_REFUSED[errcode])
    if errcode in _THROTTLED:
        raise TooManyRequests(message=_THROTTLED[errcode], details={"retry_after": 1})
    if errcode == -1:
        raise Unavailable(message="the login service is busy; try again")
    log.error("code2Session answered errcode %s", errcode)
    raise Unavailable(message="the login service refused our request")
