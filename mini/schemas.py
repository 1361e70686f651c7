"""Marshmallow schemas of the contract's shared shapes (noun-specific ones live beside their blueprints)."""
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate

from services import masking
from services.clock import iso


# Bad input is 400 invalid_request in our contract (webargs' default is 422); set before any view is declared.
Blueprint.ARGUMENTS_PARSER.DEFAULT_VALIDATION_STATUS = 400


class In(Schema):
    """Request bodies: unknown fields are ignored, so newer clients keep working."""

    class Meta:
        unknown = EXCLUDE


class Time(fields.Field):
    """ISO 8601 with the China offset, as the contract shows times."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


class Strict(fields.Integer):
    def __init__(self, **kw):
        super().__init__(strict=True, **kw)


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


class MaskedPerson(Schema):
    """Another person as a citizen may see him."""

    name_masked = fields.Function(lambda p: masking.name(p.name))


class MaskedPersonWithId(MaskedPerson):
    id_number_masked = fields.Function(lambda p: masking.id_number(p.id_number))


class PersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    id_number_masked = fields.Function(lambda p: masking.id_number(p.id_number))
    insurance_type = fields.String()
    region_code = fields.String()
    status = fields.String()


class AccountSchema(Schema):
    balance_fen = fields.Integer()
    status = fields.String()


class InstitutionSchema(Schema):
    id = fields.String()
    name = fields.String()


class CounterpartySchema(Schema):
    name_masked = fields.String()
    relation = fields.String(allow_none=True)


def page_of(item_schema):
    """The contract's list shape: {items, next_cursor}."""

    class Page(Schema):
        items = fields.List(fields.Nested(item_schema))
        next_cursor = fields.String(allow_none=True)

    Page.__name__ = f"{item_schema.__name__.removesuffix('Schema')}Page"
    return Page


class PageArgs(In):
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


ID_NUMBER = fields.String(required=True, validate=validate.Length(min=1, max=32))
