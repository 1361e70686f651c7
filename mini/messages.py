"""The message feed."""
from flask import g
from flask_babel import get_locale
from marshmallow import Schema, fields, validate

from services.notify import messages

from .auth import citizen_required
from .schemas import Blueprint, Id, In, PageArgs, Time, page_of

blp = Blueprint("messages", __name__, description="Notifications")


class MessageSchema(Schema):
    id = fields.Integer()
    at = Time()
    kind = fields.String()
    text = fields.Function(lambda m: messages.render(m, str(get_locale())), metadata={
        "description": "in the reader's language (Accept-Language: bo or zh-CN, the default)"})
    read = fields.Function(lambda m: m.read_at is not None)


class ReadIn(In):
    ids = fields.List(Id(), required=True, validate=validate.Length(max=100))


@blp.route("/messages", methods=["GET"])
@citizen_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(MessageSchema))
def feed(args):
    """My notifications, newest first."""
    return messages.feed(g.person_id, args["cursor"], args["limit"])


@blp.route("/messages/read", methods=["POST"])
@citizen_required
@blp.arguments(ReadIn)
@blp.response(204)
def mark_read(body):
    """Mark messages read."""
    messages.mark_read(g.person_id, body["ids"])
