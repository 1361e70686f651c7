"""reconciliation indexes: a day's settlements and reversals of one institution are one index range

Revision ID: 5d2e9b7c41f3
Revises: 1869e4ea7424
Create Date: 2026-11-24 20:30:00

No data changes: the columns exist; only the ranges the daily totals and the monthly report read get indexes.
"""
from alembic import op


revision = '5d2e9b7c41f3'
down_revision = '1869e4ea7424'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('settlements', schema=None) as batch_op:
        batch_op.create_index('ix_settlements_institution_settled_at', ['institution_id', 'settled_at'], unique=False)
        batch_op.create_index('ix_settlements_institution_reversed_at', ['institution_id', 'reversed_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('settlements', schema=None) as batch_op:
        batch_op.drop_index('ix_settlements_institution_reversed_at')
        batch_op.drop_index('ix_settlements_institution_settled_at')
