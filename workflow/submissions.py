"""Use case: a unit leader submits a reporting deadline's 附件2 and 附件1 (信息报送), and the deadlines themselves.

A submission freezes, in one transaction, the statistics and the typical-case ledger of the deadline's period as
JSON, numbers it from the unit's gapless series (kind code 报统: 沪市监浦报统〔2023〕3号) and stores the sha256 of
the frozen JSON's canonical text. Later edits of records change the live reports, never a submission.

Deadlines come from the campaign's `reporting_deadlines` (data): each month's end, 08-15 (阶段性工作总结) and
11-15 (全年工作总结和统计表). A deadline whose data period the notice does not state (the phase summary) covers
the campaign's start to the end of the month before it is due (2023-06-01 … 2023-07-31 for 08-15).
A unit may submit a deadline again (a correction); the first submission decides on time or late.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from workflow.actor import Actor
from workflow.audit import audit
from workflow.clock import business_date
from workflow.errors import Conflict, Forbidden, InputInvalid
from workflow.numbering import format_number
from workflow.ports import CampaignRecord, UnitOfWork
from workflow.table import Role

KIND_KEY = "report_submission"  # the number series' kind
KIND_CODE = "报统"  # the kind code in the number
TEMPLATE_VERSION = 1


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


def reporting_deadlines(campaign: CampaignRecord) -> list[ReportingDeadline]:
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


def _due_date_of(deadline_key: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(deadline_key[-10:])
    except ValueError:
        return None


def submit_report(uow: UnitOfWork, actor: Actor, deadline_key: str, now: dt.datetime) -> dict[str, Any]:
    """A leader submits their unit's 附件2 and 附件1 for one deadline; returns the submission's public dict.

    Forbidden unless the actor is a unit leader; InputInvalid for an unknown deadline or one whose period has not
    begun. The deadline belongs to the campaign of its due date.
    """
    if actor.role != Role.leader or actor.unit_id is None:
        raise Forbidden("只有本单位负责人可以报送统计表和典型案例")
    today = business_date(now)
    due = _due_date_of(deadline_key) if isinstance(deadline_key, str) else None
    if due is None:
        raise InputInvalid({"deadline_key": "没有这个报送节点"})
    with uow:
        campaign = uow.campaigns.of_date(due)
        deadline = next((d for d in reporting_deadlines(campaign) if d.key == deadline_key), None)
        if deadline is None:
            raise InputInvalid({"deadline_key": "没有这个报送节点"})
        if today < deadline.covers_from:
            raise InputInvalid({"deadline_key": f"数据周期自 {deadline.covers_from.isoformat()} 开始，尚不能报送"})
        unit = uow.units.get(actor.unit_id)
        if unit is None or not unit.enforces:
            raise Conflict("本单位不承担专项行动的报送任务")
        period = dict(unit_id=unit.id, date_from=deadline.covers_from, date_to=deadline.covers_to)
        table = uow.reports.statistics(campaign_id=campaign.id, **period)
        cases = uow.reports.ledger(campaign_id=campaign.id, **period)
        year = today.year
        serial = uow.numbers.next(unit.id, KIND_KEY, year)
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
            "statistics": table,
            "ledger": cases,
        }
        row = uow.submissions.add(
            campaign_id=campaign.id, unit_id=unit.id, deadline_key=deadline.key, due_on=deadline.due_on,
            period_from=deadline.covers_from, period_to=deadline.covers_to, year=year, serial=serial, number=number,
            submitted_by=actor.user_id, submitted_by_name=actor.name, submitted_at=now, submitted_on=today,
            frozen=frozen, sha256=frozen_sha256(frozen))
        result = uow.submissions.public(row)
        uow.commit()
    audit("report_submitted", submission_id=result["id"], number=number, deadline_key=deadline_key,
          unit_id=actor.unit_id, by=actor.user_id)
    return result
