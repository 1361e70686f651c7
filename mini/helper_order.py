"""The beneficiary's helper order (共济账户管理), with an ETag against lost updates."""
import re

from flask import g, request
from marshmallow import Schema, fields, validate

from services.errors import PreconditionFailed, PreconditionRequired
from services.family import helper_order

from .auth import citizen_required
from .schemas import Blueprint, In, MaskedPerson

VERSION = re.compile(r"[0-9]{1,10}")  # helpers_version is a 32-bit integer: ten ASCII digits at most

blp = Blueprint("helpers", __name__, description="Helper order (共济账户管理)")


class HelperSchema(Schema):
    binding_id = fields.Integer(attribute="id")
    position = fields.Integer()
    relation = fields.String()
    benefactor = fields.Nested(MaskedPerson)
    monthly_limit_fen = fields.Integer(allow_none=True)


class OrderSchema(Schema):
    version = fields.Integer()
    helpers = fields.List(fields.Nested(HelperSchema))


class OrderIn(In):
    binding_ids = fields.List(fields.Integer(strict=True), required=True, validate=validate.Length(max=100))


class MoveIn(In):
    to = fields.Integer(required=True, strict=True)


def if_match_version(header: str | None) -> int | None:
    """The version an If-Match names (`W/` and quotes allowed); None for `*`; 428 when absent, 412 when unreadable."""
    if header is None or not header.strip():
        raise PreconditionRequired()
    value = header.strip()
    if value == "*":
        return None
    value = value.removeprefix("W/").strip('"')
    if not VERSION.fullmatch(value):  # ASCII digits, no longer than a version can be (5,000 digits were a 500)
        raise PreconditionFailed()
    return int(value)


def _with_etag(order):
    return order, 200, {"ETag": f'"{order["version"]}"'}


@blp.route("/helpers", methods=["GET"])
@citizen_required
@blp.response(200, OrderSchema, headers={"ETag": {"schema": {"type": "string"}}})
def get_order():
    """Who pays for me, in order (0 pays first)."""
    return _with_etag(helper_order.order(g.person_id))


@blp.route("/helpers/order", methods=["PUT"])
@citizen_required
@blp.arguments(OrderIn)
@blp.response(200, OrderSchema)
@blp.doc(parameters=[{"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"}}])
def put_order(body):
    """Replace the whole order; If-Match must carry the ETag of the order being changed."""
    return _with_etag(helper_order.reorder(g.person_id, body["binding_ids"],
                                     if_match_version(request.headers.get("If-Match"))))


@blp.route("/helpers/<int(max=2147483647):binding_id>/move", methods=["POST"])
@citizen_required
@blp.arguments(MoveIn)
@blp.response(200, OrderSchema)
def move(body, binding_id):
    """Move one helper to a position (0-based)."""
    return _with_etag(helper_order.move(g.person_id, binding_id, body["to"]))
