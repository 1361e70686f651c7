"""Family proxy (亲情账户): a carer asks, the relative consents (a young child needs not), either party ends it."""
from flask import g
from marshmallow import Schema, fields, validate

from services.family import proxies
from services.models.people import RELATIONS

from .auth import citizen_required
from .schemas import Blueprint, In, MaskedPerson, PageArgs, Time, page_of

blp = Blueprint("proxies", __name__, description="Family proxy (亲情账户): show a relative's e-voucher for him")


class ProxyIn(In):
    id_number = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    relation = fields.String(required=True, validate=validate.OneOf(RELATIONS),
                             metadata={"description": "the relative's relation to me (the carer)"})
    verify_result = fields.String(load_default=None, validate=validate.Length(min=1, max=512), metadata={
        "description": "with IDENTITY_PROVIDER=wechat: the token of the relative's own face check, taken on the "
                       "carer's phone, as his consent: the proxy is active at once (422 identity_mismatch when the "
                       "check failed or was of someone else). Ignored by the dev provider"})


class ProxySchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "pending, active, declined (the relative said no) or ended"})
    relation = fields.String(metadata={"description": "the relative's relation to the carer"})
    person = fields.Nested(MaskedPerson, metadata={"description": "the relative whose voucher the carer shows"})
    carer = fields.Nested(MaskedPerson)
    created_at = Time()
    approved_at = Time(allow_none=True)
    ended_at = Time(allow_none=True)


class ProxyListArgs(PageArgs):
    role = fields.String(load_default=None, validate=validate.OneOf(("carer", "person")))


@blp.route("/proxies", methods=["POST"])
@citizen_required
@blp.arguments(ProxyIn)
@blp.response(201, ProxySchema)
def create(body):
    """Ask to show a close relative's e-voucher: a child or grandchild under 16 is active at once, others pending."""
    return proxies.create(g.person_id, body["id_number"], body["name"], body["relation"], body["verify_result"],
                          g.login_id)


@blp.route("/proxies", methods=["GET"])
@citizen_required
@blp.arguments(ProxyListArgs, location="query")
@blp.response(200, page_of(ProxySchema))
def list_proxies(args):
    """My proxies as carer or as the relative (both without role); ended ones stay listed."""
    return proxies.listing(g.person_id, args["role"], args["cursor"], args["limit"])


@blp.route("/proxies/<int(max=2147483647):proxy_id>/approve", methods=["POST"])
@citizen_required
@blp.response(200, ProxySchema)
def approve(proxy_id):
    """Consent (the relative himself; the carer gets 403)."""
    return proxies.approve(proxy_id, g.person_id)


@blp.route("/proxies/<int(max=2147483647):proxy_id>/decline", methods=["POST"])
@citizen_required
@blp.response(200, ProxySchema)
def decline(proxy_id):
    """Refuse a pending request (declined) or end an active one (ended); the relative himself."""
    return proxies.decline(proxy_id, g.person_id)


@blp.route("/proxies/<int(max=2147483647):proxy_id>", methods=["DELETE"])
@citizen_required
@blp.response(200, ProxySchema)
def end(proxy_id):
    """End the proxy at once (either party)."""
    return proxies.end(proxy_id, g.person_id)
