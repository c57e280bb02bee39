"""Every activity record belongs to a campaign; 法定代表人 as wide as the form and the import allow

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 22:00:00

Existing records are given the campaign of their date (the latest campaign started on or before it, else the
earliest campaign); a case's side records (曝光, 信用公示, 典型案例) take their hazard item's campaign.
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

DATED = {"risk_information": "date", "risk_monitoring": "date", "sampling_inspection": "date",
         "assistance": "date", "interview": "date"}
ITEM_KEYED = ("exposure", "credit_listing", "typical_case")


def upgrade() -> None:
    for table in (*DATED, *ITEM_KEYED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
    for table, day in DATED.items():
        op.execute(
            f"UPDATE {table} SET campaign_id = COALESCE("
            f"(SELECT c.id FROM campaign c WHERE c.starts_on <= {table}.{day} ORDER BY c.starts_on DESC, c.id DESC "
            f"LIMIT 1), (SELECT c.id FROM campaign c ORDER BY c.starts_on, c.id LIMIT 1))")
    for table in ITEM_KEYED:
        op.execute(f"UPDATE {table} SET campaign_id = "
                   f"(SELECT i.campaign_id FROM hazard_item i WHERE i.id = {table}.item_id)")
    for table in (*DATED, *ITEM_KEYED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('campaign_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(f'fk_{table}_campaign_id', 'campaign', ['campaign_id'], ['id'])
            batch_op.create_index(batch_op.f(f'ix_{table}_campaign_id'), ['campaign_id'], unique=False)
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.alter_column('legal_rep', existing_type=sqlmodel.sql.sqltypes.AutoString(length=50),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=100), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.alter_column('legal_rep', existing_type=sqlmodel.sql.sqltypes.AutoString(length=100),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=50), existing_nullable=False)
    for table in (*DATED, *ITEM_KEYED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_campaign_id'))
            batch_op.drop_constraint(f'fk_{table}_campaign_id', type_='foreignkey')
            batch_op.drop_column('campaign_id')
