"""Monthly reporting (信息报送), the read side: submissions, their frozen tables, each deadline's status per unit.

Submitting is a use case (workflow.submissions.submit_report); the deadlines are the campaign's data
(workflow.submissions.reporting_deadlines).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from db.campaigns import campaign_of_date
from db.models import Campaign, ReportSubmission, Unit
from workflow.actor import Actor
from workflow.clock import business_date
from workflow.clock import now as clock_now
from workflow.errors import NotFound
from workflow.labels import SUBMISSION_STATUS_LABELS as STATUS_LABELS
from workflow.scope import scope_unit
from workflow.submissions import ReportingDeadline, frozen_sha256, reporting_deadlines


def _campaign(session: Session, campaign: Campaign | int | None, today: dt.date) -> Campaign:
    if campaign is None:
        return campaign_of_date(session, today)
    if isinstance(campaign, Campaign):
        return campaign
    found = session.get(Campaign, campaign)
    if found is None:
        raise NotFound("专项行动不存在")
    return found


def public(row: ReportSubmission) -> dict[str, Any]:
    """A submission's metadata (without the frozen tables)."""
    return {
        "id": row.id,
        "number": row.number,
        "unit_id": row.unit_id,
        "unit": row.frozen.get("unit", {}).get("name"),
        "deadline_key": row.deadline_key,
        "title": row.frozen.get("deadline", {}).get("title"),
        "due_on": row.due_on.isoformat(),
        "from": row.period_from.isoformat(),
        "to": row.period_to.isoformat(),
        "submitted_by": row.submitted_by_name,
        "submitted_at": row.submitted_at.isoformat(),
        "submitted_on": row.submitted_on.isoformat(),
        "on_time": row.submitted_on <= row.due_on,
        "sha256": row.sha256,
    }


def get_submission(session: Session, actor: Actor, submission_id: int) -> ReportSubmission:
    """The row (its `frozen` JSON renders the PDF/XLSX); NotFound when absent or another unit's."""
    row = session.get(ReportSubmission, submission_id)
    if row is None or not actor.can_see_unit(row.unit_id):
        raise NotFound("报送记录不存在或无权查看")
    return row


def verify_submission(row: ReportSubmission) -> bool:
    """True when the frozen JSON still hashes to the stored sha256."""
    return frozen_sha256(row.frozen) == row.sha256


def list_submissions(session: Session, actor: Actor, unit_id: int | None = None,
                     deadline_key: str | None = None) -> list[dict[str, Any]]:
    """Submissions visible to the actor, newest first, as `public` dicts."""
    scope = scope_unit(actor, unit_id)
    query = select(ReportSubmission)
    if scope is not None:
        query = query.where(ReportSubmission.unit_id == scope)
    if deadline_key:
        query = query.where(ReportSubmission.deadline_key == deadline_key)
    rows = session.execute(query.order_by(ReportSubmission.submitted_at.desc(), ReportSubmission.id.desc())).scalars()
    return [public(r) for r in rows]


@dataclass(frozen=True)
class UnitStatus:
    unit_id: int
    unit_code: str
    unit_label: str
    status: str  # submitted | late | missing | pending
    submission_id: int | None = None
    number: str | None = None
    submitted_on: dt.date | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_json(self) -> dict[str, Any]:
        return {"unit_id": self.unit_id, "unit_code": self.unit_code, "unit": self.unit_label,
                "status": self.status, "status_label": self.status_label, "submission_id": self.submission_id,
                "number": self.number, "submitted_on": self.submitted_on.isoformat() if self.submitted_on else None}


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: ReportingDeadline
    units: tuple[UnitStatus, ...]

    def count(self, status: str) -> int:
        return sum(1 for u in self.units if u.status == status)

    def to_json(self) -> dict[str, Any]:
        return {**self.deadline.to_json(), "units": [u.to_json() for u in self.units],
                "counts": {s: self.count(s) for s in STATUS_LABELS}}


def submission_status(session: Session, campaign: Campaign | int | None = None, *,
                      today: dt.date | None = None) -> list[DeadlineStatus]:
    """Every deadline of the campaign × every enforcing unit: submitted (on time) / late / missing (past due,
    nothing submitted) / pending (not yet due, nothing submitted). The first submission decides on time or late.
    `today` defaults to the business date now; `campaign` to today's. For supervisors (the caller checks the
    role)."""
    today = today or business_date(clock_now())
    campaign = _campaign(session, campaign, today)
    units = list(session.execute(select(Unit).where(Unit.enforces).order_by(Unit.position)).scalars())
    first: dict[tuple[int, str], ReportSubmission] = {}
    for row in session.execute(
        select(ReportSubmission).where(ReportSubmission.campaign_id == campaign.id)
        .order_by(ReportSubmission.submitted_at, ReportSubmission.id)
    ).scalars():
        first.setdefault((row.unit_id, row.deadline_key), row)
    result = []
    for deadline in reporting_deadlines(campaign):
        statuses = []
        for unit in units:
            row = first.get((unit.id, deadline.key))
            if row is None:
                status = "missing" if today > deadline.due_on else "pending"
                statuses.append(UnitStatus(unit.id, unit.code, unit.label, status))
            else:
                status = "submitted" if row.submitted_on <= deadline.due_on else "late"
                statuses.append(UnitStatus(unit.id, unit.code, unit.label, status, row.id, row.number,
                                           row.submitted_on))
        result.append(DeadlineStatus(deadline, tuple(statuses)))
    return result
