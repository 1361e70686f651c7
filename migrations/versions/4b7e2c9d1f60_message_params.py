"""messages.params: the kind's parameters, rendered in the reader's language at read time

Revision ID: 4b7e2c9d1f60
Revises: 888fb39e2d10
Create Date: 2026-11-24 21:30:00

Old rows keep their stored Chinese `text` (params NULL) and are shown as stored; new rows store params and no text.
"""
from alembic import op
import sqlalchemy as sa


revision = '4b7e2c9d1f60'
down_revision = '888fb39e2d10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages') as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.alter_column('text', existing_type=sa.String(length=500), nullable=True)


def downgrade():
    # A row with params only has no stored text: give it its kind, so the column can be NOT NULL again.
    op.execute("UPDATE messages SET text = kind WHERE text IS NULL")
    with op.batch_alter_table('messages') as batch_op:
        batch_op.alter_column('text', existing_type=sa.String(length=500), nullable=False)
        batch_op.drop_column('params')
