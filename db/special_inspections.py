"""The two-failures rule: 对2年内2次及以上监督抽查不合格的企业组织专门现场检查 (2023 notice 四（二）7).

The numbers and words are the campaign's (its file's `special_inspection`: window_years, min_failures, source,
problem_type, the notice's sentence; workflow.campaigns.SpecialInspectionRule), taken from the campaign of the
reference date. 2023: 2 years, 2 failures, 监督抽查, 质量低劣.

Rule as implemented (one reading, chosen and documented): an enterprise is listed when it has `min_failures` or
more FAILED sampling inspections (batches_failed > 0; each inspection record counts once, whatever its number of
failed batches) dated within the `window_years` years that end on the reference date — from the same calendar
day that many years earlier to the reference date, both inclusive (29 February falls back to 28 February). The
reference date defaults to today, so the list is "who needs a special inspection now"; passing the date of a
past report reproduces that day's list.

Inspections are counted whichever unit recorded them (today a unit records inspections of its own enterprises
only, see workflow.records); the list is scoped by the ENTERPRISE's unit — the unit responsible for the special
inspection: handlers and leaders see their own unit's enterprises, supervisors and admins all (or one unit with
`unit_id`).

workflow.special_inspections registers the 专门现场检查 as a hazard item through the ordinary registration
(workflow.services.register_in), checking and writing in one transaction: the rule's source and problem type, the category and sub-product of the
latest failed inspection, facts listing the failed inspections and quoting the notice. An enterprise counts as
followed up when it has a hazard item with the rule's source found on or after its latest failed inspection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from db.campaigns import rules_of_date
from db.record_models import SamplingInspection
from db.models import Enterprise, HazardItem, Unit
from workflow.actor import Actor
from workflow.campaigns import CampaignRules, SpecialInspectionRule
from workflow.clock import chinese_date
from workflow.ports import SpecialInspectionCase
from workflow.scope import scope_unit


def special_inspection_rule(session: Session, reference: dt.date) -> SpecialInspectionRule:
    """The rule of the campaign `reference` belongs to."""
    return rules_of_date(session, reference).special_inspection


@dataclass(frozen=True)
class FailedInspection:
    id: int
    date: dt.date
    unit_label: str
    category: str
    sub_product: str | None
    level: str
    channel: str
    batches_sampled: int
    batches_failed: int

    def describe(self) -> str:
        product = f"{self.category}（{self.sub_product}）" if self.sub_product else self.category
        return (f"{chinese_date(self.date)}{self.unit_label}{self.level}监督抽查（{self.channel}领域）{product}，"
                f"抽查{self.batches_sampled}批次，不合格{self.batches_failed}批次")

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date.isoformat(), "unit": self.unit_label, "category": self.category,
                "sub_product": self.sub_product, "level": self.level, "channel": self.channel,
                "batches_sampled": self.batches_sampled, "batches_failed": self.batches_failed}


@dataclass(frozen=True)
class FlaggedEnterprise:
    enterprise_id: int
    uscc: str
    name: str
    unit_id: int
    unit_label: str
    window_from: dt.date
    window_to: dt.date
    failures: tuple[FailedInspection, ...]  # oldest first
    follow_up_item_id: int | None  # a 监督抽查 hazard item found on/after the latest failure, if any

    @property
    def failed_count(self) -> int:
        return len(self.failures)

    @property
    def latest(self) -> FailedInspection:
        return self.failures[-1]

    def to_json(self) -> dict[str, Any]:
        return {"enterprise_id": self.enterprise_id, "uscc": self.uscc, "name": self.name, "unit_id": self.unit_id,
                "unit": self.unit_label, "from": self.window_from.isoformat(), "to": self.window_to.isoformat(),
                "failed_count": self.failed_count, "failures": [f.to_json() for f in self.failures],
                "follow_up_item_id": self.follow_up_item_id}


def special_inspection_candidates(session: Session, actor: Actor, *, reference: dt.date,
                                  unit_id: int | None = None, enterprise_id: int | None = None,
                                  rule: SpecialInspectionRule | None = None) -> list[FlaggedEnterprise]:
    """Enterprises with ≥ `min_failures` failed sampling inspections in the `window_years` years ending on
    `reference`, most failures first. `rule`: default, the rule of `reference`'s campaign. Scoped by the
    enterprise's unit (see module doc)."""
    return _candidates(session, scope_unit(actor, unit_id), reference=reference, enterprise_id=enterprise_id,
                       rule=rule or special_inspection_rule(session, reference))


def _candidates(session: Session, scope: int | None, *, reference: dt.date, enterprise_id: int | None,
                rule: SpecialInspectionRule) -> list[FlaggedEnterprise]:
    start = rule.window_start(reference)
    in_window = _failed_in_window(rule, reference)
    flagged = (
        select(SamplingInspection.enterprise_id)
        .join(Enterprise, Enterprise.id == SamplingInspection.enterprise_id)
        .where(*in_window)
        .group_by(SamplingInspection.enterprise_id)
        .having(func.count(SamplingInspection.id) >= rule.min_failures)
    )
    if scope is not None:
        flagged = flagged.where(Enterprise.unit_id == scope)
    if enterprise_id is not None:
        flagged = flagged.where(SamplingInspection.enterprise_id == enterprise_id)
    ids = list(session.execute(flagged).scalars())
    if not ids:
        return []
    failures: dict[int, list[FailedInspection]] = {}
    rows = session.execute(
        select(SamplingInspection, Unit.label)
        .join(Unit, Unit.id == SamplingInspection.unit_id)
        .where(SamplingInspection.enterprise_id.in_(ids), *in_window)
        .order_by(SamplingInspection.date, SamplingInspection.id)
    ).all()
    for inspection, label in rows:
        failures.setdefault(inspection.enterprise_id, []).append(FailedInspection(
            inspection.id, inspection.date, label, inspection.category, inspection.sub_product, inspection.level,
            inspection.channel, inspection.batches_sampled, inspection.batches_failed))
    follow_ups: dict[int, list[tuple[dt.date, int]]] = {}
    for eid, found_on, item_id in session.execute(
        select(HazardItem.enterprise_id, HazardItem.found_on, HazardItem.id)
        .where(HazardItem.enterprise_id.in_(ids), HazardItem.source == rule.source)
        .order_by(HazardItem.found_on, HazardItem.id)
    ):
        follow_ups.setdefault(eid, []).append((found_on, item_id))
    result = []
    for enterprise, label in session.execute(
        select(Enterprise, Unit.label).join(Unit, Unit.id == Enterprise.unit_id).where(Enterprise.id.in_(ids))
    ).all():
        found = failures[enterprise.id]
        later = [item_id for found_on, item_id in follow_ups.get(enterprise.id, []) if found_on >= found[-1].date]
        result.append(FlaggedEnterprise(enterprise.id, enterprise.uscc, enterprise.name, enterprise.unit_id, label,
                                        start, reference, tuple(found), later[-1] if later else None))
    return sorted(result, key=lambda f: (-f.failed_count, f.latest.date, f.enterprise_id))


def special_inspection_facts(flagged: FlaggedEnterprise, rules: CampaignRules) -> str:
    """The facts (隐患事实) of the registered item: the failed inspections, and the campaign's rule that applies,
    quoted from its notice."""
    rule = rules.special_inspection
    lines = "；".join(f"{n}. {f.describe()}" for n, f in enumerate(flagged.failures, start=1))
    return (f"{flagged.name}在{chinese_date(flagged.window_from)}至{chinese_date(flagged.window_to)}"
            f"{rule.window_label}内监督抽查不合格{flagged.failed_count}次：{lines}。"
            f"依据{rules.cited_title}“{rule.requirement}”的要求，登记专门现场检查。")


def failures_in_window(session: Session, enterprise_id: int, *, reference: dt.date) -> int:
    """How many of the enterprise's sampling inspections count towards the rule of `reference`'s campaign."""
    rule = special_inspection_rule(session, reference)
    return int(session.execute(select(func.count()).select_from(SamplingInspection).where(
        SamplingInspection.enterprise_id == enterprise_id, *_failed_in_window(rule, reference))).scalar_one())


def _failed_in_window(rule: SpecialInspectionRule, reference: dt.date) -> tuple[Any, ...]:
    """The rule's conditions on a sampling inspection: failed, dated within the window ending on `reference`."""
    return (SamplingInspection.batches_failed > 0, SamplingInspection.date >= rule.window_start(reference),
            SamplingInspection.date <= reference)


def special_inspection_case(session: Session, enterprise_id: int, *,
                            reference: dt.date) -> SpecialInspectionCase | None:
    """What registering the enterprise's 专门现场检查 needs (None: not listed on `reference`). The caller has
    checked the actor may act for the enterprise; read inside the registering transaction
    (workflow.special_inspections)."""
    rules = rules_of_date(session, reference)
    rule = rules.special_inspection
    found = _candidates(session, None, reference=reference, enterprise_id=enterprise_id, rule=rule)
    if not found:
        return None
    flagged = found[0]
    latest = flagged.latest
    return SpecialInspectionCase(
        enterprise_id=flagged.enterprise_id, enterprise_uscc=flagged.uscc, unit_id=flagged.unit_id,
        category=latest.category, sub_product=latest.sub_product, facts=special_inspection_facts(flagged, rules),
        source=rule.source, problem_type=rule.problem_type, follow_up_item_id=flagged.follow_up_item_id)


def not_listed_reason(session: Session, *, reference: dt.date) -> str:
    """Why an enterprise is not listed, in the words of the rule of `reference`'s campaign."""
    rule = special_inspection_rule(session, reference)
    return f"该企业{rule.window_label}内监督抽查不合格不足{rule.min_failures}次，无需专门现场检查"
