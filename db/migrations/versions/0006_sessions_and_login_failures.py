"""Sessions and the failed-sign-in counters in the database, shared by every server process and kept across
restarts (until now: session files under the data dir and a throttle in each process's memory)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:10:00

Sessions written to files before this revision are not carried over: everyone signs in once more.
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('web_session',
                    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=True),
                    sa.Column('data', sa.LargeBinary(), nullable=False),
                    sa.Column('expires_at', sa.BigInteger(), nullable=False),
                    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
                    sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_session_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_session_expires_at'), ['expires_at'], unique=False)
    op.create_table('login_failure',
                    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
                    sa.Column('failures', sa.Integer(), nullable=False),
                    sa.Column('first_at', sa.Float(), nullable=False),
                    sa.Column('last_at', sa.Float(), nullable=False),
                    sa.PrimaryKeyConstraint('key'))
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_last_at'), ['last_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_last_at'))
    op.drop_table('login_failure')
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_session_expires_at'))
        batch_op.drop_index(batch_op.f('ix_web_session_user_id'))
    op.drop_table('web_session')
