"""Alembic steps that turn a clear column into a sealed pair (services/models/sealed.py) and back, rows included."""
import sqlalchemy as sa
from alembic import op

from .. import pii


def _pairs(table, key, value_col):
    rows = op.get_bind().execute(sa.select(sa.column(key), sa.column(value_col)).select_from(sa.table(table)))
    return [(k, v) for k, v in rows if v is not None]


def seal_column(table, name, purpose=None, *, unique=False, index=False, nullable=True, key="id",
                old_unique=None, old_index=None):
    """Add <name>_enc and <name>_bidx, seal every row's value into them, drop the clear column."""
    purpose = purpose or name
    enc, bidx = f"{name}_enc", f"{name}_bidx"
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column(enc, sa.String(255), nullable=True))
        batch_op.add_column(sa.Column(bidx, sa.String(64), nullable=True))
    t = sa.table(table, sa.column(key), sa.column(enc), sa.column(bidx))
    for k, value in _pairs(table, key, name):
        op.get_bind().execute(sa.update(t).where(t.c[key] == k).values(
            {enc: pii.seal(value, purpose), bidx: pii.blind(value, purpose)}))
    with op.batch_alter_table(table) as batch_op:
        if old_unique:
            batch_op.drop_constraint(old_unique, type_="unique")
        if old_index:
            batch_op.drop_index(old_index)
        batch_op.drop_column(name)
        if not nullable:
            batch_op.alter_column(enc, existing_type=sa.String(255), nullable=False)
            batch_op.alter_column(bidx, existing_type=sa.String(64), nullable=False)
        if index:
            batch_op.create_index(f"ix_{table}_{bidx}", [bidx], unique=unique)
        elif unique:
            batch_op.create_unique_constraint(f"uq_{table}_{bidx}", [bidx])


def unseal_column(table, name, purpose=None, *, length, unique=False, index=False, nullable=True, key="id",
                  old_unique=None, old_index=None):
    """The way back: the clear column refilled from the seal (every key that sealed a row must be configured)."""
    purpose = purpose or name
    enc, bidx = f"{name}_enc", f"{name}_bidx"
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column(name, sa.String(length), nullable=True))
    t = sa.table(table, sa.column(key), sa.column(name))
    for k, value in _pairs(table, key, enc):
        op.get_bind().execute(sa.update(t).where(t.c[key] == k).values({name: pii.open_(value, purpose)}))
    with op.batch_alter_table(table) as batch_op:
        if index:
            batch_op.drop_index(f"ix_{table}_{bidx}")
        elif unique:
            batch_op.drop_constraint(f"uq_{table}_{bidx}", type_="unique")
        batch_op.drop_column(enc)
        batch_op.drop_column(bidx)
        if not nullable:
            batch_op.alter_column(name, existing_type=sa.String(length), nullable=False)
        if old_unique:
            batch_op.create_unique_constraint(old_unique, [name])
        if old_index:
            batch_op.create_index(old_index, [name])
