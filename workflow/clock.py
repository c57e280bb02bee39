"""Business time: the bureau works in Asia/Shanghai; storage uses aware UTC datetimes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def business_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def at_noon(day: dt.date) -> dt.datetime:
    """An aware datetime on `day` (used when recording events for a past business date, e.g. demo data)."""
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
