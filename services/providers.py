"""Identity providers: a mini-program login code into a stable openid; a face check's answer about a person."""
import hashlib
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from . import settings
from .errors import TooManyRequests, Unauthenticated, Unavailable

log = logging.getLogger(__name__)

# code2Session error codes (WeChat's jscode2session): the login code is not valid, was already used, or the
# platform blocked this login (401); the platform is rate-limiting logins (429).
_REFUSED = {40029, 40163, 40226}
_THROTTLED = {45011}


def openid_for(code: str) -> str:
    provider = settings.get("IDENTITY_PROVIDER")
    if provider == "dev":
        return _dev(code)
    if provider == "wechat":
        return _wechat(code)
    raise Unavailable()   # IDENTITY_PROVIDER names no provider (settings refuse that at start)


def _dev(code: str) -> str:
    """Development logins: the code `dev:<openid>` names the login."""
    if not code.startswith("dev:") or not 1 <= len(code) - 4 <= 128:
        raise Unauthenticated()
    return code[4:]


def _call(path: str, query: dict, body: dict | None = None) -> dict:
    """One call to the platform: its JSON answer (GET, or POST of `body`); 503 when it is unreachable or garbled."""
    url = settings.get("WECHAT_API_BASE").rstrip("/") + path + "?" + urllib.parse.urlencode(query)
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=settings.get("WECHAT_TIMEOUT_SECONDS")) as resp:
            answer = json.loads(resp.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        log.warning("%s unreachable: %s", path, type(exc).__name__)
        raise Unavailable()
    if not isinstance(answer, dict):
        raise Unavailable()
    return answer


def _wechat(code: str) -> str:
    body = _call("/sns/jscode2session", {"appid": settings.get("WECHAT_APPID"), "secret": settings.get("WECHAT_SECRET"),
                                         "js_code": code, "grant_type": "authorization_code"})
    errcode = body.get("errcode") or 0
    if errcode == 0 and isinstance(body.get("openid"), str) and body["openid"]:
        return body["openid"]
    if errcode in _REFUSED:
        raise Unauthenticated()
    if errcode in _THROTTLED:
        raise TooManyRequests(retry_after=1)
    if errcode == -1:
        raise Unavailable()   # the platform is busy
    log.error("code2Session answered errcode %s", errcode)
    raise Unavailable()


# The platform's access token (cgi-bin/token) lives two hours; one per process, renewed a minute early.
_token_lock = threading.Lock()
_token_cache: dict = {}
_STALE_TOKEN = {40001, 40014, 42001}


def _access_token(renew=False) -> str:
    key = (settings.get("WECHAT_API_BASE"), settings.get("WECHAT_APPID"))
    with _token_lock:
        cached = _token_cache.get(key)
        if cached and not renew and cached[1] > time.monotonic():
            return cached[0]
        answer = _call("/cgi-bin/token", {"grant_type": "client_credential", "appid": settings.get("WECHAT_APPID"),
                                          "secret": settings.get("WECHAT_SECRET")})
        token = answer.get("access_token")
        if answer.get("errcode") or not isinstance(token, str) or not token:
            log.error("cgi-bin/token answered errcode %s", answer.get("errcode"))
            raise Unavailable()
        _token_cache[key] = (token, time.monotonic() + max(0, int(answer.get("expires_in") or 0) - 60))
        return token


def face_check(verify_result: str) -> dict:
    """The platform's answer about a face check (人脸核身 getinfo); 503 when it cannot be asked."""
    for renew in (False, True):
        answer = _call("/cityservice/face/identify/getinfo", {"access_token": _access_token(renew)},
                       {"verify_result": verify_result})
        if answer.get("errcode") not in _STALE_TOKEN:
            break
    if answer.get("errcode") == -1 or answer.get("errcode") in _STALE_TOKEN:
        raise Unavailable()
    return answer


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


FRESH_SECONDS = 600  # a face check proves who held the phone in the last 10 minutes, not who held it yesterday
SKEW_SECONDS = 60    # the platform's clock may run a little ahead of ours


def face_check_matches(verify_result: str, id_number: str, name: str, openid: str, at: int) -> bool:
    """True only when the face check passed, of this ID number and name (the platform's MD5s), on the phone of this
    openid, and finished (finish_time, unix seconds) within FRESH_SECONDS before `at`."""
    answer = face_check(verify_result)
    finished = answer.get("finish_time")
    return (answer.get("errcode") == 0 and answer.get("identify_ret") == 0
            and str(answer.get("id_card_number_md5")).lower() == _md5(id_number.upper())
            and str(answer.get("name_utf8_md5")).lower() == _md5(name)
            and isinstance(openid, str) and answer.get("openid") == openid
            and type(finished) is int and at - FRESH_SECONDS <= finished <= at + SKEW_SECONDS)
