"""The national interface's envelopes: the input parsed from whatever the body is, the output written with every
amount as a JSON number with exactly two decimals (spec: 数值型 16,2), as `80.00`, never `80.0` or `"80.00"`."""
import hashlib
import json
import re
import secrets
from decimal import Decimal

from services.clock import CHINA

from services.errors import InvalidRequest

REGION = "542500"   # ours (Ali prefecture): the first six characters of inf_refmsgid
MSGID = re.compile(r"[!-~]{1,30}")   # printable ASCII, no space; it is also the settlement's order_no
_MARK = re.compile(r'"\\u0000Y(-?[0-9]+)\\u0000"')


class Yuan:
    """An amount of fen, written in the output as yuan with two decimals."""

    __slots__ = ("fen",)

    def __init__(self, fen: int):
        self.fen = fen


def two(fen: int) -> str:
    """Fen as yuan with exactly two decimals: 8000 -> 80.00."""
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _mark(value):
    if isinstance(value, Yuan):
        return f"\0Y{value.fen}\0"   # a string no client text can hold (NUL is refused): swapped for the number
    raise TypeError(type(value).__name__)


def dumps(value) -> str:
    """JSON with every Yuan as a number with two decimals."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_mark)
    return _MARK.sub(lambda m: two(int(m.group(1))), text)


def _no_constant(name):
    raise ValueError(f"{name} is not a number")


def parse(raw: bytes) -> dict:
    """The input envelope from the body's bytes, JSON whatever the Content-Type; numbers as Decimal (exact)."""
    try:
        body = json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise InvalidRequest(details={"body": ["not a JSON envelope"]}) from None
    if not isinstance(body, dict):
        raise InvalidRequest(details={"body": ["not a JSON envelope"]})
    return body


def digest(infno: str, input_) -> str:
    """The input's fingerprint: the same msgid with another input is another request."""
    canonical = json.dumps([infno, input_], sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def stamp(at) -> str:
    """yyyyMMddHHmmssSSS, China time."""
    local = at.astimezone(CHINA)
    return local.strftime("%Y%m%d%H%M%S") + f"{local.microsecond // 1000:03d}"


def answer(infcode: int, output_json: str, err_msg: str, received, responded) -> str:
    """The output envelope as JSON text; `output_json` is already written (kept for a retry as it was sent)."""
    head = {"infcode": infcode,
            "inf_refmsgid": REGION + stamp(received)[:14] + f"{secrets.randbelow(10 ** 10):010d}",
            "refmsg_time": stamp(received), "respond_time": stamp(responded), "err_msg": err_msg}
    return dumps(head)[:-1] + ',"output":' + output_json + "}"
