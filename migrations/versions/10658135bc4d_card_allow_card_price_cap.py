"""the card (医保卡), allow_card per binding, the catalogue's payment standard

Revision ID: 10658135bc4d
Revises: 5d2e9b7c41f3
Create Date: 2026-11-24 20:30:00

Existing bindings allow card payments (the default). Existing catalogue items have no cap. Lines of existing
settlements gain `eligible_fen` (their whole amount when eligible: there were no caps then).
"""
from alembic import op
import sqlalchemy as sa


revision = '10658135bc4d'
down_revision = '5d2e9b7c41f3'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE ... ADD COLUMN, not batch: SQLite would rebuild these tables, which rows in other tables
    # point to (the foreign keys refuse the DROP TABLE of a rebuild once there is data).
    op.add_column('persons', sa.Column('card_no', sa.String(length=20), nullable=True))
    op.add_column('persons', sa.Column('card_status', sa.String(length=16), nullable=True))
    op.create_index('uq_persons_card_no', 'persons', ['card_no'], unique=True)
    op.add_column('bindings', sa.Column('allow_card', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('catalogue', sa.Column('price_cap_fen', sa.BigInteger(), nullable=True))
    _backfill_line_eligible_fen()


def _backfill_line_eligible_fen():
    settlements = sa.table('settlements', sa.column('id', sa.Integer), sa.column('items', sa.JSON))
    conn = op.get_bind()
    items = settlements.c["items"]  # not .c.items: that is the collection's own method
    for settlement_id, old in conn.execute(sa.select(settlements.c.id, items)).all():
        lines = [{**line, "eligible_fen": line["amount_fen"] if line.get("eligible") else 0} for line in old or []]
        conn.execute(settlements.update().where(settlements.c.id == settlement_id).values({items: lines}))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), for the same reason.
    op.drop_column('catalogue', 'price_cap_fen')
    op.drop_column('bindings', 'allow_card')
    op.drop_index('uq_persons_card_no', table_name='persons')
    op.drop_column('persons', 'card_status')
    op.drop_column('persons', 'card_no')
