"""Jinja globals and filters shared by every page (labels come from the workflow table and workflow.labels,
each defined once)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from workflow.labels import chinese_date, days_left_label
from workflow.table import EVENTS, ROLE_LABELS, STATE_LABELS


def configure_environment(engine: Any) -> None:
    env: Environment = engine.engine
    env.autoescape = True
    # cn_date: a date or moment in Chinese (2023年7月19日), moments on their Shanghai day; nothing for no date
    env.filters.update(cn_date=chinese_date, days=days_left_label)
    env.globals.update(STATE_LABELS=STATE_LABELS, ROLE_LABELS=ROLE_LABELS, EVENTS=EVENTS)
