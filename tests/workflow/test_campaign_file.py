"""A campaign file is checked before anything is stored; what is special to a campaign is read from it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from workflow.campaign_file import read_campaign_file
from workflow.campaigns import CampaignRules
from workflow.errors import InputInvalid
from workflow.statistics_columns import STAT_COLUMNS, statistics_notes

REPO = Path(__file__).resolve().parents[2]
FILE_2023 = json.loads((REPO / "db/reference/campaign_2023.json").read_text(encoding="utf-8"))
FILE_2024 = json.loads((REPO / "tests/db/campaign_2024.json").read_text(encoding="utf-8"))


def errors(change) -> dict[str, str]:
    data = copy.deepcopy(FILE_2024)
    change(data)
    with pytest.raises(InputInvalid) as caught:
        read_campaign_file(data, fallback_key="campaign_x")
    return caught.value.fields


def test_the_2023_file_says_what_was_code_before():
    read = read_campaign_file(FILE_2023, fallback_key="ignored")
    assert read.key == "campaign_2023"
    rules = read.rules
    assert rules.priority_category == "燃气用品" and rules.priority.label == "全覆盖整治"
    assert rules.statistics_columns == STAT_COLUMNS  # the 15 columns of the notice's 附件2, in its order
    rule = rules.special_inspection
    assert (rule.window_years, rule.min_failures, rule.source, rule.problem_type) == (2, 2, "监督抽查", "质量低劣")
    assert rules.cited_title == "《关于开展2023年度重点工业产品质量安全隐患排查治理专项行动的通知》"
    assert CampaignRules.from_json(json.loads(json.dumps(rules.to_json()))) == rules  # as Campaign.rules stores it


def test_the_key_falls_back_to_the_file_stem():
    data = copy.deepcopy(FILE_2024)
    del data["key"]
    assert read_campaign_file(data, fallback_key="campaign_2024_draft").key == "campaign_2024_draft"


@pytest.mark.parametrize("change, field, words", [
    (lambda d: d["statistics_columns"][0].update(key="recalls"), "statistics_columns[0].key", "recalls"),
    (lambda d: d["statistics_columns"].append(dict(d["statistics_columns"][0])), "statistics_columns[14].key", "重复"),
    (lambda d: d["statistics_columns"][-1].update(group="风险监测"), "statistics_columns[13].group", "相邻"),
    (lambda d: d["statistics_columns"][2].update(header_lines=[]), "statistics_columns[2].header_lines", "表头"),
    (lambda d: d.update(statistics_columns=[]), "statistics_columns", "不能为空"),
    (lambda d: d["period"].update(end="2024-04-30"), "period.end", "早于"),
    (lambda d: d["period"].update(start="2024/05/01"), "period.start", "YYYY-MM-DD"),
    (lambda d: d["reporting_deadlines"][0].update(kind="weekly"), "reporting_deadlines[0].kind", "monthly"),
    (lambda d: d["reporting_deadlines"].append(dict(d["reporting_deadlines"][0])), "reporting_deadlines[9].due_on",
     "重复"),
    (lambda d: d["categories"].append(dict(d["categories"][0])), "categories[21].name", "重复"),
    (lambda d: d["problem_types"][0].update(domain="retail"), "problem_types[0].domain", "problem_domains"),
    (lambda d: d["priority_category"].update(name="电动滑板车"), "priority_category.name", "categories"),
    (lambda d: d["special_inspection"].update(source="上级交办"), "special_inspection.source", "sources"),
    (lambda d: d["special_inspection"].update(min_failures=True), "special_inspection.min_failures", "整数"),
    (lambda d: d["special_inspection"].update(window_years=0), "special_inspection.window_years", "之间"),
    (lambda d: d.pop("notice_title"), "notice_title", "缺少"),
    (lambda d: d.update(key="2024 campaign"), "key", "字母"),
])
def test_each_error_names_its_field(change, field, words):
    found = errors(change)
    assert field in found, found
    assert words in found[field]


def test_every_error_of_a_file_is_reported_at_once():
    def many(d):
        d["period"]["start"] = "not a date"
        d["statistics_columns"][3]["key"] = "nope"
        d["sources"] = "日常巡查"

    assert {"period.start", "statistics_columns[3].key", "sources"} <= set(errors(many))


def test_the_footnote_follows_the_campaigns_columns():
    rules = read_campaign_file(FILE_2024, fallback_key="x").rules
    notes = statistics_notes(rules.statistics_columns)
    assert "案值" not in notes[2] and "依法曝光案件（起）" in notes[2]
    assert "三列按企业去重计数" in notes[1]
    only_one = tuple(c for c in rules.statistics_columns if c.key not in ("sampled_enterprises", "assisted_enterprises"))
    assert "“约谈企业（家）”一列按企业去重计数" in statistics_notes(only_one)[1]
    none = tuple(c for c in only_one if not c.distinct_enterprises)
    assert statistics_notes(none)[1] == "合计行为各产品类别之和。"
