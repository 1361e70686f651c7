"""Outpatient visits of the national interface (2201 register, 2204 upload fee lines, 2205 withdraw a batch): a
visit names the ticket a 1101 opened, and a settlement (2206/2207) is of exactly the lines of one uploaded batch."""
from sqlalchemy import select, update

from ..clock import now
from ..db import db, dialect_insert, writes
from ..errors import Conflict, Refused
from ..models import NhsaFee, NhsaVisit
from . import nhsa_people, tickets

VISITS = NhsaVisit.__table__


@writes
def register(institution_id: str, ticket: str) -> dict:
    """2201: the visit of this ticket (a repeat answers the same visit); the ticket must be good and unused."""
    t = tickets.unused(ticket, institution_id)
    mdtrt_id = nhsa_people.mdtrt_id(ticket)
    visit = dialect_insert(VISITS, conflict=(VISITS.c.mdtrt_id,), returning=VISITS.c.mdtrt_id)
    db.session.connection().execute(visit, {
        "mdtrt_id": mdtrt_id, "institution_id": institution_id, "ticket": ticket, "person_id": t.person_id,
        "created_at": now()})
    return {"mdtrt_id": mdtrt_id, "person_id": t.person_id}


def _visit(institution_id: str, mdtrt_id: str, person_id: int) -> NhsaVisit:
    visit = db.session.get(NhsaVisit, mdtrt_id) if isinstance(mdtrt_id, str) else None
    if visit is None or visit.institution_id != institution_id or visit.person_id != person_id:
        raise Refused("visit_unknown")
    return visit


def _live(mdtrt_id: str, chrg_bchno: str):
    return select(NhsaFee).where(NhsaFee.mdtrt_id == mdtrt_id, NhsaFee.chrg_bchno == chrg_bchno,
                                 NhsaFee.withdrawn_at.is_(None)).order_by(NhsaFee.id)


@writes
def upload(institution_id: str, person_id: int, mdtrt_id: str, chrg_bchno: str, lines: list[dict]) -> list[dict]:
    """2204: keep a batch of fee lines ({feedetl_sn, code, name, quantity, unit_price_fen}) for the visit."""
    _visit(institution_id, mdtrt_id, person_id)
    if db.session.scalars(_live(mdtrt_id, chrg_bchno).limit(1)).first() is not None:
        raise Conflict("batch_uploaded")
    db.session.add_all([NhsaFee(mdtrt_id=mdtrt_id, chrg_bchno=chrg_bchno, **line) for line in lines])
    return lines


@writes
def withdraw(institution_id: str, person_id: int, mdtrt_id: str, chrg_bchno: str) -> int:
    """2205: the batch's lines are withdrawn (a settled batch's lines stay what the settlement says)."""
    _visit(institution_id, mdtrt_id, person_id)
    return db.session.execute(update(NhsaFee).where(
        NhsaFee.mdtrt_id == mdtrt_id, NhsaFee.chrg_bchno == chrg_bchno, NhsaFee.withdrawn_at.is_(None))
        .values(withdrawn_at=now()).execution_options(synchronize_session=False)).rowcount


def batch(institution_id: str, person_id: int, mdtrt_id: str, chrg_bchno: str) -> tuple[str, list[dict]]:
    """The visit's ticket and the batch's live lines, in upload order (2206/2207 settle exactly these)."""
    visit = _visit(institution_id, mdtrt_id, person_id)
    lines = [{"feedetl_sn": f.feedetl_sn, "code": f.code, "name": f.name, "quantity": f.quantity,
              "unit_price_fen": f.unit_price_fen} for f in db.session.scalars(_live(mdtrt_id, chrg_bchno))]
    if not lines:
        raise Refused("batch_unknown")
    return visit.ticket, lines
