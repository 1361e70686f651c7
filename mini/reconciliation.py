"""Reconciliation (对账) at the counter: a China date's totals, its settlements, and a check of the counter's own
figures. Signed requests; an institution sees only its own."""
import re
from datetime import date

from flask import g
from marshmallow import Schema, fields, validate

from services.models.checkout import CHANNELS
from services.money import reconciliation

from . import limits
from .auth import institution_required
from .schemas import Blueprint, In, PageArgs
from .settlement_schema import SettlementPage

blp = Blueprint("reconciliation", __name__, description="Daily reconciliation (对账) of a counter (signed)")

FEN = validate.Range(min=0, max=2**63 - 1)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Day(fields.Date):
    """Exactly YYYY-MM-DD (Python alone would also take 20260310)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not DAY.fullmatch(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class DateArgs(In):
    date = Day(required=True, validate=validate.Range(min=date(1900, 1, 1), max=date(9998, 12, 31)),
               metadata={"description": "a China date, YYYY-MM-DD (1900 to 9998)"})


class DetailsArgs(DateArgs, PageArgs):
    pass


class Totals(Schema):
    count = fields.Integer()
    total_fen = fields.Integer()
    own_account_fen = fields.Integer()
    mutual_aid_fen = fields.Integer()
    cash_fen = fields.Integer()


ByChannel = Schema.from_dict({c: fields.Nested(Totals) for c in CHANNELS}, name="ByChannel")


class SummaryOut(Schema):
    date = fields.Date()
    settled = fields.Nested(Totals, metadata={"description": "settled that date, reversed later or not"})
    reversed = fields.Nested(Totals, metadata={"description": "reversals made that date, of any day's settlements"})
    by_channel = fields.Nested(ByChannel, metadata={"description": "the settled ones by channel; every channel, "
                                                                   "zeros when none"})


class TheirTotals(In):
    count = fields.Integer(required=True, strict=True, validate=FEN)
    total_fen = fields.Integer(required=True, strict=True, validate=FEN)
    own_account_fen = fields.Integer(required=True, strict=True, validate=FEN)
    mutual_aid_fen = fields.Integer(required=True, strict=True, validate=FEN)


class CheckIn(DateArgs):
    settled = fields.Nested(TheirTotals, required=True)


class Difference(Schema):
    ours = fields.Integer()
    yours = fields.Integer()


class CheckOut(Schema):
    matched = fields.Boolean()
    differences = fields.Dict(keys=fields.String(), values=fields.Nested(Difference),
                              metadata={"description": "each field that differs; empty when matched"})


@blp.route("/counter/reconciliation", methods=["GET"])
@institution_required
@limits.counter
@blp.arguments(DateArgs, location="query")
@blp.response(200, SummaryOut)
def summary(args):
    """The date's totals: settled, reversed, and settled by channel."""
    return reconciliation.summary(g.institution_id, args["date"])


@blp.route("/counter/reconciliation/details", methods=["GET"])
@institution_required
@limits.counter
@blp.arguments(DetailsArgs, location="query")
@blp.response(200, SettlementPage)
def details(args):
    """The date's settlements: settled that date, or reversed that date (an older one included), newest first."""
    return reconciliation.details(g.institution_id, args["date"], args["cursor"], args["limit"])


@blp.route("/counter/reconciliation", methods=["POST"])
@institution_required
@limits.counter
@blp.arguments(CheckIn)
@blp.response(200, CheckOut)
def check(body):
    """Check the counter's settled totals for the date against ours."""
    return reconciliation.check(g.institution_id, body["date"], body["settled"])
