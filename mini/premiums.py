"""Premium paid on behalf: quote, pay (idempotent), list."""
from flask import g, request
from marshmallow import Schema, fields, validate

from services.errors import InvalidRequest
from services.money import premiums

from .auth import citizen_required
from .schemas import MAX_ID, Blueprint, Id, In, MaskedPerson, PageArgs, Time, page_of

blp = Blueprint("premiums", __name__, description="Resident premium paid on behalf (代缴)")
YEARS = validate.Range(min=premiums.FIRST_YEAR, max=premiums.LAST_YEAR)


class QuoteArgs(In):
    binding_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    year = fields.Integer(required=True, validate=YEARS)


class QuoteSchema(Schema):
    amount_fen = fields.Integer(allow_none=True)
    year = fields.Integer()
    window_opens = fields.Date(allow_none=True)
    window_closes = fields.Date(allow_none=True)
    payable = fields.Boolean()
    reason = fields.String(allow_none=True)


class PayIn(In):
    binding_id = Id(required=True)
    year = fields.Integer(required=True, strict=True, validate=YEARS)


class PremiumSchema(Schema):
    id = fields.Integer()
    year = fields.Integer()
    amount_fen = fields.Integer()
    binding_id = fields.Integer()
    payer = fields.Nested(MaskedPerson)
    beneficiary = fields.Nested(MaskedPerson)
    paid_at = Time()


class ListArgs(PageArgs):
    role = fields.String(load_default=None, validate=validate.OneOf(("payer", "beneficiary")))


IDEMPOTENCY = [{"in": "header", "name": "Idempotency-Key", "required": True,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255}}]


def idempotency_key(header: str | None) -> str:
    """The Idempotency-Key a payment carries: 1 to 255 printable characters."""
    if not header or len(header) > 255 or not header.isprintable():
        raise InvalidRequest(details={"Idempotency-Key": ["must be 1 to 255 characters"]})
    return header


@blp.route("/premiums/quote", methods=["GET"])
@citizen_required
@blp.arguments(QuoteArgs, location="query")
@blp.response(200, QuoteSchema)
def quote(args):
    """The premium for a bound relative and year, and whether it can be paid now (and if not, why)."""
    return premiums.quote(g.person_id, args["binding_id"], args["year"])


@blp.route("/premiums", methods=["POST"])
@citizen_required
@blp.arguments(PayIn)
@blp.response(201, PremiumSchema)
@blp.alt_response(200, schema=PremiumSchema, description="a repeat with the same Idempotency-Key")
@blp.doc(parameters=IDEMPOTENCY)
def pay(body):
    """Pay the premium in full from my personal account (the benefactor)."""
    premium, created = premiums.pay(g.person_id, body["binding_id"], body["year"],
                                    idempotency_key(request.headers.get("Idempotency-Key")))
    return premium, 201 if created else 200


@blp.route("/premiums", methods=["GET"])
@citizen_required
@blp.arguments(ListArgs, location="query")
@blp.response(200, page_of(PremiumSchema))
def listing(args):
    """Premiums I paid, or that were paid for me."""
    return premiums.listing(g.person_id, args["role"], args["cursor"], args["limit"])
