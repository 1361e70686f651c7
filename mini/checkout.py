"""What the patient and the benefactor see of money: e-voucher, account, ledger lines, settlements."""
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services import account, vouchers

from . import limits
from .auth import citizen_required
from .schemas import MAX_ID, AccountSchema, CounterpartySchema, Id, In, InstitutionSchema, PageArgs, Time, page_of
from .settlement_schema import SettlementSchema

blp = Blueprint("checkout", __name__, description="E-voucher, account and statements")


class VoucherSchema(Schema):
    payload = fields.String()
    expires_at = Time()
    qr_png = fields.String(metadata={"description": "data:image/png;base64, URI of the payload's QR code"})


class EntrySchema(Schema):
    id = fields.Integer()
    at = Time()
    amount_fen = fields.Integer()
    balance_after_fen = fields.Integer()
    kind = fields.String()
    counterparty = fields.Nested(CounterpartySchema, allow_none=True)
    institution = fields.Nested(InstitutionSchema, allow_none=True)
    order_no = fields.String(allow_none=True)
    channel = fields.String(allow_none=True, metadata={"description": "how a settlement line was paid: voucher, "
                                                                      "offline_voucher or card"})


class VoucherIn(In):
    proxy_id = Id(load_default=None, allow_none=True, metadata={
        "description": "a proxy of which I am the carer: the voucher is that relative's (亲情账户)"})


class SettlementListArgs(PageArgs):
    proxy_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "list the settlements of the relative of my active proxy instead of mine"})


@blp.route("/vouchers", methods=["POST"])
@citizen_required
@limits.voucher
@blp.arguments(VoucherIn, required=False)
@blp.response(201, VoucherSchema)
def issue_voucher(body):
    """A fresh e-voucher to show at the counter (valid 60 s, one scan): mine, or with proxy_id my relative's."""
    return vouchers.issue(g.person_id, body.get("proxy_id"))


@blp.route("/account", methods=["GET"])
@citizen_required
@blp.response(200, AccountSchema)
def my_account():
    """My personal account (404 without one)."""
    return account.of(g.person_id)


@blp.route("/account/entries", methods=["GET"])
@citizen_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(EntrySchema))
def entries(args):
    """Every change of my balance, newest first, with the relative it paid for."""
    return account.entries(g.person_id, args["cursor"], args["limit"])


@blp.route("/settlements", methods=["GET"])
@citizen_required
@blp.arguments(SettlementListArgs, location="query")
@blp.response(200, page_of(SettlementSchema))
def my_settlements(args):
    """My settlements as the patient (or, with proxy_id, my relative's): who paid what."""
    return account.settlements(g.person_id, args["cursor"], args["limit"], args["proxy_id"])
