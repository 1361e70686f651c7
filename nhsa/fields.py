"""Reading the fields of an input: nodes, strings, yuan converted to fen exactly, detail lines to the counter's
items. A field that is missing or wrong is InvalidRequest naming it by its dotted path (err_msg shows the path)."""
from decimal import Decimal, InvalidOperation

from services.errors import InvalidRequest

MAX_YUAN = Decimal(1_000_000_000)   # more than any bill: a "huge" sum is refused before any arithmetic
MAX_LINES = 100                     # as the counter's items
MAX_QUANTITY, MAX_PRICE_FEN = 10_000, 10_000_000


def bad(field: str, why: str):
    raise InvalidRequest(details={field: [why]})


def node(parent: dict, name: str, where: str) -> dict:
    value = parent.get(name) if isinstance(parent, dict) else None
    if not isinstance(value, dict):
        bad(f"{where}.{name}", "must be an object")
    return value


def text(parent: dict, name: str, where: str, required=True, longest=50) -> str | None:
    """A string field; empty, "null" or absent is None (clients send those for nothing), which `required` refuses."""
    value = parent.get(name)
    if isinstance(value, Decimal):
        value = str(value)
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "null")):
        if required:
            bad(f"{where}.{name}", "is required")
        return None
    if not isinstance(value, str) or len(value) > longest or not value.isprintable():
        bad(f"{where}.{name}", f"must be text of at most {longest} characters")
    return value.strip()


def fen(parent: dict, name: str, where: str) -> int:
    """Yuan (a JSON number or a string) to fen, exactly: at most two decimals that count, not negative, not huge."""
    value = parent.get(name)
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            bad(f"{where}.{name}", "must be an amount in yuan")
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value > MAX_YUAN:
        bad(f"{where}.{name}", "must be an amount in yuan, 0 or more")
    cents = value * 100
    if cents != cents.to_integral_value():
        bad(f"{where}.{name}", "has more than two decimals")
    return int(cents)


def whole(parent: dict, name: str, where: str, low: int, high: int) -> int:
    value = parent.get(name)
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            value = None
    if not isinstance(value, Decimal) or not value.is_finite() or value != value.to_integral_value() \
            or not low <= value <= high:
        bad(f"{where}.{name}", f"must be a whole number from {low} to {high}")
    return int(value)


def flag(parent: dict, name: str, where: str) -> bool:
    """acct_used_flag: 0 cash only; 1 or 2 (2 = 使用共济人个账) accounts pay, own first, then the helpers."""
    value = text(parent, name, where, longest=1)
    if value not in ("0", "1", "2"):
        bad(f"{where}.{name}", "must be 0, 1 or 2")
    return value != "0"


def lines(details, where: str, with_sum=True) -> list[dict]:
    """Detail lines (drugdetail / feedetail) to the counter's items, each with its feedetl_sn; every line's
    det_item_fee_sumamt must be cnt × pric."""
    if not isinstance(details, list) or not 1 <= len(details) <= MAX_LINES:
        bad(where, f"must be a list of 1 to {MAX_LINES} lines")
    items, seen = [], set()
    for i, line in enumerate(details):
        at = f"{where}.{i}"
        if not isinstance(line, dict):
            bad(at, "must be an object")
        sn = text(line, "feedetl_sn", at, longest=30)
        if sn in seen:
            bad(f"{at}.feedetl_sn", "repeats another line's")
        seen.add(sn)
        quantity = whole(line, "cnt", at, 1, MAX_QUANTITY)
        price = fen(line, "pric", at)
        if price > MAX_PRICE_FEN:
            bad(f"{at}.pric", "is more than the counter accepts")
        if with_sum and fen(line, "det_item_fee_sumamt", at) != quantity * price:
            bad(f"{at}.det_item_fee_sumamt", "must be cnt × pric")
        items.append({"feedetl_sn": sn, "code": text(line, "med_list_codg", at, longest=64),
                      "name": None,
                      "quantity": quantity, "unit_price_fen": price})
    return items


def items_of(lines_: list[dict]) -> list[dict]:
    """The counter's items (without feedetl_sn), what the settlement services take."""
    return [{k: line[k] for k in ("code", "name", "quantity", "unit_price_fen")} for line in lines_]


def total(parent: dict, where: str, lines_: list[dict]) -> int:
    """medfee_sumamt, which must equal the lines' sum."""
    stated = fen(parent, "medfee_sumamt", where)
    if stated != sum(line["quantity"] * line["unit_price_fen"] for line in lines_):
        bad(f"{where}.medfee_sumamt", "must equal the sum of the lines")
    return stated
