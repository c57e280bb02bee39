"""The deadline each event starts (DESIGN §4), and overdue computed from it — never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workflow.table import Deadline
from workflow.workdays import add_working_days

VERIFICATION_WORKING_DAYS = 15  # 程序规定 第十八条: decide within 15 working days of discovery
CASE_DECISION_DAYS = 90  # 行政处罚法 第六十条


@dataclass(frozen=True)
class Deadlines:
    current: dt.date | None
    case: dt.date | None


def started_by(rule: Deadline, *, item: Any, cleaned: dict[str, Any], today: dt.date) -> Deadlines:
    """The item's deadlines after an event with deadline rule `rule` (item holds the values before it)."""
    case = item.case_deadline if item is not None else None
    if rule is Deadline.verification:
        return Deadlines(add_working_days(cleaned["found_on"], VERIFICATION_WORKING_DAYS), None)
    if rule is Deadline.input_deadline:
        return Deadlines(cleaned["deadline"], case)
    if rule is Deadline.case_decision:
        decision = today + dt.timedelta(days=CASE_DECISION_DAYS)
        return Deadlines(decision, decision)
    if rule is Deadline.seizure_end:
        end = today + dt.timedelta(days=cleaned["period_days"])
        return Deadlines(end, case)
    if rule is Deadline.decision_resumes:
        # The decision clock stood still while the police held the case: shift it by the days spent transferred.
        paused = max((today - item.state_since).days, 0)
        resumed = (case + dt.timedelta(days=paused)) if case else today + dt.timedelta(days=CASE_DECISION_DAYS)
        return Deadlines(resumed, resumed)
    if rule is Deadline.recheck_date:
        return Deadlines(cleaned["scheduled_on"], None)
    if rule is Deadline.none:
        # Leaving for the police keeps the decision deadline for when the case comes back.
        return Deadlines(None, case)
    return Deadlines(item.deadline, case)


def is_overdue(deadline: dt.date | None, today: dt.date) -> bool:
    return deadline is not None and today > deadline


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    """Positive: days left; negative: days overdue; None: no deadline."""
    return None if deadline is None else (deadline - today).days
