"""What a family account has paid per binding in a month: settlements still standing, reversals give it back."""
from sqlalchemy import bindparam, func, select

from ..clock import china_month, now
from ..db import db
from ..models import Binding, Settlement, SettlementAid

AID, SETTLEMENTS = SettlementAid.__table__, Settlement.__table__
PAID = select(AID.c.binding_id, func.sum(AID.c.amount_fen), func.count(func.distinct(AID.c.settlement_id))) \
    .join(SETTLEMENTS, SETTLEMENTS.c.id == AID.c.settlement_id) \
    .where(AID.c.binding_id.in_(bindparam("b", expanding=True)), AID.c.month == bindparam("m"),
           SETTLEMENTS.c.status == "settled") \
    .group_by(AID.c.binding_id)   # built once: the settlement's hot path asks it for limited helpers


def paid(binding_ids, month: str) -> dict[int, tuple[int, int]]:
    """binding id -> (fen paid, settlements paid for) in that China month, counting only settlements still settled."""
    if not binding_ids:
        return {}
    rows = db.session.connection().execute(PAID, {"b": list(binding_ids), "m": month})
    return {b: (int(s), int(n)) for b, s, n in rows}


def annotate(bindings):
    """Give each binding its `used_this_month_fen` (one query for the lot); returns them."""
    used = paid([b.id for b in bindings], china_month(now()))
    for b in bindings:
        b.used_this_month_fen = used.get(b.id, (0, 0))[0]
    return bindings


def summary(person_id: int, month: str | None) -> dict:
    """A benefactor's month per relative: what his account paid for each binding, and for how many settlements."""
    month = month or china_month(now())
    rows = db.session.scalars(select(Binding).where(Binding.benefactor_id == person_id).order_by(Binding.id)).all()
    got = paid([b.id for b in rows], month)
    items = [{"binding_id": b.id, "beneficiary": b.beneficiary,
              "relation": b.relation, "status": b.status, "paid_fen": got.get(b.id, (0, 0))[0],
              "settlements": got.get(b.id, (0, 0))[1]} for b in rows]
    return {"month": month, "items": items, "total_fen": sum(i["paid_fen"] for i in items)}
