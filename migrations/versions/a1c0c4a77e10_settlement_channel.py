"""settlement channel: how a bill was paid (voucher, offline_voucher, card)

Revision ID: a1c0c4a77e10
Revises: e833c6313689
Create Date: 2026-11-24 20:20:00

Existing tickets, settlements and their ledger entries were all paid by e-voucher.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a1c0c4a77e10'
down_revision = 'e833c6313689'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='voucher', nullable=False))
        batch_op.alter_column('voucher_id', existing_type=sa.String(length=32), nullable=True)
    with op.batch_alter_table('settlements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='voucher', nullable=False))
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), nullable=True))
    op.execute("UPDATE ledger_entries SET channel = 'voucher' WHERE settlement_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_column('channel')
    with op.batch_alter_table('settlements', schema=None) as batch_op:
        batch_op.drop_column('channel')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.alter_column('voucher_id', existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column('channel')
