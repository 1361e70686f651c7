"""the card (医保卡), allow_card per binding, the catalogue's payment standard

Revision ID: 10658135bc4d
Revises: a1c0c4a77e10
Create Date: 2026-11-24 20:30:00

Existing bindings allow card payments (the default). Existing catalogue items have no cap. Lines of existing
settlements gain `eligible_fen` (their whole amount when eligible: there were no caps then).
"""
from alembic import op
import sqlalchemy as sa


revision = '10658135bc4d'
down_revision = 'a1c0c4a77e10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_no', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('card_status', sa.String(length=16), nullable=True))
    # A unique index, not a constraint: SQLite adds it without rebuilding the persons table.
    op.create_index('uq_persons_card_no', 'persons', ['card_no'], unique=True)
    with op.batch_alter_table('bindings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_card', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('catalogue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('price_cap_fen', sa.BigInteger(), nullable=True))
    _backfill_line_eligible_fen()


def _backfill_line_eligible_fen():
    settlements = sa.table('settlements', sa.column('id', sa.Integer), sa.column('items', sa.JSON))
    conn = op.get_bind()
    items = settlements.c["items"]  # not .c.items: that is the collection's own method
    for settlement_id, old in conn.execute(sa.select(settlements.c.id, items)).all():
        lines = [{**line, "eligible_fen": line["amount_fen"] if line.get("eligible") else 0} for line in old or []]
        conn.execute(settlements.update().where(settlements.c.id == settlement_id).values({items: lines}))


def downgrade():
    with op.batch_alter_table('catalogue', schema=None) as batch_op:
        batch_op.drop_column('price_cap_fen')
    with op.batch_alter_table('bindings', schema=None) as batch_op:
        batch_op.drop_column('allow_card')
    op.drop_index('uq_persons_card_no', table_name='persons')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_column('card_status')
        batch_op.drop_column('card_no')
