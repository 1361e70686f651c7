"""Citizen login, identity verification, token refresh and logout, and /me."""
from flask import g
from marshmallow import Schema, fields, validate

from services.people import identity

from . import limits
from .auth import citizen_required, login_required
from .schemas import AccountSchema, Blueprint, In, PersonSchema

blp = Blueprint("identity", __name__, description="Citizen login and identity")


class LoginIn(In):
    code = fields.String(required=True, validate=validate.Length(min=1, max=256))


class TokenPair(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    verified = fields.Boolean()


class VerifyIn(In):
    id_number = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    verify_result = fields.String(load_default=None, validate=validate.Length(min=1, max=1024), metadata={
        "description": "the token of the mini-program's face check (人脸核身); required with IDENTITY_PROVIDER=wechat"})


class RefreshIn(In):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=256))


class MeSchema(Schema):
    person = fields.Nested(PersonSchema)
    account = fields.Nested(AccountSchema, allow_none=True)
    unread_messages = fields.Integer(metadata={"description": "how many of my messages are unread (the badge)"})


@blp.route("/auth/login", methods=["POST"])
@limits.login
@blp.arguments(LoginIn)
@blp.response(200, TokenPair)
def login(body):
    """Exchange the mini-program login code for tokens."""
    return identity.login(body["code"])


@blp.route("/auth/verify", methods=["POST"])
@login_required
@limits.verify
@blp.arguments(VerifyIn)
@blp.response(200, PersonSchema)
def verify(body):
    """Link this login to the insured person with this ID number and name (and, with WeChat, his face check)."""
    return identity.verify(g.login_id, body["id_number"], body["name"], body["verify_result"])


@blp.route("/auth/refresh", methods=["POST"])
@blp.arguments(RefreshIn)
@blp.response(200, TokenPair)
def refresh(body):
    """Trade a refresh token for a new pair; the old one is spent."""
    return identity.refresh(body["refresh_token"])


@blp.route("/auth/logout", methods=["POST"])
@login_required
@blp.arguments(RefreshIn)
@blp.response(204)
def logout(body):
    """Revoke the refresh token's chain."""
    identity.logout(g.login_id, body["refresh_token"])


@blp.route("/me", methods=["GET"])
@citizen_required
@blp.response(200, MeSchema)
def me():
    """Who I am and my personal account."""
    return identity.me(g.person_id)
