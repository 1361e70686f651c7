"""Family proxy (亲情账户, RULES.md "Second release"): a close relative shows the e-voucher of someone without a phone."""
from datetime import timedelta

from sqlalchemy import func, select

from .. import idnumber, masking, names, paging, settings
from ..clock import china_today, now
from ..db import db, writes
from ..errors import Conflict, Forbidden, NotFound, Refused
from ..models import Message, Person, Proxy
from ..models.people import REVERSE
from ..notify import messages
from ..people import face_checks, revocation
from . import attempts, eligibility

MAX_ACTIVE = 5           # active proxies per carer (API.md v1.1)
CONSENT_AGE = 16         # a child or grandchild younger than this needs no consent of his own
YOUNG_RELATIONS = ("child", "grandchild")
SHOWING = timedelta(minutes=10)  # one visit to the counter: the voucher, its refreshes and the offline book


def _require_no_live_proxy(carer_id: int, person_id: int):
    if db.session.scalar(select(Proxy.id).where(Proxy.carer_id == carer_id, Proxy.person_id == person_id,
                                                Proxy.status.in_(("pending", "active")))):
        raise Conflict("already_bound")


def _require_room(carer_id: int):
    active = db.session.scalar(select(func.count()).select_from(Proxy).where(
        Proxy.carer_id == carer_id, Proxy.status == "active"))
    if active >= MAX_ACTIVE:
        raise Refused("too_many_proxies", details={"max_proxies": [str(MAX_ACTIVE)]})


def needs_no_consent(person: Person, relation: str) -> bool:
    """A child or grandchild under 16 (by the ID number's birth date, China time) cannot be asked."""
    return relation in YOUNG_RELATIONS and idnumber.age_on(person.id_number, china_today()) < CONSENT_AGE


def _names(proxy: Proxy) -> dict:
    """A proxy message's parameters: the carer and the relative masked, what the carer is to the relative."""
    return {"carer": masking.name(proxy.carer.name), "relative": masking.name(proxy.person.name),
            "role": REVERSE[proxy.relation]}


def create(carer_id: int, id_number: str, name: str, relation: str, verify_result: str | None = None,
           login_id: int | None = None) -> Proxy:
    """The carer names his relative; a young child is active at once, anyone else waits for his own consent —
    unless (with the WeChat provider) the relative's own face check, taken on the carer's phone, proves it now.
    20 attempts an hour, refused ones too (services/family/attempts.py): the registry is no oracle."""
    attempts.count(carer_id, "proxy")  # its own transaction: a refused attempt still counts
    eligibility.require_relation(relation)
    id_number = idnumber.validate(id_number)
    face_consent = bool(verify_result) and settings.get("IDENTITY_PROVIDER") == "wechat"
    # Asked before the transaction begins, as verify does: no lock is held across a network call.
    if face_consent and not face_checks.proves(verify_result, login_id, id_number, (name or "").strip()):
        raise Refused("identity_mismatch")
    return _create(carer_id, id_number, name, relation, (verify_result, login_id) if face_consent else None)


@writes
def _create(carer_id: int, id_number: str, name: str, relation: str, face: tuple | None) -> Proxy:
    face_consent = face is not None
    if face_consent:
        face_checks.spend(*face)  # good once: a consent cannot be shown twice
    person = db.session.scalar(select(Person).where(Person.id_number == id_number))
    if person is not None:
        eligibility.require_not_self(carer_id, person.id)
    if person is None or not names.matches(person, name):
        raise Refused("identity_mismatch")
    people = eligibility.lock_persons(carer_id, person.id)
    try:
        eligibility.require_kinship(people[carer_id], person, relation)
    except Refused:  # one answer for a wrong name and a wrong relation: the registry tells nothing
        raise Refused("identity_mismatch")
    _require_no_live_proxy(carer_id, person.id)
    _require_room(carer_id)
    at = now()
    young = needs_no_consent(person, relation)
    consented = young or face_consent
    proxy = Proxy(carer_id=carer_id, person_id=person.id, relation=relation, created_at=at,
                  status="active" if consented else "pending", approved_at=at if consented else None)
    db.session.add(proxy)
    db.session.flush()
    params = _names(proxy)
    kind, how = ("proxy_approved", "_young") if young else ("proxy_approved", "_face") if face_consent else (
        "proxy_requested", "")  # how he consented decides what each of them is told
    messages.notify(carer_id, kind, "carer" + how, {**params, "age": CONSENT_AGE})
    messages.notify(person.id, kind, "person" + how, params)
    return proxy


def _visible(proxy_id: int, person_id: int, for_update=False) -> Proxy:
    """A proxy of which this person is the carer or the relative; anyone else gets 404."""
    proxy = db.session.get(Proxy, proxy_id, with_for_update=for_update)
    if proxy is None or person_id not in (proxy.carer_id, proxy.person_id):
        raise NotFound()
    return proxy


def _answering(proxy_id: int, person_id: int) -> Proxy:
    """The relative answers his own pending request; the carer may not answer for him (403)."""
    proxy = _visible(proxy_id, person_id, for_update=True)
    if proxy.person_id != person_id:
        raise Forbidden()
    return proxy


@writes
def approve(proxy_id: int, person_id: int) -> Proxy:
    """The relative consents from his own login; approving again answers the same proxy."""
    proxy = _answering(proxy_id, person_id)
    if proxy.status == "active":
        return proxy
    if proxy.status != "pending":
        raise Refused("proxy_not_active")   # declined, withdrawn or ended: the carer may ask again
    eligibility.lock_persons(proxy.carer_id, proxy.person_id)
    _require_room(proxy.carer_id)
    proxy.status, proxy.approved_at = "active", now()
    messages.notify(proxy.carer_id, "proxy_approved", "carer", _names(proxy))
    messages.notify(person_id, "proxy_approved", "person", _names(proxy))
    return proxy


@writes
def decline(proxy_id: int, person_id: int) -> Proxy:
    """The relative refuses a pending request (`declined`), or ends an active one (`ended`); again changes nothing."""
    proxy = _answering(proxy_id, person_id)
    if proxy.status == "pending":
        proxy.status, proxy.ended_at = "declined", now()
        messages.notify(proxy.carer_id, "proxy_declined", "carer", _names(proxy))
        messages.notify(person_id, "proxy_declined", "person", _names(proxy))
    elif proxy.status == "active":
        _end(proxy, person_id)
    return proxy


@writes
def end(proxy_id: int, person_id: int) -> Proxy:
    """Either party ends a pending or active proxy at once; ending again changes nothing."""
    proxy = _visible(proxy_id, person_id, for_update=True)
    if proxy.status in ("pending", "active"):
        _end(proxy, person_id)
    return proxy


def _end(proxy: Proxy, by: int):
    proxy.status, proxy.ended_at = "ended", now()
    revocation.under_proxy(proxy.id)  # what the carer took through it dies with it
    messages.notify(proxy.carer_id, "proxy_ended", "carer_self" if by == proxy.carer_id else "carer_other",
                    _names(proxy))
    messages.notify(proxy.person_id, "proxy_ended", "person_self" if by == proxy.person_id else "person_other",
                    _names(proxy))


def listing(person_id: int, role: str | None, cursor=None, limit=20):
    """My proxies as carer or as the relative (both without role), newest first; ended ones stay listed."""
    cond = paging.mine(person_id, role, {"carer": Proxy.carer_id, "person": Proxy.person_id})
    return paging.page(select(Proxy).where(cond), Proxy.id, cursor, limit)


def active_for(carer_id: int, proxy_id: int, for_update=False) -> Proxy:
    """The carer's proxy, if active (caller's transaction): 404 when not his, 422 proxy_not_active otherwise."""
    proxy = db.session.get(Proxy, proxy_id, with_for_update=for_update)
    if proxy is None or proxy.carer_id != carer_id:
        raise NotFound()
    if proxy.status != "active":
        raise Refused("proxy_not_active")
    return proxy


def patient_for(carer_id: int, proxy_id: int) -> int:
    """Whose voucher the carer may show now (caller's transaction); the relative is told (voucher_by_proxy)."""
    proxy = active_for(carer_id, proxy_id, for_update=True)  # an end racing this waits, or wins and refuses us
    params = _names(proxy)
    told = db.session.scalars(select(Message.params).where(
        Message.person_id == proxy.person_id, Message.kind == "voucher_by_proxy", Message.at > now() - SHOWING))
    if params not in told:   # one showing, one message (not one per voucher, refresh and offline book)
        messages.notify(proxy.person_id, "voucher_by_proxy", params=params)
    return proxy.person_id
