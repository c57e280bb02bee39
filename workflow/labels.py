"""Dates and Chinese labels as users read them, defined once: every page, report, sheet and document prints these.

- `chinese_date`: 2023年7月19日 (GB/T 9704: Arabic numerals, no padding) for a date, an ISO text or a stored moment
  (shown on its Shanghai business day; a naive moment is UTC, as SQLite hands stored times back);
- `period_text`: a closed date range, 2023年6月1日至2023年6月30日;
- `days_left_label`: how a deadline stands (剩余 3 天, 今天到期, 逾期 2 天, 无期限);
- `scope_label`: a unit's label, or 全市 for the whole city;
- the report titles, the city's names, the submission status labels.

The labels of states, events and roles are data of the workflow table (workflow/table.py), not repeated here.
Pure: imports nothing from web/, db/ or documents/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from workflow.clock import SHANGHAI

# --- the city ------------------------------------------------------------------------------------------------

CITY_LABEL = "全市"  # the scope of a city-wide page, table or ledger (填表单位, 单位)
CITY_AGENCY = "上海市市场监督管理局"
CITY_LONG_NAME = f"{CITY_AGENCY}（{CITY_LABEL}）"  # 填报单位 of the city-wide 问题清单

# --- report titles -------------------------------------------------------------------------------------------

ISSUE_LIST_TITLE = "问题清单"
STATISTICS_TITLE = "重点工业产品质量安全隐患排查治理情况统计表"  # 附件2
LEDGER_TITLE = "隐患排查治理工作典型案例台账"  # 附件1
REPORT_TITLES: dict[str, str] = {"issues": ISSUE_LIST_TITLE, "statistics": STATISTICS_TITLE, "ledger": LEDGER_TITLE}

# --- status labels -------------------------------------------------------------------------------------------

SUBMISSION_STATUS_LABELS: dict[str, str] = {"submitted": "按时报送", "late": "逾期报送", "missing": "逾期未报",
                                            "pending": "未到期"}
YES, NO = "是", "否"


# --- dates ---------------------------------------------------------------------------------------------------


def shanghai_time(moment: dt.datetime) -> dt.datetime:
    """A stored moment on the Shanghai clock; a naive one is UTC (SQLite hands stored times back naive)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(SHANGHAI)


def calendar_day(value: Any) -> dt.date | None:
    """The business day a value stands for: a date; an ISO date or moment text; a moment (its Shanghai day);
    None for None and "". Anything else is read as its text, so a template's missing value (StrictUndefined)
    fails loudly instead of printing as no date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return shanghai_time(value).date()
    if isinstance(value, dt.date):
        return value
    text = value if isinstance(value, str) else str(value)
    if not text:
        return None
    return calendar_day(dt.datetime.fromisoformat(text)) if len(text) > 10 else dt.date.fromisoformat(text)


def chinese_date(value: Any, blank: str = "") -> str:
    """2023-07-19 → 2023年7月19日; `blank` for no date (documents print "/", pages nothing)."""
    day = calendar_day(value)
    if day is None:
        return blank
    return f"{day.year}年{day.month}月{day.day}日"


def period_text(start: Any, end: Any) -> str:
    """A closed period, as the notice writes 数据周期: 2023年6月1日至2023年6月30日."""
    return f"{chinese_date(start)}至{chinese_date(end)}"


# --- deadlines -----------------------------------------------------------------------------------------------


def days_left_label(days: int | None) -> str:
    """How a deadline stands, from the days left (negative: overdue)."""
    if days is None:
        return "无期限"
    if days < 0:
        return f"逾期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"剩余 {days} 天"


def overdue_label(days: int | None) -> str:
    """是否逾期: 是 when the deadline has passed."""
    return YES if days is not None and days < 0 else NO


# --- scope ---------------------------------------------------------------------------------------------------


class Labelled(Protocol):
    label: str


def scope_label(unit: Labelled | None) -> str:
    """A unit's label, or 全市 where there is no unit (the whole city)."""
    return unit.label if unit is not None else CITY_LABEL
