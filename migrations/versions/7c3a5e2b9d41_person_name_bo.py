"""persons.name_bo: the name in Tibetan script (as on a Tibet ID card), optional

Revision ID: 7c3a5e2b9d41
Revises: 5e1a7c3b9d20
Create Date: 2026-12-04 18:40:00

Not sealed, as `name` is not: the name is shown (masked) to relatives and counters in either script.
"""
from alembic import op
import sqlalchemy as sa


revision = '7c3a5e2b9d41'
down_revision = '5e1a7c3b9d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('persons') as batch_op:
        batch_op.add_column(sa.Column('name_bo', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('persons') as batch_op:
        batch_op.drop_column('name_bo')
