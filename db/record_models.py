"""The tables of the activity records behind 附件2 and 附件1, and which table holds each record kind.

Every record belongs to a campaign (`campaign_id`): the campaign of its date, or of its hazard item for a case's
side records (曝光, 信用公示, 典型案例). The kinds themselves — fields, labels, rules — are workflow.record_kinds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from sqlalchemy import Index, Numeric, Text
from sqlmodel import Field, SQLModel

from db.models import timestamp
from workflow.record_kinds import KINDS, RecordKind


class _Record(SQLModel):
    """Columns every activity record has."""

    id: Optional[int] = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    created_by: int = Field(foreign_key="user.id")
    created_at: dt.datetime = timestamp()
    updated_by: Optional[int] = Field(default=None, foreign_key="user.id")
    updated_at: dt.datetime = timestamp()


class RiskInformation(_Record, table=True):
    """采集风险信息: one piece of risk information collected."""

    __tablename__ = "risk_information"
    __table_args__ = (Index("ix_risk_information_unit_date", "unit_id", "date"),)
    date: dt.date = Field(index=True)
    category: str = Field(max_length=100)
    enterprise_id: Optional[int] = Field(default=None, foreign_key="enterprise.id", index=True)
    channel: str = Field(max_length=50)
    title: str = Field(max_length=200)
    summary: str = Field(sa_type=Text)


class RiskMonitoring(_Record, table=True):
    """风险监测: product batches monitored and quality problems found."""

    __tablename__ = "risk_monitoring"
    __table_args__ = (Index("ix_risk_monitoring_unit_date", "unit_id", "date"),)
    date: dt.date = Field(index=True)
    category: str = Field(max_length=100)
    enterprise_id: Optional[int] = Field(default=None, foreign_key="enterprise.id", index=True)
    batches: int
    problems_found: int
    notes: Optional[str] = Field(default=None, sa_type=Text)


class SamplingInspection(_Record, table=True):
    """监督抽查: batches sampled at one enterprise and how many failed."""

    __tablename__ = "sampling_inspection"
    __table_args__ = (
        Index("ix_sampling_inspection_unit_date", "unit_id", "date"),
        Index("ix_sampling_inspection_enterprise_date", "enterprise_id", "date"),
    )
    date: dt.date = Field(index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id")
    category: str = Field(max_length=100)
    sub_product: Optional[str] = Field(default=None, max_length=100)
    level: str = Field(max_length=10)  # 市级 | 区级
    channel: str = Field(max_length=10)  # 生产 | 流通 | 网络 | 农村
    batches_sampled: int
    batches_failed: int
    notes: Optional[str] = Field(default=None, sa_type=Text)


class Assistance(_Record, table=True):
    """质量技术帮扶: problems solved at an enterprise and output value gained (万元)."""

    __tablename__ = "assistance"
    __table_args__ = (Index("ix_assistance_unit_date", "unit_id", "date"),)
    date: dt.date = Field(index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    category: str = Field(max_length=100)
    problems_solved: int
    output_value_wan: Decimal = Field(sa_type=Numeric(14, 2))
    notes: Optional[str] = Field(default=None, sa_type=Text)


class Interview(_Record, table=True):
    """约谈: an interview with an enterprise's management."""

    __tablename__ = "interview"
    __table_args__ = (Index("ix_interview_unit_date", "unit_id", "date"),)
    date: dt.date = Field(index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    category: str = Field(max_length=100)
    reason: str = Field(sa_type=Text)


class Exposure(_Record, table=True):
    """曝光: a case made public. Unit, enterprise and category are the hazard item's."""

    __tablename__ = "exposure"
    date: dt.date = Field(index=True)
    item_id: int = Field(foreign_key="hazard_item.id", index=True)
    channel: str = Field(max_length=200)


class CreditListing(_Record, table=True):
    """信用公示: a case's party entered in the national credit publicity system or the serious-violation list."""

    __tablename__ = "credit_listing"
    date: dt.date = Field(index=True)
    item_id: int = Field(foreign_key="hazard_item.id", index=True)
    list_kind: str = Field(max_length=50)


class TypicalCase(_Record, table=True):
    """典型案例: the ledger fields of 附件1 for one hazard item (at most one per item)."""

    __tablename__ = "typical_case"
    item_id: int = Field(foreign_key="hazard_item.id", unique=True)
    flagged: bool = True
    reported_on: dt.date = Field(index=True)  # 报送时间
    content: str = Field(sa_type=Text)  # 案例内容
    progress: str = Field(sa_type=Text)  # 典型案例办理进度


@dataclass(frozen=True)
class Store:
    kind: RecordKind
    table: type[_Record]


STORES: dict[str, Store] = {
    s.kind.key: s
    for s in (
        Store(KINDS["risk_information"], RiskInformation),
        Store(KINDS["risk_monitoring"], RiskMonitoring),
        Store(KINDS["sampling_inspection"], SamplingInspection),
        Store(KINDS["assistance"], Assistance),
        Store(KINDS["interview"], Interview),
        Store(KINDS["exposure"], Exposure),
        Store(KINDS["credit_listing"], CreditListing),
        Store(KINDS["typical_case"], TypicalCase),
    )
}
assert set(STORES) == set(KINDS), "every record kind needs a table"
