"""trust, round two: a voucher names the login (and proxy) it was issued under; used face checks; attempt kinds

Revision ID: 7f3a9c2e5b18
Revises: 4b7e2c9d1f60
Create Date: 2026-12-04 18:40:00

Existing vouchers name no login or proxy (they expire within 15 minutes; a logout or unlink still revokes a
person's own by person). Existing attempts were all invitations.
"""
from alembic import op
import sqlalchemy as sa

import services.db


revision = '7f3a9c2e5b18'
down_revision = '4b7e2c9d1f60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proxy_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_vouchers_login_id'), ['login_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vouchers_proxy_id'), ['proxy_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_vouchers_login_id_logins'), 'logins', ['login_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_vouchers_proxy_id_proxies'), 'proxies', ['proxy_id'], ['id'])
    with op.batch_alter_table('invitation_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='invitation', nullable=False))
    op.create_table(
        'used_face_checks',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('login_id', sa.Integer(), nullable=False),
        sa.Column('used_at', services.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['login_id'], ['logins.id'], name=op.f('fk_used_face_checks_login_id_logins')),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_used_face_checks')),
    )


def downgrade():
    op.drop_table('used_face_checks')
    with op.batch_alter_table('invitation_attempts', schema=None) as batch_op:
        batch_op.drop_column('kind')
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_vouchers_proxy_id_proxies'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_vouchers_login_id_logins'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_vouchers_proxy_id'))
        batch_op.drop_index(batch_op.f('ix_vouchers_login_id'))
        batch_op.drop_column('proxy_id')
        batch_op.drop_column('login_id')
