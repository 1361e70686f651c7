"""What the patient and the benefactor see of money: e-voucher, account, ledger lines, settlements."""
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from services import account, vouchers

from . import limits
from .auth import citizen_required
from .schemas import AccountSchema, CounterpartySchema, InstitutionSchema, PageArgs, Time, page_of
from .settlement_schema import SettlementSchema

blp = Blueprint("checkout", __name__, description="E-voucher, account and statements")


class VoucherSchema(Schema):
    payload = fields.String()
    expires_at = Time()
    qr_png = fields.String(metadata={"description": "data:image/png;base64, URI of the payload's QR code"})


class OfflineCodesSchema(Schema):
    codes = fields.List(fields.String(), metadata={"description": "one-time codes (each ≤ 120 characters, "
                                                                 "scanned like an e-voucher)"})
    expires_at = Time(allow_none=True, metadata={"description": "when every code of the book expires; null "
                                                                "when no code is left"})


class OfflineBookSchema(OfflineCodesSchema):
    qr_pngs = fields.List(fields.String(), metadata={"description": "data:image/png;base64, URI of each code's "
                                                                    "QR, in the order of `codes`"})


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


@blp.route("/vouchers/offline", methods=["POST"])
@citizen_required
@limits.offline_voucher
@blp.response(201, OfflineBookSchema)
def issue_offline_book():
    """A book of one-time codes for when the phone has no network; unspent codes of my previous book are revoked."""
    return vouchers.issue_offline(g.person_id)


@blp.route("/vouchers/offline", methods=["GET"])
@citizen_required
@blp.response(200, OfflineCodesSchema)
def offline_book():
    """The codes of my current offline book that no counter has scanned yet (expired and revoked ones left out)."""
    return vouchers.offline_book(g.person_id)


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
@blp.response(200, page_of(SettlementSchema))
def my_settlements(args):
    """My settlements as the patient: who paid what."""
    return account.settlements(g.person_id, args["cursor"], args["limit"])
