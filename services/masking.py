"""What one person may see of another: the first character of a name, the ends of an ID number."""


def name(full: str | None) -> str | None:
    if not full:
        return full
    return full[0] + "*" * (len(full) - 1)


def id_number(number: str | None) -> str | None:
    if not number:
        return number
    return number[:6] + "*" * 8 + number[-4:]
