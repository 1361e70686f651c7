"""Random families settled through the service layer: voucher or card, capped lines, own accounts normal or not.

Whatever the family, the parts sum to the total, no account goes below zero or pays more than it may, a helper who
refuses cards never pays for a card, and a beneficiary whose own account is not normal gets no aid at all."""
import itertools

from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from services.admin import registry
from services.checkout import cards, catalogue, settlement, vouchers
from services.db import db
from services.family import bindings, invitations
from services.models import Account, Binding, Person
from services.money import audit

from . import factory

CODES = ("PC1", "PC2", "PC3")
INSTITUTION = "ali-pharmacy"
_orders = itertools.count(1)

helper_st = st.fixed_dictionaries({
    "balance": st.integers(0, 50_000), "status": st.sampled_from(["normal", "normal", "frozen"]),
    "allow_card": st.booleans(), "limit": st.one_of(st.none(), st.integers(0, 30_000))})
family_st = st.fixed_dictionaries({
    "patient": st.sampled_from(["resident", "employee"]), "own_balance": st.integers(0, 20_000),
    "own_status": st.sampled_from(["normal", "frozen", "closed"]), "channel": st.sampled_from(["voucher", "card"]),
    "helpers": st.lists(helper_st, max_size=3),
    "catalogue": st.lists(st.tuples(st.booleans(), st.one_of(st.none(), st.integers(0, 5_000))),
                          min_size=3, max_size=3),
    "bill": st.lists(st.tuples(st.sampled_from(CODES + ("UNKNOWN",)), st.integers(1, 5), st.integers(0, 20_000)),
                     min_size=1, max_size=4)})


def restate(person: Person, **changes):
    """The registry says something new about this person (his stated balance unchanged unless given)."""
    account = db.session.get(Person, person.id).account
    row = {"id_number": person.id_number, "name": person.name, "insurance_type": person.insurance_type,
           "region_code": person.region_code, "status": "insured",
           "balance_fen": str(account.stated_balance_fen) if account else "",
           "account_status": account.status if account else "", **changes}
    registry.import_registry([(2, row)])


def build(f):
    """The patient and his helpers, bound through invitations while everything is normal, then restated."""
    patient = factory.person(f["patient"], balance=f["own_balance"])
    helpers = []
    for h in f["helpers"]:
        helper = factory.person("employee", balance=1)
        factory.kin(helper, patient, "child")
        code = invitations.invite(helper.id, "child").code
        binding_id = invitations.accept(code, patient.id).id
        bindings.change(binding_id, helper.id, {"allow_card": h["allow_card"], "monthly_limit_fen": h["limit"]})
        restate(helper, balance_fen=str(h["balance"]), account_status=h["status"])
        helpers.append((helper.id, h))
    card_no = f"HYP{patient.id:09d}"
    restate(patient, card_no=card_no, card_status="normal",
            **({"account_status": f["own_status"]} if f["patient"] == "employee" else {}))
    return patient, helpers, card_no


def balances(person_ids):
    return dict(db.session.query(Account.person_id, Account.balance_fen).filter(Account.person_id.in_(person_ids)))


# No shrinking: each example is a whole family in the database, and shrinking one takes minutes of a shared CPU;
# a failure prints its (unshrunk) family, which is small enough to read.
@settings(max_examples=40, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(f=family_st)
def test_any_family_settles_within_its_rules(family, f):
    catalogue.import_items([(i + 2, {"code": code, "name": code, "eligible": "true" if ok else "false",
                                     "price_cap_fen": "" if cap is None else str(cap)})
                            for i, (code, (ok, cap)) in enumerate(zip(CODES, f["catalogue"]))])
    patient, helpers, card_no = build(f)
    people = [patient.id] + [h for h, _ in helpers]
    before = balances(people)
    scanned = cards.scan(INSTITUTION, card_no) if f["channel"] == "card" else \
        vouchers.scan(INSTITUTION, vouchers.issue(patient.id)["payload"])
    bill = [{"code": c, "quantity": q, "unit_price_fen": p} for c, q, p in f["bill"]]
    s, created = settlement.settle(INSTITUTION, scanned["ticket"], f"HYP-{next(_orders)}", bill)
    after = balances(people)

    assert created and s["channel"] == f["channel"]
    assert s["own_account_fen"] + s["mutual_aid_fen"] + s["cash_fen"] == s["total_fen"]
    caps = dict(zip(CODES, f["catalogue"]))
    eligible = sum(min(q * p, q * caps[c][1]) if caps[c][1] is not None else q * p
                   for c, q, p in f["bill"] if c in caps and caps[c][0])
    assert s["eligible_fen"] == eligible == sum(line["eligible_fen"] for line in s["items"])
    assert s["own_account_fen"] + s["mutual_aid_fen"] <= eligible
    assert all(balance >= 0 for balance in after.values())
    paid = {a["binding_id"]: a["amount_fen"] for a in s["mutual_aid"]}
    assert s["own_account_fen"] == before.get(patient.id, 0) - after.get(patient.id, 0)
    for (helper_id, h), amount in zip(helpers, [paid.get(b.id, 0) for b in _bindings(patient.id, helpers)]):
        assert amount == before[helper_id] - after[helper_id]                # what he paid left his account
        if f["channel"] == "card" and not h["allow_card"]:
            assert amount == 0                                                # he refused cards
        if h["status"] != "normal":
            assert amount == 0                                                # frozen: passed over
        if h["limit"] is not None:
            assert amount <= h["limit"]
    if f["patient"] == "employee" and f["own_status"] != "normal":
        assert s["own_account_fen"] == s["mutual_aid_fen"] == 0               # no aid without a normal own account
        assert s["cash_fen"] == s["total_fen"]
    assert audit.run() == []


def _bindings(patient_id, helpers):
    """The patient's bindings in the order his helpers were made."""
    by_benefactor = {b.benefactor_id: b for b in db.session.query(Binding).filter_by(beneficiary_id=patient_id)}
    return [by_benefactor[helper_id] for helper_id, _ in helpers]
