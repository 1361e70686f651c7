"""trust: face-checked links, refresh chain start, preview count per ticket, invitation attempts

Revision ID: 08d11f8f720d
Revises: d6ba9828a7d3
Create Date: 2026-11-24 20:40:00

Existing links were made without a face check; an existing refresh chain started with its family's first token.
"""
from alembic import op
import sqlalchemy as sa

from services.db import UTCDateTime

revision = '08d11f8f720d'
down_revision = 'd6ba9828a7d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('logins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('face_checked', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('notice', sa.String(length=255), nullable=True))
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previews', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_started_at', UTCDateTime(), nullable=True))
    op.execute("UPDATE refresh_tokens SET chain_started_at = (SELECT MIN(r.created_at) FROM refresh_tokens r "
               "WHERE r.family = refresh_tokens.family)")
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.alter_column('chain_started_at', existing_type=UTCDateTime(), nullable=False)
    op.create_table(
        'invitation_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('benefactor_id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['benefactor_id'], ['persons.id'],
                                name=op.f('fk_invitation_attempts_benefactor_id_persons')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_attempts')),
    )
    op.create_index('ix_invitation_attempts_benefactor_at', 'invitation_attempts', ['benefactor_id', 'at'])


def downgrade():
    op.drop_index('ix_invitation_attempts_benefactor_at', table_name='invitation_attempts')
    op.drop_table('invitation_attempts')
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_column('chain_started_at')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('previews')
    with op.batch_alter_table('logins', schema=None) as batch_op:
        batch_op.drop_column('notice')
        batch_op.drop_column('face_checked')
