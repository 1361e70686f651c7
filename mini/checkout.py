"""What the patient and the benefactor see of money: e-voucher, account, ledger lines, settlements."""
from flask import g
from marshmallow import Schema, fields, validate

from services.checkout import vouchers
from services.family import usage
from services.money import account

from . import limits
from .auth import citizen_required
from .schemas import (MAX_ID, AccountSchema, Blueprint, CounterpartySchema, Id, In, InstitutionSchema, MaskedPerson,
                      PageArgs, Time, page_of)
from .settlement_schema import SettlementPage

blp = Blueprint("checkout", __name__, description="E-voucher, account and statements")


class VoucherSchema(Schema):
    payload = fields.String()
    expires_at = Time()
    qr_png = fields.String(metadata={"description": "data:image/png;base64, URI of the payload's QR code"})


class OfflineCodesSchema(Schema):
    codes = fields.List(fields.String(), metadata={"description": "one-time codes (48 letters and digits each, "
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


class ProxyChoice(In):
    proxy_id = Id(load_default=None, allow_none=True, metadata={
        "description": "a proxy of which I am the carer: the voucher or book is that relative's (亲情账户)"})


class ProxyQuery(In):
    proxy_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "a proxy of which I am the carer: that relative's book"})


class SettlementListArgs(PageArgs):
    proxy_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "list the settlements of the relative of my active proxy instead of mine"})


@blp.route("/vouchers", methods=["POST"])
@citizen_required
@limits.voucher
@blp.arguments(ProxyChoice, required=False)
@blp.response(201, VoucherSchema)
def issue_voucher(body):
    """A fresh e-voucher to show at the counter (valid 60 s, one scan): mine, or with proxy_id my relative's."""
    return vouchers.issue(g.person_id, body.get("proxy_id"), g.login_id)


@blp.route("/vouchers/offline", methods=["POST"])
@citizen_required
@limits.offline_voucher
@blp.arguments(ProxyChoice, required=False)
@blp.response(201, OfflineBookSchema)
def issue_offline_book(body):
    """A book of one-time codes for when the phone has no network (mine, or with proxy_id my relative's); the unspent
    codes of the previous book are revoked."""
    return vouchers.issue_offline(g.person_id, body.get("proxy_id"), g.login_id)


@blp.route("/vouchers/offline", methods=["GET"])
@citizen_required
@blp.arguments(ProxyQuery, location="query")
@blp.response(200, OfflineCodesSchema)
def offline_book(args):
    """The codes of my (or my relative's) current offline book that no counter has scanned yet."""
    return vouchers.offline_book(g.person_id, args["proxy_id"])


@blp.route("/account", methods=["GET"])
@citizen_required
@blp.response(200, AccountSchema)
def my_account():
    """My personal account (404 without one)."""
    return account.of(g.person_id)


class SummaryArgs(In):
    month = fields.String(load_default=None, validate=validate.Regexp(r"^20\d\d-(0[1-9]|1[0-2])$"),
                          metadata={"description": "YYYY-MM (China time); default this month"})


class SummaryItem(Schema):
    binding_id = fields.Integer()
    beneficiary = fields.Nested(MaskedPerson)
    relation = fields.String()
    status = fields.String()
    paid_fen = fields.Integer(metadata={"description": "aid my account paid for this relative, reversals deducted"})
    settlements = fields.Integer(metadata={"description": "how many settlements it paid into"})


class SummarySchema(Schema):
    month = fields.String()
    total_fen = fields.Integer()
    items = fields.List(fields.Nested(SummaryItem))


@blp.route("/account/summary", methods=["GET"])
@citizen_required
@blp.arguments(SummaryArgs, location="query")
@blp.response(200, SummarySchema)
def summary(args):
    """What my account paid for each relative in a month (a benefactor), reversals deducted."""
    return usage.summary(g.person_id, args["month"])


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
@blp.response(200, SettlementPage)
def my_settlements(args):
    """My settlements as the patient (or, with proxy_id, my relative's): who paid what."""
    return account.settlements(g.person_id, args["cursor"], args["limit"], args["proxy_id"])
