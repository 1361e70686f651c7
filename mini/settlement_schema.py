"""The settlement object of the contract, shared by the counter and the patient's own list."""
from marshmallow import Schema, fields

from .schemas import InstitutionSchema, MaskedPerson, Time, page_of


class AidSchema(Schema):
    binding_id = fields.Integer()
    relation = fields.String()
    benefactor = fields.Nested(MaskedPerson)
    amount_fen = fields.Integer()


class ItemLineSchema(Schema):
    code = fields.String()
    name = fields.String(allow_none=True)
    quantity = fields.Integer()
    unit_price_fen = fields.Integer()
    amount_fen = fields.Integer()
    eligible = fields.Boolean()
    eligible_fen = fields.Integer(metadata={"description": "what accounts may pay of this line: nothing off the "
                                                           "catalogue, at most quantity × price_cap_fen"})


class SettlementSchema(Schema):
    id = fields.Integer(allow_none=True)
    order_no = fields.String(allow_none=True)
    status = fields.String()
    channel = fields.String(allow_none=True, metadata={"description": "voucher, offline_voucher or card (a preview: the ticket's)"})
    total_fen = fields.Integer()
    eligible_fen = fields.Integer()
    own_account_fen = fields.Integer()
    mutual_aid_fen = fields.Integer()
    cash_fen = fields.Integer()
    mutual_aid = fields.List(fields.Nested(AidSchema))
    own_balance_after_fen = fields.Integer(allow_none=True)
    institution = fields.Nested(InstitutionSchema)
    items = fields.List(fields.Nested(ItemLineSchema))
    settled_at = Time(allow_none=True)
    reversed_at = Time(allow_none=True)


SettlementPage = page_of(SettlementSchema)  # one list shape for the patient's and the counter's lists
