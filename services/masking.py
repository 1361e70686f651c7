"""What one person may see of another: the first character of a name, the ends of an ID number.

A name in Tibetan script keeps its first syllable with its tsheg and one star per further syllable
(བཀྲ་ཤིས་ཚེ་རིང → བཀྲ་***): one letter of a stacked syllable alone would read as nothing."""
from .names import TSHEG, is_tibetan, syllables


def name(full: str | None) -> str | None:
    if not full:
        return full
    if is_tibetan(full):
        first, *rest = syllables(full)
        return first + TSHEG + "*" * len(rest) if rest else first
    return full[0] + "*" * (len(full) - 1)


def id_number(number: str | None) -> str | None:
    if not number:
        return number
    return number[:6] + "*" * 8 + number[-4:]
