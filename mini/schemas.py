"""Marshmallow schemas of the contract's shared shapes (noun-specific ones live beside their blueprints)."""
import flask_smorest
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate
from webargs.flaskparser import FlaskParser

from services import masking
from services.clock import iso

from . import language


class ContractParser(FlaskParser):
    """Bad input is 400 invalid_request in our contract (webargs' default is 422)."""

    DEFAULT_VALIDATION_STATUS = 400


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint with our parser: ours alone, not every blueprint in the process."""

    ARGUMENTS_PARSER = ContractParser()

    def arguments(self, schema, *args, **kwargs):
        """As flask-smorest's, with one schema instance for every request (webargs would make one per request from
        a class; a schema holds no state of a load)."""
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)


class In(Schema):
    """Request bodies and queries: unknown fields are ignored, so newer clients keep working; no NUL anywhere."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def refuse_nul(self, data, **kwargs):
        if hasattr(data, "items"):
            bad = {k: ["must not contain NUL characters"] for k, v in data.items() if isinstance(v, str) and "\x00" in v}
            if bad:
                raise ValidationError(bad)
        return data


class Time(fields.Field):
    """ISO 8601 with the China offset, as the contract shows times."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


class StrictBoolean(fields.Boolean):
    """JSON true or false only: not 0, 1, "yes" or "true"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


class LocalName(fields.String):
    """A person's name in the reader's script: under `Accept-Language: bo` his Tibetan name (`name_bo`, from a
    Person or a {"name", "name_bo"} alike) when the registry has one. The locale is the request's, read here in the
    HTTP face, so services hand over both names and never learn a header."""

    def _serialize(self, value, attr, obj, **kwargs):
        tibetan = obj.get("name_bo") if isinstance(obj, dict) else getattr(obj, "name_bo", None)
        return super()._serialize(tibetan if tibetan and language.choose() == "bo" else value, attr, obj, **kwargs)


class MaskedName(LocalName):
    """A name as one person may see another's: services hand over the real name, the answer carries only this."""

    def _serialize(self, value, attr, obj, **kwargs):
        return masking.name(super()._serialize(value, attr, obj, **kwargs))


class MaskedIdNumber(fields.String):
    """An ID number with only its ends showing (the region and the last four)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(masking.id_number(value), attr, obj, **kwargs)


class MaskedPerson(Schema):
    """Another person as a citizen may see him (from a Person or a {"name": ...} alike)."""

    name_masked = MaskedName(attribute="name")


class PersonSchema(Schema):
    id = fields.Integer()
    name = LocalName()
    id_number_masked = MaskedIdNumber(attribute="id_number")
    insurance_type = fields.String()
    region_code = fields.String()
    status = fields.String()


class AccountSchema(Schema):
    balance_fen = fields.Integer()
    status = fields.String()


class InstitutionSchema(Schema):
    id = fields.String()
    name = fields.String()


class CounterpartySchema(MaskedPerson):
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


MAX_ID = 2**31 - 1   # ids are 32-bit integers in PostgreSQL; a larger one cannot name anything


def Id(**kw):
    """A record id in a body or query: a strict positive integer that fits the database."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kw)
