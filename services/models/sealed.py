"""A sealed column pair: the value AES-GCM encrypted and its blind index, behind one attribute that reads as clear.

    id_number_enc, id_number_bidx, id_number = sealed("id_number", unique=True, nullable=False)

`obj.id_number` decrypts, assigning it seals and indexes; `Model.id_number == x`, `!=`, `.in_([...])`,
`.is_(None)` compare the blind index with HMAC(x); `select(Model.id_number)` answers clear values.
"""
from sqlalchemy import String
from sqlalchemy.ext.hybrid import Comparator, hybrid_property
from sqlalchemy.orm import mapped_column
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from .. import pii


class SealedText(TypeDecorator):
    """Clear text in Python, "<kid>:<base64>" in the database."""

    impl = String(255)
    cache_ok = True

    def __init__(self, purpose: str):
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value, dialect):
        return None if value is None else pii.seal(value, self.purpose)

    def process_result_value(self, value, dialect):
        return None if value is None else pii.open_(value, self.purpose)


class BlindComparator(Comparator):
    """Equality and membership through the blind index; anything else (ordering, LIKE) cannot work on a seal."""

    def __init__(self, sealed_col, bidx_col, purpose):
        super().__init__(sealed_col)  # selected, the attribute answers the decrypted value
        self.bidx, self.purpose = bidx_col, purpose

    def _index(self, other):
        if isinstance(other, BlindComparator):
            if other.purpose != self.purpose:
                raise TypeError(f"cannot compare a sealed {self.purpose} with a sealed {other.purpose}")
            return other.bidx
        return None if other is None else pii.blind(other, self.purpose)

    def operate(self, op, *other, **kwargs):
        if op in (operators.eq, operators.ne, operators.is_, operators.is_not):
            return op(self.bidx, self._index(other[0]))
        if op in (operators.in_op, operators.not_in_op):
            return op(self.bidx, [self._index(v) for v in other[0]])
        raise TypeError(f"a sealed {self.purpose} can only be compared for equality")

    def reverse_operate(self, op, other, **kwargs):
        return self.operate(op, other, **kwargs)


def sealed(name: str, purpose: str | None = None, *, unique=False, index=False, nullable=True):
    """(sealed column, blind index column, attribute) to assign as `<name>_enc, <name>_bidx, <name>` in a model."""
    purpose = purpose or name
    enc_attr, bidx_attr = f"{name}_enc", f"{name}_bidx"
    enc = mapped_column(enc_attr, SealedText(purpose), nullable=nullable)
    bidx = mapped_column(bidx_attr, String(64), nullable=nullable, unique=unique, index=index)

    def get(self):
        return getattr(self, enc_attr)

    def set_(self, value):
        setattr(self, enc_attr, value)
        setattr(self, bidx_attr, None if value is None else pii.blind(value, purpose))

    attr = hybrid_property(get, set_)
    attr = attr.comparator(lambda cls: BlindComparator(getattr(cls, enc_attr), getattr(cls, bidx_attr), purpose))
    attr.sealed = (enc_attr, bidx_attr, purpose)  # found by `pii rotate`
    return enc, bidx, attr
