"""The deduction order as arithmetic: table cases and a property test over random bills."""
import pytest
from hypothesis import given, settings, strategies as st

from services.checkout.waterfall import Helper, line_eligible, split


@pytest.mark.parametrize("total, eligible, own, helpers, expected", [
    (1000, 1000, 5000, [Helper(1, 9000)], (1000, [], 0)),                       # own covers all
    (1000, 1000, 300, [Helper(1, 9000)], (300, [(1, 700)], 0)),                  # own partly, first helper
    (1000, 1000, None, [Helper(1, 0), Helper(2, 9000)], (0, [(2, 1000)], 0)),    # first empty, second pays
    (1000, 1000, None, [Helper(1, 400), Helper(2, 400)], (0, [(1, 400), (2, 400)], 200)),
    (1000, 1000, None, [Helper(1, 9000, 250)], (0, [(1, 250)], 750)),            # limit headroom
    (1000, 1000, None, [Helper(1, 9000, 0), Helper(2, 100)], (0, [(2, 100)], 900)),  # at limit: passed over
    (1000, 600, 100, [Helper(1, 9000)], (100, [(1, 500)], 400)),                 # ineligible part is cash
    (1000, 1000, 1000, [Helper(1, 9000)], (1000, [], 0)),                        # balance == bill
    (1001, 1001, 1000, [Helper(1, 9000)], (1000, [(1, 1)], 0)),                  # one fen over
    (1001, 1001, 1000, [], (1000, [], 1)),
    (0, 0, 5000, [Helper(1, 10)], (0, [], 0)),
])
def test_split_table(total, eligible, own, helpers, expected):
    s = split(total, eligible, own, helpers)
    assert (s.own_fen, s.aid, s.cash_fen) == expected
    assert s.own_fen + s.aid_fen + s.cash_fen == total


helper_st = st.builds(Helper, key=st.integers(), balance_fen=st.integers(0, 10**7),
                      headroom_fen=st.one_of(st.none(), st.integers(-5000, 10**7)))


@pytest.mark.parametrize("quantity, price, eligible, cap, expected", [
    (3, 2600, True, 2000, 6000), (3, 1500, True, 2000, 4500), (2, 2000, True, 2000, 4000),
    (2, 999, True, None, 1998), (2, 999, False, None, 0), (2, 999, False, 10, 0), (5, 100, True, 0, 0),
])
def test_line_eligible_table(quantity, price, eligible, cap, expected):
    assert line_eligible(quantity, price, eligible, cap) == expected


line_st = st.tuples(st.integers(1, 10_000), st.integers(0, 10_000_000), st.booleans(),
                    st.one_of(st.none(), st.integers(0, 10_000_000)))


@settings(max_examples=500)
@given(lines=st.lists(line_st, min_size=1, max_size=5), own=st.one_of(st.none(), st.integers(0, 10**7)),
       helpers=st.lists(helper_st, max_size=8, unique_by=lambda h: h.key))
def test_split_properties(lines, own, helpers):
    total = sum(q * p for q, p, _, _ in lines)
    eligible = sum(line_eligible(*line) for line in lines)
    for q, p, ok, cap in lines:                                            # the payment standard caps each line
        assert 0 <= line_eligible(q, p, ok, cap) <= (q * p if ok else 0)
        assert cap is None or line_eligible(q, p, ok, cap) <= q * cap
    s = split(total, eligible, own, helpers)
    assert s.own_fen + s.aid_fen + s.cash_fen == total                    # parts sum to the total
    assert 0 <= s.own_fen <= (own or 0) and s.cash_fen >= total - eligible  # accounts pay eligible items only
    paid = dict(s.aid)
    for h in helpers:
        assert 0 <= paid.get(h.key, 0) <= h.balance_fen                      # nobody goes below zero
        if h.headroom_fen is not None:
            assert paid.get(h.key, 0) <= max(h.headroom_fen, 0)              # no limit exceeded
    order = [h.key for h in helpers]
    keys = [k for k, _ in s.aid]
    assert keys == sorted(keys, key=order.index)                           # in the beneficiary's order
    for i, h in enumerate(helpers):                                        # a later helper pays only once
        later_paid = any(paid.get(x.key, 0) for x in helpers[i + 1:])     # every earlier one is exhausted
        if later_paid:
            assert paid.get(h.key, 0) == h.can_pay
    if own is not None and own < eligible:
        assert s.own_fen == own                                            # own account first, fully
    elif own is not None:
        assert s.aid_fen == 0
