"""seal ID numbers at rest (PIPL): AES-GCM value and HMAC blind index instead of the clear column

Revision ID: 888fb39e2d10
Revises: 10658135bc4d
Create Date: 2026-11-24 20:40:00

Existing rows are sealed here, in Python, under the first PII_KEYS key (or the development key derived from
SECRET_KEY), so the app's settings must be the production ones when this runs. On SQLite run VACUUM afterwards so
freed pages that held the clear numbers are overwritten.
"""
from services.models.sealed_migration import seal_column, unseal_column


revision = '888fb39e2d10'
down_revision = '10658135bc4d'
branch_labels = None
depends_on = None


def upgrade():
    seal_column('persons', 'id_number', unique=True, nullable=False, old_unique='uq_persons_id_number')
    seal_column('invitations', 'invitee_id_number', 'id_number', index=True,
                old_index='ix_invitations_invitee_id_number')


def downgrade():
    unseal_column('invitations', 'invitee_id_number', 'id_number', length=18, index=True,
                  old_index='ix_invitations_invitee_id_number')
    unseal_column('persons', 'id_number', length=18, unique=True, nullable=False, old_unique='uq_persons_id_number')
