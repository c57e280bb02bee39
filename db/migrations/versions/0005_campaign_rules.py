"""What is special to a campaign is stored with it (campaign.rules): notice title, priority category,
special-inspection rule, 附件2 columns

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 10:00:00

Until now these were code (燃气用品 in the queries and templates, the two-failures numbers, the notice's title, the
15 columns of 附件2); from here on each campaign's file says them. A database made before this revision holds
the 2023 campaign only (nothing loaded another campaign file), so every existing campaign gets the 2023 values,
frozen here as they were in code (a migration never reads today's code or files).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

RULES_2023 = {
    "notice_title": "上海市市场监督管理局关于开展2023年度重点工业产品质量安全隐患排查治理专项行动的通知",
    "issuer": "上海市市场监督管理局",
    "priority_category": {"name": "燃气用品", "label": "全覆盖整治"},
    "special_inspection": {"window_years": 2, "min_failures": 2, "source": "监督抽查", "problem_type": "质量低劣",
                           "requirement": "对2年内2次及以上监督抽查不合格的企业组织专门现场检查", "clause": "四（二）7"},
    "statistics_columns": [
        {"key": "risk_information", "group": "风险监测", "header_lines": ["采集", "风险信息", "（条）"]},
        {"key": "monitoring_batches", "group": "风险监测", "header_lines": ["开展风险", "监测产品", "（批次）"]},
        {"key": "monitoring_problems", "group": "风险监测", "header_lines": ["发现", "质量问题", "（个）"]},
        {"key": "sampled_enterprises", "group": "监督抽查", "header_lines": ["抽查", "企业", "（家）"]},
        {"key": "sampled_batches", "group": "监督抽查", "header_lines": ["抽查", "批次数"]},
        {"key": "failed_batches", "group": "监督抽查", "header_lines": ["发现不合格产品", "（批次）"]},
        {"key": "cases_filed", "group": "案件查办", "header_lines": ["立案", "（起）"]},
        {"key": "fines", "group": "案件查办", "header_lines": ["罚没金额", "（万元）"]},
        {"key": "case_value", "group": "案件查办", "header_lines": ["案值", "（万元）"]},
        {"key": "cases_transferred", "group": "案件查办", "header_lines": ["移送司法", "机关案件", "（起）"]},
        {"key": "cases_exposed", "group": "曝光", "header_lines": ["违法", "案件", "（起）"]},
        {"key": "assisted_enterprises", "group": "质量技术帮扶", "header_lines": ["帮扶", "企业", "（家）"]},
        {"key": "problems_solved", "group": "质量技术帮扶", "header_lines": ["解决", "质量问题", "（个）"]},
        {"key": "output_value", "group": "质量技术帮扶", "header_lines": ["帮助企业", "提升产值", "（万元）"]},
        {"key": "interviewed_enterprises", "group": "约谈", "header_lines": ["约谈", "企业", "（家）"]},
    ],
}


def upgrade() -> None:
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules', sa.JSON(), nullable=True))
    campaign = sa.table('campaign', sa.column('rules', sa.JSON()))
    op.execute(campaign.update().values(rules=RULES_2023))
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.alter_column('rules', existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('rules')
