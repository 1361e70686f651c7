"""GB 11643 resident ID numbers: 17 digits, a valid birth date, and an ISO 7064 MOD 11-2 check character."""
import re
from datetime import date

from .errors import InvalidRequest

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_char(first17: str) -> str:
    """The check character GB 11643 assigns to the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def problem(value) -> str | None:
    """Why a value is not a valid ID number, or None when it is."""
    if not isinstance(value, str):
        return "must be a string"
    if len(value) != 18:
        return "must be 18 characters"
    if not _SHAPE.match(value):
        return "must be 17 digits followed by a digit or X"
    try:
        born = birth_date(value)
    except ValueError:
        return "has an impossible birth date"
    if born.year < 1900:
        return "has an impossible birth date"
    if check_char(value[:17]) != value[17]:
        return "has a wrong check character"
    return None


def birth_date(number: str) -> date:
    """The birth date digits 7 to 14 carry (ValueError when impossible)."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def age_on(number: str, day: date) -> int:
    """Full years of age on `day` of the person this ID number names."""
    born = birth_date(number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def normalize(value):
    """Upper-case a trailing x, as people often type it."""
    return value.strip().upper() if isinstance(value, str) else value


def validate(value, field="id_number") -> str:
    """Return the normalized ID number or raise invalid_request naming the field."""
    value = normalize(value)
    why = problem(value)
    if why:
        raise InvalidRequest(details={field: [why]})
    return value


def make(first17: str) -> str:
    return first17 + check_char(first17)
