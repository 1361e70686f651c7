"""What the patient and the benefactor see of money: e-voucher, account, ledger lines, settlements."""
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from services import account, vouchers

from . import limits
from .auth import citizen_required
from .schemas import AccountSchema, CounterpartySchema, InstitutionSchema, PageArgs, Time, page_of
from .settlement_schema import SettlementPage

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


@blp.route("/vouchers", methods=["POST"])
@citizen_required
@limits.voucher
@blp.response(201, VoucherSchema)
def issue_voucher():
    """A fresh e-voucher to show at the counter (valid 60 s, one scan)."""
    return vouchers.issue(g.person_id)


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
@blp.arguments(PageArgs, location="query")
@blp.response(200, SettlementPage)
def my_settlements(args):
    """My settlements as the patient: who paid what."""
    return account.settlements(g.person_id, args["cursor"], args["limit"])
