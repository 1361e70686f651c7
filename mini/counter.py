"""The counter terminal of a designated institution: scan, preview, settle, look up, reverse. Signed requests."""
from flask import g
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.checkout import cards, catalogue, settlement, vouchers

from . import limits
from .auth import institution_required, institution_signed
from .schemas import Blueprint, In, MaskedIdNumber, MaskedPerson, Time
from .settlement_schema import SettlementSchema

blp = Blueprint("counter", __name__, description="Counter terminals of designated institutions (signed)")


class ScanIn(In):
    """Exactly one of the two: the e-voucher's scanned payload, or the number the card reader read."""

    voucher = fields.String(validate=validate.Length(min=1, max=512))
    card_no = fields.String(validate=validate.Length(min=1, max=64),
                            metadata={"description": "the medical-insurance card (医保卡); its PIN checked by the reader"})

    @validates_schema
    def exactly_one(self, data, **kwargs):
        if ("voucher" in data) == ("card_no" in data):
            why = ["give exactly one of voucher and card_no"]
            raise ValidationError({"voucher": why, "card_no": why})


class PatientSchema(MaskedPerson):
    id_number_masked = MaskedIdNumber(attribute="id_number")
    insurance_type = fields.String()


class ScanOut(Schema):
    ticket = fields.String()
    expires_at = Time()
    patient = fields.Nested(PatientSchema)


class ItemIn(In):
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(load_default=None, validate=validate.Length(max=128))
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10_000))
    unit_price_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=10_000_000))


class PreviewIn(In):
    ticket = fields.String(required=True, validate=validate.Length(min=1, max=128))
    items = fields.List(fields.Nested(ItemIn), required=True, validate=validate.Length(min=1, max=100))
    use_accounts = fields.Boolean(load_default=True)


class SettleIn(PreviewIn):
    order_no = fields.String(required=True, validate=validate.Regexp(settlement.ORDER_NO))


class CatalogueItemSchema(Schema):
    code = fields.String()
    name = fields.String()
    eligible = fields.Boolean()
    price_cap_fen = fields.Integer(allow_none=True, metadata={"description": "payment standard per unit; null: none"})


class CatalogueOut(Schema):
    items = fields.List(fields.Nested(CatalogueItemSchema))


class ReverseIn(In):
    reason = fields.String(load_default=None, validate=validate.Length(max=255))


@blp.route("/counter/scan", methods=["POST"])
@blp.response(200, ScanOut)
@institution_signed
@limits.counter
@blp.arguments(ScanIn)
def scan(body, nonce):
    """Scan a patient's e-voucher (it is spent) or read his card: this institution gets a ticket for 10 minutes."""
    if "card_no" in body:
        return cards.scan(g.institution_id, body["card_no"], nonce=nonce)
    return vouchers.scan(g.institution_id, body["voucher"], nonce=nonce)


@blp.route("/counter/settlements/preview", methods=["POST"])
@institution_required
@limits.counter
@blp.arguments(PreviewIn)
@blp.response(200, SettlementSchema)
def preview(body):
    """The split this bill would get now; nothing moves."""
    return settlement.preview(g.institution_id, body["ticket"], body["items"], body["use_accounts"])


@blp.route("/counter/settlements", methods=["POST"])
@blp.response(201, SettlementSchema)
@blp.alt_response(200, schema=SettlementSchema, description="a repeat of the same order_no and body")
@institution_signed
@limits.counter
@limits.settlement
@blp.arguments(SettleIn)
def settle(body, nonce):
    """Settle: own account first, then helpers in the patient's order, then cash; all or nothing."""
    result, created = settlement.settle(g.institution_id, body["ticket"], body["order_no"], body["items"],
                                        body["use_accounts"], nonce=nonce)
    return result, 201 if created else 200


# `path`: an order number may hold "/"; POST .../reverse cannot be mistaken for GET of "<order_no>/reverse".
@blp.route("/counter/settlements/<path:order_no>", methods=["GET"])
@institution_required
@limits.counter
@blp.response(200, SettlementSchema)
def show(order_no):
    """One of this institution's settlements."""
    return settlement.show(g.institution_id, order_no)


@blp.route("/counter/settlements/<path:order_no>/reverse", methods=["POST"])
@institution_required
@limits.counter
@blp.arguments(ReverseIn)
@blp.response(200, SettlementSchema)
def reverse(body, order_no):
    """Refund: the money returns to exactly the accounts that paid, once."""
    return settlement.reverse(g.institution_id, order_no, body["reason"])


@blp.route("/counter/catalogue", methods=["GET"])
@institution_required
@limits.counter
@blp.response(200, CatalogueOut)
def catalogue_items():
    """The medical-insurance catalogue the backend decides eligibility by."""
    return {"items": catalogue.listing()}
