"""The helper order called as services (fast, no HTTP): permutations, the version against lost updates, move."""
import pytest

from services.errors import Forbidden, NotFound, PreconditionFailed, Refused
from services.family import bindings, helper_order

from .test_binding_services import bind, refused


@pytest.fixture
def order(family):
    """The father's two helpers (tashi first, phuntsok second), by binding id."""
    return [bind(family, "tashi", "father", "parent").id, bind(family, "phuntsok", "father", "parent").id]


def ids(beneficiary_id):
    return [b.id for b in helper_order.order(beneficiary_id)["helpers"]]


def test_reorder_against_a_version_and_any_version(family, order):
    father = family["father"].id
    version = helper_order.order(father)["version"]
    done = helper_order.reorder(father, order[::-1], version)
    assert [b.id for b in done["helpers"]] == order[::-1] and done["version"] == version + 1
    refused(PreconditionFailed, "precondition_failed", helper_order.reorder, father, order, version)   # stale
    assert helper_order.reorder(father, order, None)["version"] == version + 2                        # If-Match: *
    assert ids(father) == order


@pytest.mark.parametrize("wrong", ["missing", "duplicate", "foreign", "extra"])
def test_reorder_lists_each_active_helper_once(family, order, wrong):
    a, b = order
    other = bind(family, "tashi", "drolma", "spouse").id
    listed = {"missing": [a], "duplicate": [a, a, b], "foreign": [a, other], "extra": [a, b, other]}[wrong]
    father = family["father"].id
    version = helper_order.order(father)["version"]
    refused(Refused, "invalid_order", helper_order.reorder, father, listed, version)
    assert helper_order.order(father) == {"version": version, "helpers": helper_order.active_helpers(father)}


def test_move_keeps_the_others_in_their_order(family, order):
    father = family["father"].id
    third = bind(family, "tashi", "drolma", "spouse")   # drolma is no helper of the father
    assert [b.id for b in helper_order.move(father, order[0], 1)["helpers"]] == order[::-1]
    refused(Refused, "invalid_order", helper_order.move, father, order[0], 2)
    refused(Refused, "invalid_order", helper_order.move, father, order[0], -1)
    refused(Forbidden, "forbidden", helper_order.move, family["tashi"].id, order[0], 0)   # only the beneficiary
    refused(NotFound, "not_found", helper_order.move, family["sonam"].id, order[0], 0)    # a stranger sees nothing
    refused(NotFound, "not_found", helper_order.move, father, third.id, 0)


def test_an_ended_binding_leaves_the_order_and_cannot_be_moved(family, order):
    father = family["father"].id
    bindings.unbind(order[1], family["phuntsok"].id)
    assert ids(father) == order[:1]
    refused(Refused, "invalid_order", helper_order.move, father, order[1], 0)
