"""Log lines that are safe to keep: JSON lines, with ID numbers, tokens and invitation codes masked.

Used by the app (every record of the root logger) and by gunicorn.conf.py (the access log). No Flask here.
"""
import json
import logging
import re
import sys
from datetime import datetime, timezone

# An invitation code is a bearer credential: whoever holds it may accept. A path keeps its shape, not the code.
INVITATION_PATH = re.compile(r"(/i/|/invitations/)(?!\?)[^/?#\s\"']+")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*")
BEARER = re.compile(r"(?i)(bearer\s+)\S+")
VOUCHER = re.compile(r"GJV1\.[\w.-]+|GJ[VO]2[0-9A-Za-z]{44}")
CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")  # what could end or forge a line of a text log


def mask(text: str) -> str:
    """The text with every invitation code in a path, ID number, token and voucher payload replaced."""
    text = INVITATION_PATH.sub(r"\1<code>", text)
    text = ID_NUMBER.sub("<id_number>", text)
    text = BEARER.sub(r"\1<token>", JWT.sub("<token>", text))
    return VOUCHER.sub("<voucher>", text)


def one_line(text: str) -> str:
    """The text with every line break and control character escaped (\\n, \\x1b): a %0A in a URL forges no line."""
    return CONTROL.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group(), f"\\x{ord(m.group()):02x}")
                       if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request's fields when it has them."""

    FIELDS = ("request_id", "method", "route", "status", "duration_ms", "person_id", "institution_id")

    def format(self, record):
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage() if getattr(record, "masked", False) else mask(record.getMessage())}
        line.update({f: getattr(record, f) for f in self.FIELDS if getattr(record, f, None) is not None})
        if record.exc_info:
            line["error"] = mask(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


class _Stderr(logging.StreamHandler):
    """Whatever sys.stderr is when a record is written (test runners and servers swap it)."""

    gongji_json = True

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def install():
    """Masked JSON lines on stderr for every record of the process; the app's own ("gongji.*") from INFO up."""
    logging.getLogger("gongji").setLevel(logging.INFO)
    # The lines name no source file or line, so no record looks for its caller (a stack walk per request line).
    logging._srcfile = None
    root = logging.getLogger()
    if not any(getattr(h, "gongji_json", False) for h in root.handlers):
        root.addHandler(_Stderr())
