"""The deduction order (扣款顺序) as pure arithmetic: own account first, then helpers in order, then cash."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Helper:
    """A helper that may pay now: its balance and what is left of its monthly limit (None: no limit)."""

    key: int
    balance_fen: int
    headroom_fen: int | None = None

    @property
    def can_pay(self) -> int:
        return max(0, self.balance_fen if self.headroom_fen is None else min(self.balance_fen, self.headroom_fen))


@dataclass(frozen=True)
class Split:
    own_fen: int
    aid: list  # [(helper key, fen)] in order, only helpers that paid
    cash_fen: int

    @property
    def aid_fen(self) -> int:
        return sum(amount for _, amount in self.aid)


def line_eligible(quantity: int, unit_price_fen: int, eligible: bool, price_cap_fen: int | None) -> int:
    """What of one line accounts may pay: nothing off the catalogue, at most quantity × the payment standard."""
    if not eligible:
        return 0
    amount = quantity * unit_price_fen
    return amount if price_cap_fen is None else min(amount, quantity * price_cap_fen)


def split(total_fen: int, eligible_fen: int, own_balance_fen: int | None, helpers: list[Helper]) -> Split:
    """Own account pays as much of the eligible amount as it holds; each helper in turn; the rest is cash."""
    assert 0 <= eligible_fen <= total_fen
    remaining = eligible_fen
    own = min(max(own_balance_fen or 0, 0), remaining)
    remaining -= own
    aid = []
    for helper in helpers:
        if remaining == 0:
            break
        pay = min(helper.can_pay, remaining)
        if pay > 0:
            aid.append((helper.key, pay))
            remaining -= pay
    return Split(own, aid, total_fen - own - sum(a for _, a in aid))
