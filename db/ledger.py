"""附件1 隐患排查治理工作典型案例台账: the typical cases of one unit or the whole city, by 报送时间.

A row is a typical_case record of the ledger's campaign (the one named, else the campaign of the period's first
day) that is flagged (列为典型案例) and whose 报送时间 falls in the closed period.
立案时间 is the date of the item's first file_case event; 是否依法曝光 and 是否纳入国家企业信用信息公示系统 come
from the item's exposure and credit_listing records (all of them, whatever their date: the ledger states the
case's standing when it is printed or submitted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from db.campaigns import campaign_of_date
from db.record_models import CreditListing, Exposure, TypicalCase
from db.models import Campaign, Enterprise, HazardItem, Unit
from db.queries import FILE_CASE, first_events
from db.statistics import report_unit
from workflow.record_kinds import CREDIT_LIST_KINDS
from workflow.ledger_columns import LEDGER_COLUMNS, LEDGER_UNIT_COLUMN
from workflow.labels import chinese_date
from workflow.errors import InputInvalid

NATIONAL_SYSTEM, SERIOUS_LIST = CREDIT_LIST_KINDS


@dataclass(frozen=True)
class LedgerRow:
    item_id: int
    unit: str  # the unit's full name
    unit_label: str
    enterprise: str
    category: str
    reported_on: dt.date
    filed_on: dt.date | None
    content: str
    progress: str
    exposures: tuple[tuple[dt.date, str], ...]  # (date, channel), oldest first
    credit_listings: tuple[tuple[dt.date, str], ...]  # (date, list kind), oldest first

    @property
    def exposed(self) -> str:
        """是否依法曝光: 是（2023年8月10日，市局门户网站） or 否."""
        if not self.exposures:
            return "否"
        return "是（" + "；".join(f"{chinese_date(d)}，{channel}" for d, channel in self.exposures) + "）"

    @property
    def credit_listed(self) -> str:
        """是否纳入国家企业信用信息公示系统: 是（date）, adding 严重违法失信名单 where the party is on it, or 否.

        The 严重违法失信名单 is itself published through the national system, so either record means 是.
        """
        national = [d for d, kind in self.credit_listings if kind == NATIONAL_SYSTEM]
        serious = [d for d, kind in self.credit_listings if kind == SERIOUS_LIST]
        if not national and not serious:
            return "否"
        parts = []
        if national:
            parts.append(chinese_date(national[0]))
        if serious:
            parts.append(f"{chinese_date(serious[0])}列入严重违法失信名单")
        return "是（" + "；".join(parts) + "）"

    def to_json(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "unit": self.unit,
            "unit_label": self.unit_label,
            "enterprise": self.enterprise,
            "category": self.category,
            "reported_on": self.reported_on.isoformat(),
            "filed_on": self.filed_on.isoformat() if self.filed_on else None,
            "content": self.content,
            "progress": self.progress,
            "exposed": self.exposed,
            "credit_listed": self.credit_listed,
        }


@dataclass(frozen=True)
class LedgerTable:
    unit: str  # 单位: the unit's full name, or 全市
    unit_code: str | None
    date_from: dt.date
    date_to: dt.date
    rows: tuple[LedgerRow, ...] = field(default_factory=tuple)
    campaign: str | None = None  # the campaign's key

    @property
    def city_wide(self) -> bool:
        return self.unit_code is None

    def to_json(self) -> dict[str, Any]:
        """{unit, unit_code, from, to, campaign, columns: [{key, header}], rows: [{unit, reported_on, filed_on, content,
        progress, exposed, credit_listed, item_id, unit_label, enterprise, category}]} — dates ISO."""
        columns = ([LEDGER_UNIT_COLUMN] if self.city_wide else []) + list(LEDGER_COLUMNS)
        return {
            "unit": self.unit,
            "unit_code": self.unit_code,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "campaign": self.campaign,
            "columns": [{"key": c.key, "header": c.header} for c in columns],
            "rows": [r.to_json() for r in self.rows],
        }


def ledger(session: Session, *, unit_id: int | None, date_from: dt.date, date_to: dt.date,
           campaign: Campaign | None = None) -> LedgerTable:
    """附件1 of `campaign` (default: the campaign of `date_from`) for one unit or the city (None); 报送时间 in the
    closed period; ordered by unit, 报送时间, item.

    Scoping is the caller's (workflow.scope.scope_unit).
    """
    if date_from > date_to:
        raise InputInvalid({"to": "截止日期不能早于起始日期"})
    unit_name, unit_code = report_unit(session, unit_id)
    campaign = campaign or campaign_of_date(session, date_from)
    filed = first_events(FILE_CASE)
    query = (
        select(TypicalCase, HazardItem.category, Enterprise.name, Unit.name, Unit.label, filed.c.first_on)
        .join(HazardItem, HazardItem.id == TypicalCase.item_id)
        .join(Enterprise, Enterprise.id == HazardItem.enterprise_id)
        .join(Unit, Unit.id == TypicalCase.unit_id)
        .outerjoin(filed, filed.c.item_id == TypicalCase.item_id)
        .where(TypicalCase.flagged, TypicalCase.reported_on >= date_from, TypicalCase.reported_on <= date_to,
               TypicalCase.campaign_id == campaign.id)
        .order_by(Unit.position, TypicalCase.reported_on, TypicalCase.item_id)
    )
    if unit_id is not None:
        query = query.where(TypicalCase.unit_id == unit_id)
    found = session.execute(query).all()
    item_ids = [case.item_id for case, *_ in found]
    exposures: dict[int, list[tuple[dt.date, str]]] = {}
    listings: dict[int, list[tuple[dt.date, str]]] = {}
    if item_ids:
        for item_id, day, channel in session.execute(
            select(Exposure.item_id, Exposure.date, Exposure.channel)
            .where(Exposure.item_id.in_(item_ids)).order_by(Exposure.date, Exposure.id)
        ):
            exposures.setdefault(item_id, []).append((day, channel))
        for item_id, day, kind in session.execute(
            select(CreditListing.item_id, CreditListing.date, CreditListing.list_kind)
            .where(CreditListing.item_id.in_(item_ids)).order_by(CreditListing.date, CreditListing.id)
        ):
            listings.setdefault(item_id, []).append((day, kind))
    rows = tuple(
        LedgerRow(
            item_id=case.item_id, unit=unit_full, unit_label=label, enterprise=enterprise, category=category,
            reported_on=case.reported_on, filed_on=filed_on, content=case.content, progress=case.progress,
            exposures=tuple(exposures.get(case.item_id, ())), credit_listings=tuple(listings.get(case.item_id, ())),
        )
        for case, category, enterprise, unit_full, label, filed_on in found
    )
    return LedgerTable(unit_name, unit_code, date_from, date_to, rows, campaign.key)
