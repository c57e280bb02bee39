"""附件2 重点工业产品质量安全隐患排查治理情况统计表, computed by SQL aggregation (GROUP BY category).

A table belongs to one campaign: the one named, else the campaign of the period's first day (db.campaigns). It
counts only that campaign's records and items (their campaign_id), its rows are that campaign's categories and
its columns that campaign's 附件2 columns (its file's layout; the counting rule of each column key is
workflow.statistics_columns.COUNTING_RULES). This module only says how each column key is counted in SQL.
Every query runs on SQLite and PostgreSQL:
- money is summed as integer hundredths (ROUND(amount × 100) cast to BIGINT), so neither SQLite's floating
  REAL nor a JSON text amount can make a cent disappear; the ÷ 10,000 and the rounding to two decimals (half up)
  happen once, in Python, on the exact sum;
- `close_case` amounts live in item_event.input as JSON strings ("50000.00"): extracted as text
  (SQLite JSON_EXTRACT, PostgreSQL ->>), cast to NUMERIC, then to hundredths;
- 立案 and 移送 count items by the date of their FIRST file_case / transfer_to_judiciary (a MIN(on_date) subquery).

The 合计 row adds the category rows, except the distinct-enterprise columns, which a second query counts over
all categories at once (an enterprise sampled for two categories counts once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from sqlalchemy import BigInteger, Numeric, String, cast, distinct, func, select
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session

from db.campaigns import campaign_of_date, rules_of
from db.record_models import Assistance, Exposure, Interview, RiskInformation, RiskMonitoring, SamplingInspection
from db.models import Campaign, HazardItem, ItemEvent, Unit
from db.queries import FILE_CASE, first_events
from db.repositories import Catalogs
from workflow.statistics_columns import (
    CITY_LABEL,
    COUNTING_RULES,
    STAT_COLUMNS,
    TOTAL_LABEL,
    StatColumn,
    statistics_notes,
)
from workflow.errors import InputInvalid, NotFound

Number = int | Decimal
CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)


def wan(hundredths: int, *, yuan: bool) -> Decimal:
    """An exact sum in hundredths → 万元 with two decimals, half up. `yuan`: the sum was in 元 (÷ 10,000)."""
    amount = Decimal(int(hundredths)) / 100
    if yuan:
        amount = amount / TEN_THOUSAND
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StatisticsTable:
    unit: str  # 填表单位: the unit's full name, or 全市
    unit_code: str | None
    date_from: dt.date
    date_to: dt.date
    rows: tuple[tuple[str, tuple[Number, ...]], ...]  # (category, one figure per column), the catalog's order
    total: tuple[Number, ...]
    columns: tuple[StatColumn, ...] = STAT_COLUMNS
    campaign: str | None = None  # the campaign's key

    def value(self, category: str, key: str) -> Number:
        index = [c.key for c in self.columns].index(key)
        if category == TOTAL_LABEL:
            return self.total[index]
        return dict(self.rows)[category][index]

    def to_json(self) -> dict[str, Any]:
        """{unit, unit_code, from, to, campaign, columns: [{key, group, header, lines}], rows: [{category, values}],
        total: {values}, notes: [footnote lines]}; figures are JSON numbers, 万元 rounded to two decimals."""

        def numbers(values: tuple[Number, ...]) -> list[int | float]:
            return [float(v) if isinstance(v, Decimal) else int(v) for v in values]

        return {
            "unit": self.unit,
            "unit_code": self.unit_code,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "campaign": self.campaign,
            "columns": [{"key": c.key, "group": c.group, "header": c.header, "lines": list(c.lines)}
                        for c in self.columns],
            "rows": [{"category": category, "values": numbers(values)} for category, values in self.rows],
            "total": {"values": numbers(self.total)},
            "notes": statistics_notes(self.columns),
        }


# --- the SQL of each column ---------------------------------------------------------------------------------

def _hundredths(amount: ColumnElement) -> ColumnElement:
    return cast(func.round(amount * 100), BigInteger)


def _json_amount(name: str) -> ColumnElement:
    text = cast(ItemEvent.input[name].as_string(), String)
    return func.coalesce(_hundredths(cast(text, Numeric(18, 2))), 0)




@dataclass(frozen=True)
class _Scope:
    """What every query is limited to: the closed period, a unit (None: the city) and the campaign."""

    date_from: dt.date
    date_to: dt.date
    unit_id: int | None
    campaign_id: int

    def records(self, table: Any, query: Select) -> Select:
        """An activity-record query limited to the scope (the record's date, unit and campaign)."""
        query = query.where(table.date >= self.date_from, table.date <= self.date_to,
                            table.campaign_id == self.campaign_id)
        return query.where(table.unit_id == self.unit_id) if self.unit_id is not None else query

    def items(self, query: Select) -> Select:
        """A hazard-item query limited to the unit and the campaign (the caller limits the dates)."""
        query = query.where(HazardItem.campaign_id == self.campaign_id)
        return query.where(HazardItem.unit_id == self.unit_id) if self.unit_id is not None else query


@dataclass(frozen=True)
class _Source:
    """One grouped query giving (category, figure of each of `keys`) rows for a scope."""

    keys: tuple[str, ...]
    query: Callable[[_Scope], Select]
    money: dict[str, bool]  # key → amounts in 元 (True) or already in 万元 (False)


def _activity(table: Any, *measures: ColumnElement) -> Callable[[_Scope], Select]:
    def build(scope: _Scope) -> Select:
        return scope.records(table, select(table.category, *measures)).group_by(table.category)

    return build


def _first_event(event: str) -> Callable[[_Scope], Select]:
    def build(scope: _Scope) -> Select:
        first = first_events(event)
        query = (
            select(HazardItem.category, func.count(HazardItem.id))
            .join(first, first.c.item_id == HazardItem.id)
            .where(first.c.first_on >= scope.date_from, first.c.first_on <= scope.date_to)
        )
        return scope.items(query).group_by(HazardItem.category)

    return build


def _closings(scope: _Scope) -> Select:
    query = (
        select(HazardItem.category, func.sum(_json_amount("fine_amount")), func.sum(_json_amount("case_value")))
        .join(ItemEvent, ItemEvent.item_id == HazardItem.id)
        .where(ItemEvent.event == "close_case", ItemEvent.on_date >= scope.date_from,
               ItemEvent.on_date <= scope.date_to)
    )
    return scope.items(query).group_by(HazardItem.category)


def _exposures(scope: _Scope) -> Select:
    query = (
        select(HazardItem.category, func.count(distinct(Exposure.item_id)))
        .join(Exposure, Exposure.item_id == HazardItem.id)
        .where(Exposure.date >= scope.date_from, Exposure.date <= scope.date_to)
    )
    return scope.items(query).group_by(HazardItem.category)


SOURCES: tuple[_Source, ...] = (
    _Source(("risk_information",), _activity(RiskInformation, func.count(RiskInformation.id)), {}),
    _Source(("monitoring_batches", "monitoring_problems"),
            _activity(RiskMonitoring, func.sum(RiskMonitoring.batches), func.sum(RiskMonitoring.problems_found)), {}),
    _Source(("sampled_enterprises", "sampled_batches", "failed_batches"),
            _activity(SamplingInspection, func.count(distinct(SamplingInspection.enterprise_id)),
                      func.sum(SamplingInspection.batches_sampled), func.sum(SamplingInspection.batches_failed)), {}),
    _Source(("cases_filed",), _first_event(FILE_CASE), {}),
    _Source(("fines", "case_value"), _closings, {"fines": True, "case_value": True}),
    _Source(("cases_transferred",), _first_event("transfer_to_judiciary"), {}),
    _Source(("cases_exposed",), _exposures, {}),
    _Source(("assisted_enterprises", "problems_solved", "output_value"),
            _activity(Assistance, func.count(distinct(Assistance.enterprise_id)), func.sum(Assistance.problems_solved),
                      func.sum(_hundredths(Assistance.output_value_wan))), {"output_value": False}),
    _Source(("interviewed_enterprises",), _activity(Interview, func.count(distinct(Interview.enterprise_id))), {}),
)

# The distinct-enterprise columns: 合计 counts distinct enterprises over all categories.
DISTINCT_TABLES: dict[str, Any] = {
    "sampled_enterprises": SamplingInspection,
    "assisted_enterprises": Assistance,
    "interviewed_enterprises": Interview,
}

# The keys a campaign file may name are exactly those counted here (workflow.campaign_file checks a file's layout
# against COUNTING_RULES; these assertions keep COUNTING_RULES and the SQL in step).
assert sorted(k for s in SOURCES for k in s.keys) == sorted(COUNTING_RULES), "every column needs exactly one SQL source"
assert set(DISTINCT_TABLES) == {k for k, r in COUNTING_RULES.items() if r.distinct_enterprises}
assert all((k in s.money) == COUNTING_RULES[k].money for s in SOURCES for k in s.keys)


def _distinct_total(session: Session, table: Any, categories: list[str], scope: _Scope) -> int:
    query = scope.records(table, select(func.count(distinct(table.enterprise_id))).where(
        table.category.in_(categories)))
    return int(session.execute(query).scalar_one() or 0)


def report_unit(session: Session, unit_id: int | None) -> tuple[str, str | None]:
    """(填表单位 name, unit code) of a report: a unit's full name, or 全市 for the city (None)."""
    if unit_id is None:
        return CITY_LABEL, None
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("单位不存在")
    return unit.name, unit.code


def statistics(session: Session, *, unit_id: int | None, date_from: dt.date, date_to: dt.date,
               campaign: Campaign | None = None) -> StatisticsTable:
    """附件2 of `campaign` (default: the campaign of `date_from`) for one unit (`unit_id`) or the whole city (None),
    for the closed period date_from … date_to: that campaign's records and items, categories and columns.

    Scoping is the caller's (workflow.scope.scope_unit). Raises InputInvalid when the period is reversed,
    NotFound for an unknown unit or when no campaign is loaded.
    """
    if date_from > date_to:
        raise InputInvalid({"to": "数据周期的截止日期不能早于起始日期"})
    unit_name, unit_code = report_unit(session, unit_id)
    campaign = campaign or campaign_of_date(session, date_from)
    columns = rules_of(campaign).statistics_columns
    wanted = {c.key for c in columns}
    scope = _Scope(date_from, date_to, unit_id, campaign.id)
    categories = list(Catalogs(session).for_campaign(campaign.id).categories)
    figures: dict[str, dict[str, Number]] = {name: {} for name in categories}
    for source in SOURCES:
        if not wanted.intersection(source.keys):
            continue  # no column of this campaign needs it
        for category, *values in session.execute(source.query(scope)).all():
            if category not in figures:
                continue  # not a category of this campaign's catalog
            for key, value in zip(source.keys, values):
                value = int(value or 0)
                figures[category][key] = wan(value, yuan=source.money[key]) if key in source.money else value
    rows = []
    for name in categories:
        rows.append((name, tuple(figures[name].get(c.key, _zero(c)) for c in columns)))
    total = []
    for index, column in enumerate(columns):
        if column.distinct_enterprises:
            total.append(_distinct_total(session, DISTINCT_TABLES[column.key], categories, scope))
        else:
            total.append(sum((values[index] for _, values in rows), _zero(column)))
    return StatisticsTable(unit_name, unit_code, date_from, date_to, tuple(rows), tuple(total), columns,
                           campaign.key)


def _zero(column: StatColumn) -> Number:
    return Decimal("0.00") if column.money else 0
