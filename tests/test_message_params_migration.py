"""The messages.params migration: rows from before it keep their Chinese text; its downgrade stores the Chinese."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from services.db import db
from services.models import Message
from services.notify import messages

from . import factory
from .conftest import make_app

BEFORE = "c4d1e0a9b7f2"
OLD_TEXT = "您的个人账户为次***（父母）在噶尔县雪域大药房支付了¥37.00。"
ENDED = "您与卓*的家庭共济已解除：共济人已不在西藏参保。"


def test_old_rows_keep_their_text_and_the_downgrade_keeps_every_row(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        person = factory.person()
        db.session.add(Message(person_id=person.id, kind="aid_paid", text=OLD_TEXT))   # as stored before params
        messages.notify(person.id, "binding_ended", params={"other": "卓*", "reason": "left_tibet"})
        db.session.commit()
        old, new = db.session.query(Message).order_by(Message.id).all()
        assert (messages.render(old, "bo"), messages.render(new, "bo")) == (
            OLD_TEXT, "ཁྱེད་དང་卓* གཉིས་ཀྱི་ཁྱིམ་ཚང་ཕན་ཚུན་རོགས་རམ་མཇུག་སྒྲིལ་ཟིན། རྒྱུ་མཚན་ནི་རོགས་རམ་བྱེད་མཁན་"
                      "བོད་ལྗོངས་སུ་ཉེན་སྲུང་ཞུགས་མེད་པ རེད།")
        db.session.commit()
        downgrade(revision=BEFORE)
        rows = db.session.execute(text("SELECT kind, text FROM messages ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("aid_paid", OLD_TEXT), ("binding_ended", ENDED)]
        db.session.commit()
        upgrade()
        db.session.expire_all()
        assert [messages.render(m, "bo") for m in db.session.query(Message).order_by(Message.id)] == [
            OLD_TEXT, ENDED]  # stored text again, shown as stored
        db.session.commit()
        db.engine.dispose()
