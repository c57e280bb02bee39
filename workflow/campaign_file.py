"""A campaign file (db/reference/campaign_2023.json is the model), read and checked before anything is stored.

`read_campaign_file(data, fallback_key=…)` returns a `CampaignFile` or raises InputInvalid naming every offending
field by its path in the file (`period.start`, `categories[3].name`, `statistics_columns[2].key`), in Chinese.
What it checks, beyond each field's type:
- the period, the phases and the deadlines are ISO dates, each range in order; deadline keys are unique;
- category, problem-type and source names are unique; a problem type's domain is one of `problem_domains`;
- the priority category is a category of the file; the special inspection's source and problem type are
  the file's own; its numbers are small positive integers;
- the 附件2 columns name only keys the code knows how to count (workflow.statistics_columns.COUNTING_RULES),
  each once, with each group's columns side by side.
The key of the campaign is the file's `key`, else the file name's stem (campaign_2023).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Mapping

from workflow.campaigns import CampaignRules, PriorityCategory, SpecialInspectionRule
from workflow.errors import InputInvalid
from workflow.statistics_columns import COUNTING_RULES, column

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$")
DEADLINE_KINDS = ("monthly", "phase_summary", "annual")
MAX_NAME = 100  # Category.name, CatalogTerm.name


@dataclass(frozen=True)
class CampaignFile:
    """A checked campaign file: the Campaign row's fields, its catalog and its rules."""

    key: str
    name: str
    notice_number: str
    issued_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    phases: list[dict[str, Any]]
    reporting_deadlines: list[dict[str, Any]]
    categories: list[tuple[int, str, list[str]]]  # (position, name, sub-products)
    problem_types: list[tuple[str, str | None]]  # (name, domain)
    sources: list[str]
    rules: CampaignRules


class _Check:
    """Collects the errors of one file, each under its field path."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def text(self, data: Mapping[str, Any], name: str, path: str, *, max_length: int, required: bool = True,
             default: str = "") -> str:
        value = data.get(name)
        if value is None and not required:
            return default
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "缺少该字段" if value is None else "应为非空文字")
            return default
        if len(value) > max_length:
            self.fail(path, f"不得超过 {max_length} 个字符")
        return value.strip()

    def date(self, data: Mapping[str, Any], name: str, path: str, *, required: bool = True) -> dt.date | None:
        value = data.get(name)
        if value is None:
            if required:
                self.fail(path, "缺少该字段")
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"应为日期（YYYY-MM-DD），而不是 {value!r}")
            return None

    def integer(self, data: Mapping[str, Any], name: str, path: str, *, low: int, high: int) -> int:
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, "缺少该字段" if value is None else "应为整数")
            return low
        if not low <= value <= high:
            self.fail(path, f"应在 {low} 到 {high} 之间")
        return value

    def mapping(self, data: Mapping[str, Any], name: str, path: str) -> Mapping[str, Any]:
        value = data.get(name)
        if not isinstance(value, dict):
            self.fail(path, "缺少该字段" if value is None else "应为对象（{…}）")
            return {}
        return value

    def listing(self, data: Mapping[str, Any], name: str, path: str, *, non_empty: bool = True) -> list[Any]:
        value = data.get(name)
        if not isinstance(value, list):
            self.fail(path, "缺少该字段" if value is None else "应为列表（[…]）")
            return []
        if non_empty and not value:
            self.fail(path, "不能为空")
        return value

    def ordered(self, start: dt.date | None, end: dt.date | None, path: str) -> None:
        if start and end and end < start:
            self.fail(path, "结束日期不能早于开始日期")


def read_campaign_file(data: Any, *, fallback_key: str) -> CampaignFile:
    """Check a campaign file's JSON (already parsed); InputInvalid names each offending field."""
    if not isinstance(data, dict):
        raise InputInvalid({"(文件)": "专项行动文件应为 JSON 对象（{…}）"})
    check = _Check()
    key = data.get("key", fallback_key)
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        check.fail("key", "应为 1–50 个字母、数字、下划线、点或连字符，以字母或数字开头")
    name = check.text(data, "name", "name", max_length=200)
    notice_number = check.text(data, "notice_number", "notice_number", max_length=100)
    notice_title = check.text(data, "notice_title", "notice_title", max_length=300)
    issuer = check.text(data, "issuer", "issuer", max_length=100, required=False)
    issued_on = check.date(data, "issued_on", "issued_on")
    period = check.mapping(data, "period", "period")
    starts_on = check.date(period, "start", "period.start") if period else None
    ends_on = check.date(period, "end", "period.end") if period else None
    check.ordered(starts_on, ends_on, "period.end")

    phases = []
    for n, phase in enumerate(check.listing(data, "phases", "phases", non_empty=False)):
        path = f"phases[{n}]"
        if not isinstance(phase, dict):
            check.fail(path, "应为对象（{name, start, end}）")
            continue
        check.text(phase, "name", f"{path}.name", max_length=MAX_NAME)
        start, end = check.date(phase, "start", f"{path}.start"), check.date(phase, "end", f"{path}.end")
        check.ordered(start, end, f"{path}.end")
        phases.append(dict(phase))

    deadlines, deadline_keys = [], set()
    for n, entry in enumerate(check.listing(data, "reporting_deadlines", "reporting_deadlines", non_empty=False)):
        path = f"reporting_deadlines[{n}]"
        if not isinstance(entry, dict):
            check.fail(path, "应为对象（{kind, due_on, title, …}）")
            continue
        kind = entry.get("kind")
        if kind not in DEADLINE_KINDS:
            check.fail(f"{path}.kind", "应为 " + "、".join(DEADLINE_KINDS) + " 之一")
        due = check.date(entry, "due_on", f"{path}.due_on")
        check.text(entry, "title", f"{path}.title", max_length=MAX_NAME)
        start = check.date(entry, "covers_start", f"{path}.covers_start", required=False)
        end = check.date(entry, "covers_end", f"{path}.covers_end", required=False)
        check.ordered(start, end, f"{path}.covers_end")
        if due is not None and kind in DEADLINE_KINDS:
            deadline_key = f"{kind}-{due.isoformat()}"
            if deadline_key in deadline_keys:
                check.fail(f"{path}.due_on", f"与前面的报送节点重复（{deadline_key}）")
            deadline_keys.add(deadline_key)
        deadlines.append(dict(entry))

    categories: list[tuple[int, str, list[str]]] = []
    for n, entry in enumerate(check.listing(data, "categories", "categories")):
        path = f"categories[{n}]"
        if not isinstance(entry, dict):
            check.fail(path, "应为对象（{name, sub_products}）")
            continue
        category = check.text(entry, "name", f"{path}.name", max_length=MAX_NAME)
        subs = entry.get("sub_products", [])
        if not isinstance(subs, list) or not all(isinstance(s, str) and s.strip() for s in subs):
            check.fail(f"{path}.sub_products", "应为文字的列表")
            subs = []
        elif len(set(subs)) != len(subs):
            check.fail(f"{path}.sub_products", "有重复的产品")
        elif any(len(s) > MAX_NAME for s in subs):
            check.fail(f"{path}.sub_products", f"每项不得超过 {MAX_NAME} 个字符")
        position = entry.get("position", n + 1)
        if isinstance(position, bool) or not isinstance(position, int):
            check.fail(f"{path}.position", "应为整数")
            position = n + 1
        if category and any(category == c[1] for c in categories):
            check.fail(f"{path}.name", f"产品类别“{category}”重复")
        categories.append((position, category, [s.strip() for s in subs]))

    domains = data.get("problem_domains") or {}
    if not isinstance(domains, dict):
        check.fail("problem_domains", "应为对象（{代码: 名称}）")
        domains = {}
    problem_types: list[tuple[str, str | None]] = []
    for n, entry in enumerate(check.listing(data, "problem_types", "problem_types")):
        path = f"problem_types[{n}]"
        term, domain = (entry.get("name"), entry.get("domain")) if isinstance(entry, dict) else (entry, None)
        if not isinstance(term, str) or not term.strip():
            check.fail(path if not isinstance(entry, dict) else f"{path}.name", "应为非空文字")
            continue
        if len(term) > MAX_NAME:
            check.fail(path, f"不得超过 {MAX_NAME} 个字符")
        if domain is not None and domain not in domains:
            check.fail(f"{path}.domain", "应为 problem_domains 中的一项：" + "、".join(domains))
        if any(term == t for t, _ in problem_types):
            check.fail(path, f"重点问题“{term}”重复")
        problem_types.append((term.strip(), domain))

    sources: list[str] = []
    for n, entry in enumerate(check.listing(data, "sources", "sources")):
        if not isinstance(entry, str) or not entry.strip() or len(entry) > MAX_NAME:
            check.fail(f"sources[{n}]", f"应为不超过 {MAX_NAME} 个字符的非空文字")
            continue
        if entry in sources:
            check.fail(f"sources[{n}]", f"来源“{entry}”重复")
        sources.append(entry.strip())

    names = {c[1] for c in categories}
    priority = None
    raw_priority = data.get("priority_category")
    if raw_priority is not None:
        if not isinstance(raw_priority, dict):
            check.fail("priority_category", "应为对象（{name, label}）或 null")
        else:
            priority_name = check.text(raw_priority, "name", "priority_category.name", max_length=MAX_NAME)
            label = check.text(raw_priority, "label", "priority_category.label", max_length=50, required=False)
            if priority_name and priority_name not in names:
                check.fail("priority_category.name", f"“{priority_name}”不是本文件 categories 中的产品类别")
            priority = PriorityCategory(priority_name, label)

    special = check.mapping(data, "special_inspection", "special_inspection")
    rule = SpecialInspectionRule(
        window_years=check.integer(special, "window_years", "special_inspection.window_years", low=1, high=10)
        if special else 1,
        min_failures=check.integer(special, "min_failures", "special_inspection.min_failures", low=1, high=99)
        if special else 1,
        source=check.text(special, "source", "special_inspection.source", max_length=MAX_NAME) if special else "",
        problem_type=check.text(special, "problem_type", "special_inspection.problem_type", max_length=MAX_NAME)
        if special else "",
        requirement=check.text(special, "requirement", "special_inspection.requirement", max_length=500)
        if special else "",
        clause=check.text(special, "clause", "special_inspection.clause", max_length=50, required=False)
        if special else "",
    )
    if rule.source and sources and rule.source not in sources:
        check.fail("special_inspection.source", f"“{rule.source}”不是本文件 sources 中的来源")
    if rule.problem_type and problem_types and rule.problem_type not in {t for t, _ in problem_types}:
        check.fail("special_inspection.problem_type", f"“{rule.problem_type}”不是本文件 problem_types 中的重点问题")

    columns = []
    seen_groups: list[str] = []
    for n, entry in enumerate(check.listing(data, "statistics_columns", "statistics_columns")):
        path = f"statistics_columns[{n}]"
        if not isinstance(entry, dict):
            check.fail(path, "应为对象（{key, group, header_lines}）")
            continue
        column_key = entry.get("key")
        if column_key not in COUNTING_RULES:
            check.fail(f"{path}.key", f"未知的统计列“{column_key}”：本系统只会统计 " + "、".join(COUNTING_RULES))
            continue
        if any(c.key == column_key for c in columns):
            check.fail(f"{path}.key", f"统计列“{column_key}”重复")
            continue
        group = check.text(entry, "group", f"{path}.group", max_length=50)
        lines = entry.get("header_lines")
        if not isinstance(lines, list) or not lines or not all(isinstance(x, str) and x for x in lines):
            check.fail(f"{path}.header_lines", "应为非空文字的列表（表头按行书写）")
            lines = [column_key]
        if group and seen_groups and group != seen_groups[-1] and group in seen_groups:
            check.fail(f"{path}.group", f"分组“{group}”的列应相邻排列")
        if group and (not seen_groups or seen_groups[-1] != group):
            seen_groups.append(group)
        columns.append(column(column_key, group, lines))

    if check.errors:
        raise InputInvalid(check.errors, "专项行动文件有误：" + "；".join(f"{k}：{v}" for k, v in check.errors.items()))
    assert issued_on and starts_on and ends_on
    return CampaignFile(
        key=key, name=name, notice_number=notice_number, issued_on=issued_on, starts_on=starts_on, ends_on=ends_on,
        phases=phases, reporting_deadlines=deadlines, categories=categories, problem_types=problem_types,
        sources=sources,
        rules=CampaignRules(notice_title=notice_title, issuer=issuer, priority=priority, special_inspection=rule,
                            statistics_columns=tuple(columns)),
    )
