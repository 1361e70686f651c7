"""Invitations and bindings: the benefactor invites with a QR code, the relative answers, either party unbinds."""
from flask import Response, g
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services import qr
from services.clock import now
from services.family import bindings, invitations
from services.models.people import RELATIONS

from .auth import citizen_required
from .schemas import Blueprint, In, MaskedIdNumber, MaskedName, MaskedPerson, PageArgs, StrictBoolean, Time, page_of

blp = Blueprint("family", __name__, description="Invitations and bindings (家庭共济绑定)")


class InviteIn(In):
    relation = fields.String(required=True, validate=validate.OneOf(RELATIONS))
    invitee_id_number = fields.String(load_default=None, validate=validate.Length(min=1, max=32))
    invitee_name = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


class InviteeSchema(Schema):
    name_masked = MaskedName(attribute="invitee_name")
    id_number_masked = MaskedIdNumber(attribute="invitee_id_number")


class InvitationSchema(Schema):
    code = fields.String()
    relation = fields.String()
    status = fields.Function(lambda i: i.current_status(now()))
    created_at = Time()
    expires_at = Time()
    qr_content = fields.Function(lambda i: invitations.link(i.code))
    qr_png_url = fields.Function(lambda i: f"/api/v1/invitations/{i.code}/qr.png")
    benefactor = fields.Nested(MaskedPerson)
    invitee = fields.Function(lambda i: InviteeSchema().dump(i) if i.invitee_id_number else None)


class BindingSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    relation = fields.String()
    benefactor = fields.Nested(MaskedPerson)
    beneficiary = fields.Nested(MaskedPerson)
    monthly_limit_fen = fields.Integer(allow_none=True)
    used_this_month_fen = fields.Integer(metadata={
        "description": "aid paid for this binding in the current China-time month, reversals deducted"})
    allow_card = fields.Boolean(metadata={"description": "whether card (医保卡) settlements may draw on the account"})
    position = fields.Integer(allow_none=True)
    created_at = Time()
    ended_at = Time(allow_none=True)
    end_reason = fields.String(allow_none=True)


class AcceptedBindingSchema(BindingSchema):
    """The binding just made, with where the new helper landed in the beneficiary's order."""

    helper_position = fields.Function(lambda b: b.position,
                                      metadata={"type": "integer", "description": "0-based place in my order"})
    helpers_count = fields.Integer(metadata={"description": "how many active helpers I have now"})


class InvitationListArgs(PageArgs):
    role = fields.String(load_default="sent", validate=validate.OneOf(("sent", "received")))


class BindingListArgs(PageArgs):
    role = fields.String(load_default=None, validate=validate.OneOf(("benefactor", "beneficiary")))


class BindingChangeIn(In):
    """Each field optional, at least one."""

    monthly_limit_fen = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0, max=100_000_000))
    allow_card = StrictBoolean()

    @validates_schema
    def at_least_one(self, data, **kwargs):
        if not data:
            why = ["give monthly_limit_fen, allow_card or both"]
            raise ValidationError({"monthly_limit_fen": why, "allow_card": why})


@blp.route("/invitations", methods=["POST"])
@citizen_required
@blp.arguments(InviteIn)
@blp.response(201, InvitationSchema)
def invite(body):
    """Invite a relative (optionally named) to be paid for from my personal account."""
    return invitations.invite(g.person_id, body["relation"], body["invitee_id_number"], body["invitee_name"])


@blp.route("/invitations", methods=["GET"])
@citizen_required
@blp.arguments(InvitationListArgs, location="query")
@blp.response(200, page_of(InvitationSchema))
def list_invitations(args):
    """Invitations I sent, or received (naming me, or answered by me); newest first."""
    return invitations.listing(g.person_id, args["role"], args["cursor"], args["limit"])


@blp.route("/invitations/<code>", methods=["GET"])
@citizen_required
@blp.response(200, InvitationSchema)
def show_invitation(code):
    """Who invites me, as what (the holder of the code)."""
    return invitations.show(code, g.person_id)


@blp.route("/invitations/<code>/qr.png", methods=["GET"])
@citizen_required
@blp.response(200, description="image/png of qr_content", content_type="image/png")
def invitation_qr(code):
    """The invitation's QR code (the benefactor only)."""
    png = qr.png(invitations.qr_png_for(code, g.person_id))
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})


@blp.route("/invitations/<code>/accept", methods=["POST"])
@citizen_required
@blp.response(201, AcceptedBindingSchema)
def accept(code):
    """Accept: I become the beneficiary; the benefactor joins the end of my helper order (helper_position)."""
    return invitations.accept(code, g.person_id)


@blp.route("/invitations/<code>/decline", methods=["POST"])
@citizen_required
@blp.response(200, InvitationSchema)
def decline(code):
    """Decline an invitation (the invited relative)."""
    return invitations.decline(code, g.person_id)


@blp.route("/invitations/<code>/cancel", methods=["POST"])
@citizen_required
@blp.response(200, InvitationSchema)
def cancel(code):
    """Cancel a pending invitation (the benefactor)."""
    return invitations.cancel(code, g.person_id)


@blp.route("/bindings", methods=["GET"])
@citizen_required
@blp.arguments(BindingListArgs, location="query")
@blp.response(200, page_of(BindingSchema))
def list_bindings(args):
    """My bindings as benefactor or beneficiary (both without role); ended ones stay listed."""
    return bindings.listing(g.person_id, args["role"], args["cursor"], args["limit"])


@blp.route("/bindings/<int(max=2147483647):binding_id>", methods=["PATCH"])
@citizen_required
@blp.arguments(BindingChangeIn)
@blp.response(200, BindingSchema)
def change_binding(body, binding_id):
    """Set or clear the monthly limit, allow or refuse card payments (the benefactor)."""
    return bindings.change(binding_id, g.person_id, body)


@blp.route("/bindings/<int(max=2147483647):binding_id>", methods=["DELETE"])
@citizen_required
@blp.response(200, BindingSchema)
def unbind(binding_id):
    """End the binding (either party)."""
    return bindings.unbind(binding_id, g.person_id)
