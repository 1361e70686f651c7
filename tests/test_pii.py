"""ID numbers sealed at rest: nothing in clear in the database, lookups through the blind index, rotation, migration."""
import base64
import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from services import pii
from services.admin import demo
from services.db import db
from services.errors import Unavailable
from services.models import Invitation, Person

from . import api, factory
from .conftest import PG_URL, make_app

OLD = "old=" + base64.b64encode(b"o" * 32).decode()
NEW = "new=" + base64.b64encode(b"n" * 32).decode()


def raw_rows(table):
    """Every row of a table as the database holds it, columns joined as text."""
    return [" ".join(map(str, r)) for r in db.session.execute(text(f"SELECT * FROM {table}")).all()]


def stored_bytes(app):
    """What an attacker with the database would read: the SQLite files, or the raw tables on PostgreSQL."""
    if PG_URL:
        return "\n".join(raw_rows("persons") + raw_rows("invitations")).encode()
    db.session.commit()
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    return b"".join(open(p, "rb").read() for p in (path, path + "-wal") if os.path.exists(p))


def test_demo_seed_leaves_no_id_number_nor_card_number_in_clear(app, client, family, as_):
    father = family["father"]
    resp = api.invite(client, as_("phuntsok"), "parent", invitee_id_number=father.id_number, invitee_name=father.name)
    assert resp.status_code == 201  # a named invitation stores the invitee's ID number too
    data = stored_bytes(app)
    assert father.name.encode() in data  # what is stored in clear is readable here, so the check below can fail
    numbers = [row["id_number"] for _, row in demo.person_rows()]
    assert len(numbers) >= 6 and father.id_number in numbers
    assert [n for n in numbers if n.encode() in data] == []
    cards = [card for card, _ in demo.CARDS.values()]
    assert len(cards) >= 6 and family["father"].card_no in cards
    assert [c for c in cards if c.encode() in data] == []


def test_lookups_compare_the_blind_index(app, family):
    father = family["father"]
    number = father.id_number
    assert db.session.scalar(select(Person).where(Person.id_number == number)) is father
    assert db.session.query(Person).filter_by(id_number=number).one() is father
    both = [number, family["tashi"].id_number]
    assert {p.id for p in db.session.scalars(select(Person).where(Person.id_number.in_(both)))} == \
        {father.id, family["tashi"].id}
    assert set(db.session.scalars(select(Person.id_number).where(Person.id.in_([father.id])))) == {number}
    everyone = db.session.scalar(select(func.count()).select_from(Person))
    assert db.session.scalar(select(func.count()).select_from(Person).where(Person.id_number != number)) == everyone - 1
    sql = str(select(Person.id).where(Person.id_number == number).compile(compile_kwargs={"literal_binds": True}))
    assert number not in sql and pii.blind(number, "id_number") in sql and "id_number_bidx" in sql
    with pytest.raises(TypeError):
        Person.id_number.like("5425%")


def test_one_person_per_id_number(app, family):
    db.session.add(Person(id_number=family["father"].id_number, name="冒名", insurance_type="resident",
                          region_code="542523", status="insured"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_rotation_reseals_under_the_first_key(app, config, tmp_path):
    app.config["PII_KEYS"] = OLD
    person = factory.person(name="轮换")
    number, pid = person.id_number, person.id
    sealed = db.session.scalar(text("SELECT id_number_enc FROM persons WHERE id = :i"), {"i": pid})
    assert sealed.startswith("old:") and number not in sealed

    app.config["PII_KEYS"] = f"{NEW},{OLD}"  # the new key seals, the old one still opens
    db.session.expire_all()
    assert db.session.get(Person, pid).id_number == number
    result = app.test_cli_runner().invoke(args=["pii", "rotate"])
    assert result.exit_code == 0, result.output
    assert "persons.id_number: 1 rows re-sealed" in result.output
    assert db.session.scalar(text("SELECT id_number_enc FROM persons WHERE id = :i"), {"i": pid}).startswith("new:")
    assert "0 rows re-sealed" in app.test_cli_runner().invoke(args=["pii", "rotate"]).output

    app.config["PII_KEYS"] = NEW  # the old key retired
    db.session.expire_all()
    assert db.session.scalar(select(Person).where(Person.id_number == number)).id == pid
    app.config["PII_KEYS"] = OLD  # a key that never sealed it cannot open it: 503, never a wrong value
    db.session.expire_all()
    with pytest.raises(Unavailable):
        db.session.get(Person, pid).id_number
    db.session.rollback()


def test_migration_seals_existing_rows_and_back(empty_database):
    number, invitee, card = "542523195001010035", "54252319800101003X", "ALK990001"
    app = make_app(empty_database)
    with app.app_context():
        upgrade(revision="10658135bc4d")  # the card's migration: ID and card numbers both still in clear
        db.session.execute(text(
            "INSERT INTO persons (id, id_number, name, insurance_type, region_code, status, helpers_version, "
            "card_no, card_status, created_at) VALUES (1, :n, '次仁多吉', 'resident', '542523', 'insured', 1, "
            ":card, 'normal', '2026-01-01 00:00:00')"), {"n": number, "card": card})
        db.session.execute(text(
            "INSERT INTO invitations (id, code, benefactor_id, relation, invitee_id_number, invitee_name, status, "
            "created_at, expires_at) VALUES (1, 'c0de', 1, 'child', :n, '格桑', 'pending', '2026-01-01 00:00:00', "
            "'2026-01-02 00:00:00')"), {"n": invitee})
        db.session.commit()
        upgrade()
        assert number not in " ".join(raw_rows("persons")) and invitee not in " ".join(raw_rows("invitations"))
        assert card not in " ".join(raw_rows("persons"))
        assert db.session.scalar(select(Person.id).where(Person.card_no == card)) == 1
        person = db.session.scalar(select(Person).where(Person.id_number == number))
        assert person.id == 1 and person.name == "次仁多吉"
        assert db.session.scalar(select(Invitation.code).where(Invitation.invitee_id_number == invitee)) == "c0de"
        db.session.commit()
        downgrade(revision="10658135bc4d")
        assert db.session.execute(text("SELECT id_number FROM persons")).scalar() == number
        assert db.session.execute(text("SELECT card_no FROM persons")).scalar() == card
        assert db.session.execute(text("SELECT invitee_id_number FROM invitations")).scalar() == invitee
        db.session.commit()
        db.engine.dispose()


@pytest.mark.parametrize("keys", ["k1=c2hvcnQ=", "k1", "=" + NEW.split("=", 1)[1], "k:1=" + NEW.split("=", 1)[1]])
def test_a_malformed_key_stops_the_start(keys):
    with pytest.raises(ValueError, match="PII_KEYS"):
        make_app("sqlite://", PII_KEYS=keys)
