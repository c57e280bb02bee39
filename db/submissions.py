"""Monthly reporting (信息报送): a unit leader submits a reporting deadline's 附件2 and 附件1.

A submission freezes, in one transaction, the statistics and the typical-case ledger of the deadline's period as
JSON, numbers it from the unit's gapless series (kind code 报统: 沪市监浦报统〔2023〕3号) and stores the sha256 of
the frozen JSON's canonical text. Later edits of records change the live reports, never a submission; its PDF
and XLSX are re-rendered from the frozen JSON (documents.statistics_report.submission_pdf / submission_xlsx).

Deadlines come from the campaign's `reporting_deadlines` (data): each month's end, 08-15 (阶段性工作总结) and
11-15 (全年工作总结和统计表). A deadline whose data period the notice does not state (the phase summary) covers
the campaign's start to the end of the month before it is due (2023-06-01 … 2023-07-31 for 08-15).
A unit may submit a deadline again (a correction); the first submission decides on time or late.

Each campaign has its own deadlines: a deadline key (monthly-2023-06-30) names the campaign's deadline, and a
submission freezes that campaign's tables (its records, catalog and columns).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from db.activities import scope_unit
from db.campaigns import campaign_of_date
from db.models import ReportSubmission
from db.ledger import ledger
from db.models import Campaign, Unit
from db.statistics import statistics
from db.uow import Numbers
from workflow.actor import Actor
from workflow.clock import business_date
from workflow.clock import now as clock_now
from workflow.errors import Conflict, Forbidden, InputInvalid, NotFound
from workflow.numbering import format_number
from workflow.table import Role

KIND_KEY = "report_submission"  # the number series' kind
KIND_CODE = "报统"  # the kind code in the number
TEMPLATE_VERSION = 1

STATUS_LABELS = {"submitted": "按时报送", "late": "逾期报送", "missing": "逾期未报", "pending": "未到期"}


def canonical_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def frozen_sha256(frozen: dict) -> str:
    return hashlib.sha256(canonical_json(frozen).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReportingDeadline:
    key: str  # e.g. monthly-2023-06-30
    kind: str  # monthly | phase_summary | annual
    title: str
    due_on: dt.date
    covers_from: dt.date
    covers_to: dt.date

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "title": self.title, "due_on": self.due_on.isoformat(),
                "from": self.covers_from.isoformat(), "to": self.covers_to.isoformat()}


def reporting_deadlines(campaign: Campaign) -> list[ReportingDeadline]:
    """The campaign's deadlines in due order, each with the data period a submission covers."""
    deadlines = []
    for entry in campaign.reporting_deadlines:
        due = dt.date.fromisoformat(entry["due_on"])
        start = entry.get("covers_start")
        end = entry.get("covers_end")
        covers_from = dt.date.fromisoformat(start) if start else campaign.starts_on
        covers_to = dt.date.fromisoformat(end) if end else due.replace(day=1) - dt.timedelta(days=1)
        deadlines.append(ReportingDeadline(f"{entry['kind']}-{due.isoformat()}", entry["kind"], entry["title"], due,
                                           covers_from, min(covers_to, campaign.ends_on)))
    return sorted(deadlines, key=lambda d: d.due_on)


def find_deadline(session: Session, deadline_key: str,
                  today: dt.date) -> tuple[Campaign, ReportingDeadline] | tuple[None, None]:
    """The campaign and deadline a key names: today's campaign first, then the others, latest first."""
    current = campaign_of_date(session, today)
    others = session.execute(select(Campaign).where(Campaign.id != current.id)
                             .order_by(Campaign.starts_on.desc(), Campaign.id.desc())).scalars()
    for campaign in (current, *others):
        deadline = next((d for d in reporting_deadlines(campaign) if d.key == deadline_key), None)
        if deadline is not None:
            return campaign, deadline
    return None, None


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


def submit_report(uow: Any, actor: Actor, deadline_key: str, now: dt.datetime) -> dict[str, Any]:
    """A leader submits their unit's 附件2 and 附件1 for one deadline; returns the submission's `public` dict.

    Forbidden unless the actor is a unit leader; InputInvalid for an unknown deadline or one whose period has not
    begun. Opens and commits `uow` (a db.uow.SqlUnitOfWork).
    """
    if actor.role != Role.leader or actor.unit_id is None:
        raise Forbidden("只有本单位负责人可以报送统计表和典型案例")
    today = business_date(now)
    with uow:
        session: Session = uow.session
        campaign, deadline = find_deadline(session, deadline_key, today)
        if campaign is None or deadline is None:
            raise InputInvalid({"deadline_key": "没有这个报送节点"})
        if today < deadline.covers_from:
            raise InputInvalid({"deadline_key": f"数据周期自 {deadline.covers_from.isoformat()} 开始，尚不能报送"})
        unit = session.get(Unit, actor.unit_id)
        if unit is None or not unit.enforces:
            raise Conflict("本单位不承担专项行动的报送任务")
        table = statistics(session, unit_id=unit.id, date_from=deadline.covers_from, date_to=deadline.covers_to,
                           campaign=campaign)
        cases = ledger(session, unit_id=unit.id, date_from=deadline.covers_from, date_to=deadline.covers_to,
                       campaign=campaign)
        year = today.year
        serial = Numbers(session).next(unit.id, KIND_KEY, year)
        number = format_number(unit.number_format, short=unit.short_name, kind=KIND_CODE, year=year, n=serial)
        frozen = {
            "template_version": TEMPLATE_VERSION,
            "kind": KIND_KEY,
            "number": number,
            "campaign": {"name": campaign.name, "notice_number": campaign.notice_number},
            "unit": {"code": unit.code, "name": unit.name, "label": unit.label},
            "deadline": deadline.to_json(),
            "submitted_by": actor.name,
            "submitted_at": now.isoformat(),
            "submitted_on": today.isoformat(),
            "statistics": table.to_json(),
            "ledger": cases.to_json(),
        }
        row = ReportSubmission.model_validate(dict(
            campaign_id=campaign.id, unit_id=unit.id, deadline_key=deadline.key, due_on=deadline.due_on,
            period_from=deadline.covers_from, period_to=deadline.covers_to, year=year, serial=serial, number=number,
            submitted_by=actor.user_id, submitted_by_name=actor.name, submitted_at=now, submitted_on=today,
            frozen=frozen, sha256=frozen_sha256(frozen),
        ))
        session.add(row)
        session.flush()
        result = public(row)
        uow.commit()
        return result


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
