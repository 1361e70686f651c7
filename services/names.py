"""A person's name in either script: Chinese (`name`) or Tibetan (`name_bo`, when the registry has it)."""
TSHEG, SHAD = "\u0f0b", "\u0f0d"


def is_tibetan(text: str | None) -> bool:
    return bool(text) and all("\u0f00" <= c <= "\u0fff" or c == " " for c in text)


def syllables(text: str) -> list[str]:
    """A Tibetan name's syllables, whatever tshegs, shads or spaces end or separate them."""
    return [s for s in text.replace(SHAD, TSHEG).replace(" ", TSHEG).split(TSHEG) if s]


def matches(person, written: str | None) -> bool:
    """Whether a name someone typed is this person's, in Chinese or in Tibetan (a final tsheg or shad aside)."""
    written = (written or "").strip()
    if written == person.name:
        return True
    return bool(person.name_bo) and is_tibetan(written) and syllables(written) == syllables(person.name_bo)

