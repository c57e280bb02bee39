"""挂牌督办: supervision flags on hazard items and units

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 13:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('supervision_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_by_name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.Column('closed_by_name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
    sa.ForeignKeyConstraint(['closed_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['hazard_item.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('supervision_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_flag_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_flag_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('ix_supervision_flag_unit_open', ['unit_id', 'closed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('supervision_flag', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_flag_unit_open')
        batch_op.drop_index(batch_op.f('ix_supervision_flag_unit_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_flag_item_id'))

    op.drop_table('supervision_flag')
