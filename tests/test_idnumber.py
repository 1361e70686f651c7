"""GB 11643 ID numbers: malformed numbers are refused with a clear error."""
import pytest

from services import idnumber
from services.errors import InvalidRequest


@pytest.mark.parametrize("number, problem", [
    ("11010519491231002X", None),                   # the standard's own example, check character X
    ("542523197803150012", None),
    ("542523197803150013", "has a wrong check character"),
    ("11010519491231002Y", "must be 17 digits followed by a digit or X"),
    ("54252319780315001", "must be 18 characters"),
    ("5425231978031500120", "must be 18 characters"),
    ("542523197813150019", "has an impossible birth date"),
    ("54252319780315001a", "must be 17 digits followed by a digit or X"),
    ("", "must be 18 characters"),
    (None, "must be a string"),
])
def test_problem(number, problem):
    assert idnumber.problem(number) == problem


def test_lower_case_x_is_accepted_as_typed():
    assert idnumber.validate("11010519491231002x") == "11010519491231002X"


def test_validate_names_the_field():
    with pytest.raises(InvalidRequest) as err:
        idnumber.validate("123", field="invitee_id_number")
    assert err.value.code == "invalid_request"
    assert err.value.details == {"invitee_id_number": ["must be 18 characters"]}


def test_make_computes_the_check_character():
    assert idnumber.make("11010519491231002") == "11010519491231002X"
