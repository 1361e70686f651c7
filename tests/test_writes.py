"""One use case, one transaction: a `@writes` function called inside another is a bug, refused at once."""
import pytest
from sqlalchemy import update

from services.db import db, writes
from services.models import Institution
from services.people import institutions


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


@writes
def institution_name(inst_id):
    return db.session.get(Institution, inst_id).name


def test_a_use_case_reads_afresh_what_the_request_read_before_it(app):
    """On PostgreSQL a use case goes on with the request's read transaction: what was read is read again."""
    institution("ins_fresh")
    seen = db.session.get(Institution, "ins_fresh")   # the request read it, and holds it
    assert seen.name == "测试药房"
    with db.engine.begin() as conn:   # meanwhile an administrator renames it
        conn.execute(update(Institution.__table__).where(Institution.__table__.c.id == "ins_fresh")
                     .values(name="噶尔县药房"))
    assert institution_name("ins_fresh") == "噶尔县药房" and seen.name == "噶尔县药房"
