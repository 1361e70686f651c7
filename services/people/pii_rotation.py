"""`pii rotate`: every sealed value under the first PII_KEYS key, every blind index under PII_INDEX_KEY."""
from sqlalchemy import String, select, type_coerce, update

from .. import pii
from ..db import db, writes


def sealed_fields():
    """(model, attribute, (sealed attribute, index attribute, purpose)) of every sealed attribute of every model."""
    for mapper in db.Model.registry.mappers:
        for name, attr in mapper.all_orm_descriptors.items():
            spec = getattr(attr, "sealed", None)
            if spec:
                yield mapper.class_, name, spec


@writes
def rotate() -> dict[str, int]:
    """Re-seal rows sealed under an older key and re-index rows indexed under an older index key; counts per field."""
    current = pii.keys()[0][0]
    counts = {}
    for model, name, (enc_attr, bidx_attr, purpose) in sealed_fields():
        table, enc, bidx = model.__table__, getattr(model, enc_attr), getattr(model, bidx_attr)
        rows = db.session.execute(select(table.c.id, type_coerce(enc, String), bidx).where(enc.is_not(None))).all()
        changed = 0
        for row_id, sealed, index in rows:
            clear = pii.open_(sealed, purpose)
            if pii.kid_of(sealed) != current or index != pii.blind(clear, purpose):
                # the column's type seals the clear value again, under the first key
                db.session.execute(update(table).where(table.c.id == row_id)
                                   .values({enc.key: clear, bidx.key: pii.blind(clear, purpose)}))
                changed += 1
        counts[f"{table.name}.{name}"] = changed
    return counts
