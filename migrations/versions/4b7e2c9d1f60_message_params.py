"""messages.params: the kind's parameters, rendered in the reader's language at read time

Revision ID: 4b7e2c9d1f60
Revises: c4d1e0a9b7f2
Create Date: 2026-11-24 21:30:00

Old rows keep their stored Chinese `text` (params NULL) and are shown as stored; new rows store params and no text.
"""
from alembic import op
import sqlalchemy as sa


revision = '4b7e2c9d1f60'
down_revision = 'c4d1e0a9b7f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages') as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.alter_column('text', existing_type=sa.String(length=500), nullable=True)


def downgrade():
    # A row with params only has no stored text: store its Chinese rendering, so the column can be NOT NULL again.
    from services.notify.messages import render
    from services.models import Message

    messages = sa.table('messages', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                        sa.column('text', sa.String), sa.column('params', sa.JSON))
    bind = op.get_bind()
    for id_, kind, params in bind.execute(sa.select(messages.c.id, messages.c.kind, messages.c.params)
                                          .where(messages.c.text.is_(None))).all():
        text = render(Message(kind=kind, params=params), 'zh_CN')[:500]
        bind.execute(messages.update().where(messages.c.id == id_).values(text=text))
    with op.batch_alter_table('messages') as batch_op:
        batch_op.alter_column('text', existing_type=sa.String(length=500), nullable=False)
        batch_op.drop_column('params')
