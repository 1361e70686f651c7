"""One use case, one transaction: a `@writes` function called inside another is a bug, refused at once."""
import pytest

from services import institutions
from services.db import db, writes
from services.models import Institution


def institution(inst_id):
    return institutions.upsert(inst_id, "测试药房", "542523", False, "a-secret-for-the-test")


@writes
def nested(inst_id):
    db.session.add(Institution(id=inst_id + "-outer", name="外层", region_code="542523", secret_enc="x"))
    return institution(inst_id)   # a use case of its own: it would commit the outer one's half-done work


def test_a_nested_use_case_is_refused_and_nothing_is_kept(app):
    with pytest.raises(RuntimeError, match="upsert is a use case of its own"):
        nested("ins_nested")
    assert db.session.get(Institution, "ins_nested") is None
    assert db.session.get(Institution, "ins_nested-outer") is None


def test_use_cases_one_after_another_still_write(app):
    with pytest.raises(RuntimeError):
        nested("ins_nested")
    institution("ins_a")
    institution("ins_b")   # the refusal above left no use case marked as running
    assert {db.session.get(Institution, i).name for i in ("ins_a", "ins_b")} == {"测试药房"}
