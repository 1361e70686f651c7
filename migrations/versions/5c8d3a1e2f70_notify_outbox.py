"""WeChat subscribe messages: notify_subscriptions, notify_outbox, platform_tokens

Revision ID: 5c8d3a1e2f70
Revises: 7f3a9c2e5b18
Create Date: 2026-12-04 18:40:00
"""
from alembic import op
import sqlalchemy as sa

from services.db import UTCDateTime


revision = '5c8d3a1e2f70'
down_revision = '7f3a9c2e5b18'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notify_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('template_id', sa.String(length=128), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('accepted', sa.Boolean(), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                                name=op.f('fk_notify_subscriptions_person_id_persons')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_subscriptions')),
        sa.UniqueConstraint('person_id', 'template_id', name=op.f('uq_notify_subscriptions_person_id')),
    )
    op.create_index('ix_notify_subscriptions_person_kind', 'notify_subscriptions', ['person_id', 'kind'])
    op.create_table(
        'notify_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('template_id', sa.String(length=128), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('queued_at', UTCDateTime(), nullable=False),
        sa.Column('next_at', UTCDateTime(), nullable=False),
        sa.Column('done_at', UTCDateTime(), nullable=True),
        sa.Column('errcode', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'expired')",
                           name=op.f('ck_notify_outbox_status')),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_notify_outbox_message_id_messages')),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_notify_outbox_person_id_persons')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_outbox')),
    )
    op.create_index('ix_notify_outbox_due', 'notify_outbox', ['status', 'next_at'])
    op.create_table(
        'platform_tokens',
        sa.Column('appid', sa.String(length=64), nullable=False),
        sa.Column('token', sa.String(length=512), nullable=True),
        sa.Column('expires_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('appid', name=op.f('pk_platform_tokens')),
    )


def downgrade():
    op.drop_table('platform_tokens')
    op.drop_index('ix_notify_outbox_due', table_name='notify_outbox')
    op.drop_table('notify_outbox')
    op.drop_index('ix_notify_subscriptions_person_kind', table_name='notify_subscriptions')
    op.drop_table('notify_subscriptions')
