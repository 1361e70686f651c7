"""Citizen login: provider code -> login, link to an insured person, token pairs."""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import idnumber, names, providers, settings
from ..db import db, writes
from ..errors import Conflict, Forbidden, InvalidRequest, NotFound, Refused, Unauthenticated
from ..models import Login, Message, Person
from ..notify import messages
from . import face_checks, revocation, tokens

TAKEN_OVER = "this login was unlinked: the person proved his identity with a face check on another login"
UNLINKED = "this login was unlinked by an administrator; verify again"


def _pair(login: Login, family=None, chain_started_at=None) -> dict:
    return {
        "access_token": tokens.issue_access(login.id),
        "refresh_token": tokens.issue_refresh(login.id, family, chain_started_at),
        "token_type": "Bearer",
        "expires_in": tokens.access_ttl(),
        "verified": login.person_id is not None,
    }


def login(code: str) -> dict:
    """Exchange a mini-program login code for a token pair; the first login creates the login record."""
    # The provider is asked before the transaction begins: no lock is held across a network call.
    return _login(settings.get("IDENTITY_PROVIDER"), providers.openid_for(code))


@writes
def _login(name: str, openid: str) -> dict:
    row = db.session.scalar(select(Login).where(Login.provider == name, Login.openid == openid))
    if row is None:
        row = Login(provider=name, openid=openid)
        db.session.add(row)
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:  # a concurrent first login of the same openid won
            row = db.session.scalar(select(Login).where(Login.provider == name, Login.openid == openid))
    return _pair(row)


def verify(login_id: int, id_number: str, name: str, verify_result: str | None = None) -> Person:
    """Link this login to the insured person whose ID number and name match; with WeChat, his face check too."""
    id_number, name = idnumber.validate(id_number), (name or "").strip()
    face_checked = settings.get("IDENTITY_PROVIDER") == "wechat"
    if face_checked:
        if not verify_result:
            raise InvalidRequest(details={"verify_result": ["required with the WeChat identity provider"]})
        # Asked before the transaction begins: no lock is held across a network call.
        if not face_checks.proves(verify_result, login_id, id_number, name):
            raise Refused("identity_mismatch")
    return _link(login_id, id_number, name, verify_result if face_checked else None)


@writes
def _link(login_id: int, id_number: str, name: str, verify_result: str | None) -> Person:
    face_checked = verify_result is not None
    login = db.session.get(Login, login_id, with_for_update=True)
    if login is None:
        raise Unauthenticated()
    if face_checked:
        face_checks.spend(verify_result, login_id)
    person = db.session.scalar(select(Person).where(Person.id_number == id_number))
    if person is None or not names.matches(person, name):
        raise Refused("identity_mismatch")
    if login.person_id is not None:
        raise Conflict("already_linked")
    holder = db.session.scalar(select(Login).where(Login.person_id == person.id).with_for_update())
    if holder is not None:
        if holder.face_checked or not face_checked:
            raise Conflict("already_linked")
        _unlink(holder, TAKEN_OVER)  # a proven claim wins over an unproven one
        messages.notify(person.id, "identity_taken_over")
    login.person_id, login.face_checked, login.notice = person.id, face_checked, None
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict("already_linked")
    return person


def _unlink(login: Login, notice: str) -> int:
    """Take the person from a login and sign it out everywhere, revoking what it issued; how many refresh tokens."""
    revocation.issued_by(login.id, login.person_id)
    login.person_id, login.face_checked, login.notice = None, False, notice
    db.session.flush()  # the person is free before anyone else links him (unique person_id)
    return tokens.revoke_login(login.id)


@writes
def unlink(id_number: str) -> dict:
    """The administrators' recovery path: unlink a person from his login and revoke that login's refresh tokens."""
    id_number = idnumber.validate(id_number)
    person = db.session.scalar(select(Person).where(Person.id_number == id_number))
    login = person and db.session.scalar(select(Login).where(Login.person_id == person.id).with_for_update())
    if login is None:
        raise NotFound(details={"id_number": ["no login is linked to a person with this ID number"]})
    revoked = _unlink(login, UNLINKED)
    return {"person": person.name, "login": f"{login.provider}:{login.openid}", "revoked": revoked}


@writes
def refresh(refresh_token: str) -> dict:
    """Rotate a refresh token; presenting a spent one revokes every token of its chain."""
    row = tokens.spend_refresh(refresh_token)
    if row is None:
        tokens.revoke_family(tokens.family_of(refresh_token))
        raise Unauthenticated(keep_changes=True)
    return _pair(db.session.get(Login, row.login_id), row.family, row.chain_started_at)


@writes
def logout(login_id: int, refresh_token: str) -> None:
    """Revoke the chain of the given refresh token, if it is this login's, and what this login issued."""
    family = tokens.family_of(refresh_token)
    if family and tokens.family_owner(family) == login_id:
        tokens.revoke_family(family)
    revocation.issued_by(login_id, db.session.scalar(select(Login.person_id).where(Login.id == login_id)))


def person_id_of(login_id: int) -> int:
    """The person this login speaks for, or 403 verification_required."""
    row = db.session.execute(select(Login.id, Login.person_id, Login.notice).where(Login.id == login_id)).first()
    if row is None:
        raise Unauthenticated()
    if row.person_id is None:
        # the notice says why this login lost its link
        raise Forbidden("verification_required", details={"notice": row.notice} if row.notice else None)
    return row.person_id


def me(person_id: int) -> dict:
    """Who I am, my account, and how many of my messages I have not read (the badge)."""
    person = db.session.get(Person, person_id)
    unread = db.session.scalar(select(func.count(Message.id)).where(
        Message.person_id == person_id, Message.read_at.is_(None)))
    return {"person": person, "account": person.account, "unread_messages": unread}
