"""Jinja globals and filters shared by every page (labels come from the workflow table, defined once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment

from workflow.clock import SHANGHAI, chinese_date
from workflow.table import EVENTS, ROLE_LABELS, STATE_LABELS


def _cn_date(value: Any) -> str:
    """A date or moment in Chinese (2023年7月19日); moments are shown on their Shanghai calendar day."""
    if isinstance(value, str) and value:
        value = dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.astimezone(SHANGHAI).date() if value.tzinfo else value.date()
    return chinese_date(value) if isinstance(value, dt.date) else ""


def _days(value: int | None) -> str:
    if value is None:
        return "无期限"
    if value < 0:
        return f"逾期 {-value} 天"
    if value == 0:
        return "今天到期"
    return f"剩余 {value} 天"


def configure_environment(engine: Any) -> None:
    env: Environment = engine.engine
    env.autoescape = True
    env.filters.update(cn_date=_cn_date, days=_days)
    env.globals.update(STATE_LABELS=STATE_LABELS, ROLE_LABELS=ROLE_LABELS, EVENTS=EVENTS)
