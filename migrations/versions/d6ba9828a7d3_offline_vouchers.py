"""offline vouchers: codes of a book are vouchers with a book id; a new book or a logout revokes the unspent ones

Revision ID: d6ba9828a7d3
Revises: a1c0c4a77e10
Create Date: 2026-11-24 20:30:00

Existing vouchers are online ones (no book) and none is revoked: both new columns start empty.
"""
from alembic import op
import sqlalchemy as sa

import services.db


revision = 'd6ba9828a7d3'
down_revision = 'a1c0c4a77e10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('book_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', services.db.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_vouchers_book_id'), ['book_id'], unique=False)


def downgrade():
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vouchers_book_id'))
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('book_id')
