"""family proxies (亲情账户): a carer shows the e-voucher of a relative without a phone

Revision ID: 1869e4ea7424
Revises: 08d11f8f720d
Create Date: 2026-11-24 20:10:00

A new table; no existing data to migrate.
"""
from alembic import op
import sqlalchemy as sa

import services.db


revision = '1869e4ea7424'
down_revision = '08d11f8f720d'
branch_labels = None
depends_on = None

LIVE = "status IN ('pending', 'active')"


def upgrade():
    op.create_table('proxies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carer_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('approved_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('ended_at', services.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['carer_id'], ['persons.id'], name=op.f('fk_proxies_carer_id_persons')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_proxies_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proxies'))
    )
    with op.batch_alter_table('proxies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proxies_carer_id'), ['carer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proxies_person_id'), ['person_id'], unique=False)
        batch_op.create_index('uq_proxies_live_pair', ['carer_id', 'person_id'], unique=True,
                              sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))


def downgrade():
    with op.batch_alter_table('proxies', schema=None) as batch_op:
        batch_op.drop_index('uq_proxies_live_pair')
        batch_op.drop_index(batch_op.f('ix_proxies_person_id'))
        batch_op.drop_index(batch_op.f('ix_proxies_carer_id'))
    op.drop_table('proxies')
