"""seal card numbers at rest: a card pays at any counter, so its number is as sensitive as an ID number

Revision ID: c4d1e0a9b7f2
Revises: 888fb39e2d10
Create Date: 2026-11-24 21:15:00

Like the ID numbers before them (888fb39e2d10): AES-GCM value and HMAC blind index, sealed here in Python under the
configured PII keys.
"""
from alembic import op

from services.models.sealed_migration import seal_column, unseal_column


revision = 'c4d1e0a9b7f2'
down_revision = '888fb39e2d10'
branch_labels = None
depends_on = None


def upgrade():
    seal_column('persons', 'card_no', unique=True, old_index='uq_persons_card_no')


def downgrade():
    unseal_column('persons', 'card_no', length=20, unique=True)
    op.create_index('uq_persons_card_no', 'persons', ['card_no'], unique=True)
