"""Settlement at the counter (RULES.md "Settlement at the counter" and the second release's), called as services:
the card and each benefactor's allow_card, remote aid outside Ali, the payment standard's price cap, the reversal
to exactly the accounts that paid, once, and every refusal with its code and nothing changed."""
import pytest

from services.checkout import cards, settlement, tickets, vouchers
from services.errors import Conflict, InvalidRequest, NotFound, Refused
from services.family import bindings
from services.models import LedgerEntry

from . import factory
from .counter import DRUG, SUPPLEMENT
from .test_settlement_rules import ALI, CHENGDU, LHASA, balances, bill, helpers, pay, split, ticket

CAPPED = "ZY0606"  # the demo catalogue's payment standard: ¥20.00 a pill


@pytest.fixture
def bound(family):
    """The father's helpers tashi then phuntsok; drolma's helper tashi: {(benefactor, beneficiary): binding}."""
    father = helpers(family, "father", "tashi", "phuntsok")
    return {**{(b, "father"): binding for b, binding in father.items()},
            ("tashi", "drolma"): helpers(family, "drolma", "tashi")["tashi"]}


@pytest.mark.parametrize("who, channel, refusing, fen, expected", [
    ("father", "voucher", ["tashi"], 3700, (0, {"tashi": 3700}, 0)),     # allow_card is about cards only
    ("father", "card", [], 3700, (0, {"tashi": 3700}, 0)),               # a card pays like the e-voucher
    ("father", "card", ["tashi"], 3700, (0, {"phuntsok": 3700}, 0)),     # a helper who refuses cards is skipped
    ("father", "card", ["tashi", "phuntsok"], 3700, (0, {}, 3700)),
    ("drolma", "card", ["tashi"], 10000, (8000, {}, 2000)),              # his own account still pays by card
])
def test_a_card_pays_from_the_helpers_who_allow_cards(family, bound, who, channel, refusing, fen, expected):
    for benefactor in refusing:
        bindings.change(bound[benefactor, who].id, family[benefactor].id, {"allow_card": False})
    assert pay(family, who, bill(fen), channel=channel)[0] == expected


@pytest.mark.parametrize("card_no, change, kind, code", [
    ("ALK000004", None, Refused, "card_invalid"),            # gesang's card is reported lost
    ("ALK999999", None, Refused, "card_invalid"),            # nobody's
    ("ALK000003", ("father", {"status": "ended"}), Refused, "not_insured"),
])
def test_a_card_that_cannot_pay_is_refused_and_changes_nothing(family, card_no, change, kind, code):
    if change:
        factory.set_person(family, change[0], **change[1])
    before = factory.money_state()
    with pytest.raises(kind) as refused:
        cards.scan(ALI, card_no)
    assert refused.value.code == code and factory.money_state() == before


@pytest.mark.parametrize("inst, who, fen, expected", [
    (ALI, "father", 3700, (0, {"tashi": 3700}, 0)),
    ("ali-hospital", "father", 3700, (0, {"tashi": 3700}, 0)),
    (LHASA, "father", 3700, (0, {"tashi": 3700}, 0)),           # outside Ali with remote mutual aid
    (CHENGDU, "father", 3700, (0, {}, 3700)),                   # outside Ali without: no family aid
    (CHENGDU, "drolma", 10000, (8000, {}, 2000)),               # ... but his own account and cash still pay
    (LHASA, "drolma", 10000, (8000, {"tashi": 2000}, 0)),
])
def test_family_accounts_pay_only_in_ali_or_with_remote_aid(family, bound, inst, who, fen, expected):
    assert pay(family, who, bill(fen), inst=inst)[0] == expected


@pytest.mark.parametrize("who, lines, eligible, expected", [
    ("father", [(CAPPED, 3, 2600)], 6000, (0, {"tashi": 6000}, 1800)),   # above the standard: the rest is cash
    ("father", [(CAPPED, 3, 1500)], 4500, (0, {"tashi": 4500}, 0)),      # below it: all of it
    ("father", [(CAPPED, 2, 2000)], 4000, (0, {"tashi": 4000}, 0)),
    ("father", [(CAPPED, 1, 2600), (DRUG, 2, 1850)], 5700, (0, {"tashi": 5700}, 600)),
    ("father", [(SUPPLEMENT, 1, 900), ("ZZ9999", 1, 500)], 0, (0, {}, 1400)),   # off or unknown: cash
    ("drolma", [(CAPPED, 3, 2600)], 6000, (6000, {}, 1800)),             # the cap holds for his own account too
])
def test_the_payment_standard_caps_what_accounts_pay(family, bound, who, lines, eligible, expected):
    parts, answer = pay(family, who, bill(*lines))
    assert parts == expected and answer["eligible_fen"] == eligible


@pytest.mark.parametrize("who, fen, tashi_fen, paid", [
    ("drolma", 20000, None, (8000, {"tashi": 12000}, 0)),
    ("father", 3700, None, (0, {"tashi": 3700}, 0)),
    ("father", 3700, 1000, (0, {"tashi": 1000, "phuntsok": 2700}, 0)),     # two helpers: each gets his part back
    ("drolma", 5000, None, (5000, {}, 0)),
])
def test_a_reversal_returns_the_money_to_exactly_the_accounts_that_paid_once(family, bound, who, fen, tashi_fen,
                                                                              paid):
    if tashi_fen is not None:
        factory.set_person(family, "tashi", balance_fen=str(tashi_fen))
    before = balances(family)
    parts, done = pay(family, who, bill(fen))
    assert parts == paid
    undone = settlement.reverse(ALI, done["order_no"], "refund")
    assert undone["status"] == "reversed" and split(family, undone) == paid and balances(family) == before
    entries = factory.money_state()
    assert settlement.reverse(ALI, done["order_no"])["status"] == "reversed"      # again: nothing more moves
    assert factory.money_state() == entries and balances(family) == before
    assert LedgerEntry.query.filter_by(kind="reversal").count() == (paid[0] > 0) + len(paid[1])


def test_a_retried_order_number_gives_the_same_settlement_once(family, bound):
    t, items = ticket(family, "father"), bill(3700)
    first, created = settlement.settle(ALI, t, "SAME-1", items)
    state = factory.money_state()
    again, created_again = settlement.settle(ALI, t, "SAME-1", items)
    assert created and not created_again and again["id"] == first["id"] and factory.money_state() == state
    assert split(family, again) == split(family, first) == (0, {"tashi": 3700}, 0)


def _used(family, t):
    settlement.settle(ALI, t, "FIRST", bill(100))
    return lambda: settlement.settle(ALI, t, "SECOND", bill(100))


def _other_content(family, t):
    settlement.settle(ALI, t, "TAKEN", bill(100))
    another = ticket(family, "father")
    return lambda: settlement.settle(ALI, another, "TAKEN", bill(200))


def _previewed(family, t):
    for _ in range(tickets.PREVIEWS_PER_TICKET):
        settlement.preview(ALI, t, bill(100))
    return lambda: settlement.preview(ALI, t, bill(100))


def _not_insured(family, t):
    """His insurance ended between the scan and the settlement (a voucher of his is revoked then, ticket or not)."""
    factory.set_person(family, "father", status="ended")
    return lambda: settlement.settle(ALI, t, "X-2", bill(100))


@pytest.mark.parametrize("setup, kind, code", [
    (_used, Conflict, "ticket_used"),                                    # a ticket settles once
    (_other_content, Conflict, "idempotency_conflict"),                 # an order number, other content
    (lambda family, t: lambda: settlement.settle(LHASA, t, "X-1", bill(100)), Refused, "ticket_invalid"),
    (lambda family, t: lambda: settlement.settle(ALI, t, "a b", bill(100)), InvalidRequest, "invalid_request"),
    (lambda family, t: lambda: settlement.reverse(ALI, "NEVER"), NotFound, "not_found"),
    (_previewed, Refused, "preview_limit_reached"),                     # balances are not for probing
    (_not_insured, Refused, "not_insured"),
])
def test_a_refused_settlement_says_why_and_changes_nothing(family, bound, setup, kind, code):
    attempt = setup(family, ticket(family, "father"))
    before = factory.money_state()
    with pytest.raises(kind) as refused:
        attempt()
    assert refused.value.code == code and factory.money_state() == before
