"""national interface: msgid answers (idempotency), outpatient visits and their fee lines; tickets found by voucher or holder

Revision ID: 5e1a7c3b9d20
Revises: 5c8d3a1e2f70
Create Date: 2026-12-04 18:30:00
"""
from alembic import op
import sqlalchemy as sa

import services.db


revision = '5e1a7c3b9d20'
down_revision = '5c8d3a1e2f70'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'nhsa_messages',
        sa.Column('institution_id', sa.String(length=32), nullable=False),
        sa.Column('msgid', sa.String(length=30), nullable=False),
        sa.Column('input_hash', sa.String(length=64), nullable=False),
        sa.Column('infcode', sa.Integer(), nullable=False),
        sa.Column('err_code', sa.String(length=255), nullable=True),
        sa.Column('output', sa.Text(), nullable=False),
        sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'],
                                name=op.f('fk_nhsa_messages_institution_id_institutions')),
        sa.PrimaryKeyConstraint('institution_id', 'msgid', name=op.f('pk_nhsa_messages')))
    op.create_index(op.f('ix_nhsa_messages_created_at'), 'nhsa_messages', ['created_at'], unique=False)
    op.create_table(
        'nhsa_visits',
        sa.Column('mdtrt_id', sa.String(length=30), nullable=False),
        sa.Column('institution_id', sa.String(length=32), nullable=False),
        sa.Column('ticket', sa.String(length=64), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'],
                                name=op.f('fk_nhsa_visits_institution_id_institutions')),
        sa.ForeignKeyConstraint(['ticket'], ['tickets.token'], name=op.f('fk_nhsa_visits_ticket_tickets')),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_nhsa_visits_person_id_persons')),
        sa.PrimaryKeyConstraint('mdtrt_id', name=op.f('pk_nhsa_visits')))
    op.create_table(
        'nhsa_fees',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mdtrt_id', sa.String(length=30), nullable=False),
        sa.Column('chrg_bchno', sa.String(length=30), nullable=False),
        sa.Column('feedetl_sn', sa.String(length=30), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=128), nullable=True),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price_fen', sa.BigInteger(), nullable=False),
        sa.Column('withdrawn_at', services.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['mdtrt_id'], ['nhsa_visits.mdtrt_id'],
                                name=op.f('fk_nhsa_fees_mdtrt_id_nhsa_visits')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_nhsa_fees')))
    op.create_index(op.f('ix_nhsa_fees_mdtrt_id'), 'nhsa_fees', ['mdtrt_id'], unique=False)
    op.create_index('ix_tickets_voucher_id', 'tickets', ['voucher_id'], unique=False)
    op.create_index('ix_tickets_person_id_institution_id', 'tickets', ['person_id', 'institution_id'], unique=False)


def downgrade():
    op.drop_index('ix_tickets_person_id_institution_id', table_name='tickets')
    op.drop_index('ix_tickets_voucher_id', table_name='tickets')
    op.drop_index(op.f('ix_nhsa_fees_mdtrt_id'), table_name='nhsa_fees')
    op.drop_table('nhsa_fees')
    op.drop_table('nhsa_visits')
    op.drop_index(op.f('ix_nhsa_messages_created_at'), table_name='nhsa_messages')
    op.drop_table('nhsa_messages')
