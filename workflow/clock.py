"""Business time: the bureau works in Asia/Shanghai; storage uses aware UTC datetimes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Clock:
    """The application's clock: injected (tests pin it), never read from the machine inside a use case."""

    def now(self) -> dt.datetime:
        return now()

    def today(self) -> dt.date:
        """The business date (Asia/Shanghai), whatever the machine's own time zone."""
        return business_date(self.now())


class FixedClock(Clock):
    """A clock that always says `moment` (an aware datetime): tests and reproducible runs."""

    def __init__(self, moment: dt.datetime):
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment


def business_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def at_noon(day: dt.date) -> dt.datetime:
    """An aware datetime on `day` (used when recording events for a past business date, e.g. demo data)."""
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def chinese_date(day: dt.date) -> str:
    """2023年7月19日: kept for callers that import it from here; defined once in workflow.labels."""
    from workflow.labels import chinese_date as in_chinese  # labels imports this module: resolve at call time

    return in_chinese(day)
