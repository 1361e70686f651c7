"""Administrative region codes (6 digits, GB/T 2260) and the one prefix family aid is confined to."""
import re

CODE = re.compile(r"^\d{6}$")
TIBET = "54"  # the Tibet Autonomous Region: a benefactor must be insured inside it
ALI = "5425"  # Ali prefecture: family aid pays at its institutions (elsewhere only where remote aid is allowed)


def is_code(value) -> bool:
    return isinstance(value, str) and CODE.match(value) is not None


def in_tibet(region_code: str) -> bool:
    return region_code.startswith(TIBET)


def in_ali(region_code: str) -> bool:
    return region_code.startswith(ALI)
