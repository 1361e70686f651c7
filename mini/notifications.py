"""WeChat subscribe messages: what the person accepted in the mini-program's subscribe dialog."""
from flask import g
from marshmallow import Schema, fields, validate

from services.notify import notifications

from . import language
from .auth import citizen_required
from .schemas import Blueprint, In, Time

blp = Blueprint("notifications", __name__, description="WeChat subscribe messages")
TEMPLATE = fields.String(validate=validate.Length(min=1, max=128))


class SubscribeIn(In):
    template_ids = fields.List(TEMPLATE, required=True, validate=validate.Length(max=20), metadata={
        "description": "the templates the dialog asked about (wx.requestSubscribeMessage's tmplIds)"})
    accepted = fields.List(TEMPLATE, required=True, validate=validate.Length(max=20), metadata={
        "description": "those the person accepted ('accept'); the others are recorded as refused"})


class SubscriptionSchema(Schema):
    template_id = fields.String()
    kind = fields.String(metadata={"description": "the feed's message kind this template tells"})
    accepted = fields.Boolean()
    at = Time()


class SubscriptionsSchema(Schema):
    items = fields.List(fields.Nested(SubscriptionSchema))


@blp.route("/notifications/subscriptions", methods=["POST"])
@citizen_required
@blp.arguments(SubscribeIn)
@blp.response(200, SubscriptionsSchema)
def subscribe(body):
    """Record the subscribe dialog's answers (in the language of this request, which the messages will use)."""
    return {"items": notifications.subscribe(g.person_id, body["template_ids"], body["accepted"], language.choose())}


@blp.route("/notifications/subscriptions", methods=["GET"])
@citizen_required
@blp.response(200, SubscriptionsSchema)
def subscriptions():
    """My answers, one per template."""
    return {"items": notifications.subscriptions(g.person_id)}
