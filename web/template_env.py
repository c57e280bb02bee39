"""Jinja globals and filters shared by every page (labels come from the workflow table, defined once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment

from workflow.clock import chinese_date
from workflow.table import EVENTS, ROLE_LABELS, STATE_LABELS


def _cn_date(value: Any) -> str:
    if isinstance(value, str) and value:
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
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
