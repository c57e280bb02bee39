"""Which campaign: the one rule that says which campaign a record, a date or a report period belongs to.

A campaign is data (a file like db/reference/campaign_2023.json, loaded by `hazardtrack init` or
`hazardtrack load-campaign FILE.json`). Every record belongs to one campaign, chosen from its date:
- the campaign whose period contains the date (the latest started, if periods overlap);
- else the latest campaign that started before the date: work found after a campaign's end (回头看, follow-ups)
  stays with it until the next campaign starts;
- else (a date before every campaign) the earliest campaign.
A report for a period uses the campaign of the period's first day, unless one is named explicitly.

What is special to one campaign (its priority category, the special-inspection rule, the notice's title, the
附件2 columns) is its `CampaignRules`, read from its file (workflow.campaign_file) and stored with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from workflow.statistics_columns import StatColumn, columns_from_layout


@dataclass(frozen=True)
class CampaignPeriod:
    """What the rule needs to know of a campaign."""

    id: int
    key: str
    starts_on: dt.date
    ends_on: dt.date


def campaign_for(day: dt.date, campaigns: Iterable[CampaignPeriod]) -> CampaignPeriod | None:
    """The campaign `day` belongs to (see the module doc); None only when there is no campaign at all."""
    ordered: Sequence[CampaignPeriod] = sorted(campaigns, key=lambda c: (c.starts_on, c.id))
    if not ordered:
        return None
    containing = [c for c in ordered if c.starts_on <= day <= c.ends_on]
    if containing:
        return containing[-1]
    started = [c for c in ordered if c.starts_on <= day]
    return started[-1] if started else ordered[0]


# --- what is special to one campaign: its rules, stored with it (Campaign.rules, from its file) -----------------


@dataclass(frozen=True)
class PriorityCategory:
    """The category the campaign singles out (2023: 燃气用品, 全覆盖整治): listed first to supervisors, marked."""

    name: str
    label: str  # what the mark says beside the name, e.g. 全覆盖整治


_YEARS = {1: "一年", 2: "两年", 3: "三年", 4: "四年", 5: "五年"}


@dataclass(frozen=True)
class SpecialInspectionRule:
    """对2年内2次及以上监督抽查不合格的企业组织专门现场检查 (2023: notice 四（二）7), as numbers and words.

    The window is the `window_years` years ending on the reference date, from the same calendar day
    `window_years` years earlier (29 February falls back to 28 February), both ends inclusive.
    """

    window_years: int
    min_failures: int
    source: str  # the registered item's 来源 (a source of the catalog)
    problem_type: str  # the registered item's 重点问题 (a problem type of the catalog)
    requirement: str  # the notice's sentence, quoted in the item's facts
    clause: str  # where the notice says it, e.g. 四（二）7

    @property
    def window_label(self) -> str:
        """The window in words: 两年 (as the notice's 2年内 reads in a sentence)."""
        return _YEARS.get(self.window_years, f"{self.window_years}年")

    def window_start(self, reference: dt.date) -> dt.date:
        try:
            return reference.replace(year=reference.year - self.window_years)
        except ValueError:  # 29 February
            return reference.replace(year=reference.year - self.window_years, day=28)


@dataclass(frozen=True)
class CampaignRules:
    """A campaign's own rules; `to_json` is what Campaign.rules stores, `from_json` reads it back."""

    notice_title: str  # the notice's full title, e.g. 上海市市场监督管理局关于开展2023年度…专项行动的通知
    issuer: str  # who issued it, e.g. 上海市市场监督管理局
    priority: PriorityCategory | None
    special_inspection: SpecialInspectionRule
    statistics_columns: tuple[StatColumn, ...]  # the campaign's 附件2 columns, in order

    @property
    def priority_category(self) -> str | None:
        return self.priority.name if self.priority else None

    @property
    def cited_title(self) -> str:
        """The notice as a document cites it: 《关于开展…的通知》 (the title without its issuer)."""
        title = self.notice_title
        if self.issuer and title.startswith(self.issuer) and len(title) > len(self.issuer):
            title = title[len(self.issuer):]
        return f"《{title}》"

    def to_json(self) -> dict[str, Any]:
        rule = self.special_inspection
        return {
            "notice_title": self.notice_title,
            "issuer": self.issuer,
            "priority_category": ({"name": self.priority.name, "label": self.priority.label}
                                  if self.priority else None),
            "special_inspection": {"window_years": rule.window_years, "min_failures": rule.min_failures,
                                   "source": rule.source, "problem_type": rule.problem_type,
                                   "requirement": rule.requirement, "clause": rule.clause},
            "statistics_columns": [c.layout() for c in self.statistics_columns],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CampaignRules":
        priority = data.get("priority_category")
        rule = data["special_inspection"]
        return cls(
            notice_title=data["notice_title"],
            issuer=data.get("issuer", ""),
            priority=PriorityCategory(priority["name"], priority.get("label", "")) if priority else None,
            special_inspection=SpecialInspectionRule(
                int(rule["window_years"]), int(rule["min_failures"]), rule["source"], rule["problem_type"],
                rule["requirement"], rule.get("clause", "")),
            statistics_columns=columns_from_layout(data["statistics_columns"]),
        )
