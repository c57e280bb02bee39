"""附件2 重点工业产品质量安全隐患排查治理情况统计表: which columns the code knows how to count, and a campaign's layout.

Two halves, kept apart on purpose:
- the COUNTING RULES belong to the code: each column key (`risk_information`, `fines`, …) has one counting rule
  (Chinese for the printed footnote, English for the README), whether it is money (万元, two decimals) and whether
  合计 counts distinct enterprises. db/statistics.py holds the SQL of each key (and checks at import that it counts
  exactly the keys of COUNTING_RULES);
- the LAYOUT belongs to the campaign (its file's `statistics_columns`: keys in order, each with its group and its
  header lines). `columns_from_layout` joins the two; a layout naming a key the code cannot count is refused.

STAT_COLUMNS is the 2023 notice's layout (db/reference/campaign_2023.json). Reports take their campaign's columns;
STAT_COLUMNS remains the layout of JSON written before layouts were data (frozen submissions print as they did)
and of the README's counting-rules section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from workflow.labels import CITY_LABEL, STATISTICS_TITLE  # noqa: F401  (填表单位 of a city-wide table; the title)

# --- 附件2 重点工业产品质量安全隐患排查治理情况统计表 ------------------------------------------------------------

STATISTICS_ATTACHMENT = "附件2"
CATEGORY_HEADER = "产品类别"
TOTAL_LABEL = "合计"


@dataclass(frozen=True)
class CountingRule:
    """What the code knows of a column key: how it is counted."""

    rule: str  # the counting rule, Chinese (printed under the table)
    rule_en: str  # the same rule in English (README)
    money: bool = False  # 万元, two decimals
    distinct_enterprises: bool = False  # 合计 counts distinct enterprises over all categories


COUNTING_RULES: dict[str, CountingRule] = {
    "risk_information": CountingRule(
        "数据周期内登记的采集风险信息条数",
        "risk-information records dated in the period"),
    "monitoring_batches": CountingRule(
        "数据周期内风险监测记录的监测产品批次之和",
        "sum of batches of risk-monitoring records dated in the period"),
    "monitoring_problems": CountingRule(
        "上述风险监测记录发现的质量问题个数之和",
        "sum of quality problems found by those risk-monitoring records"),
    "sampled_enterprises": CountingRule(
        "数据周期内有监督抽查记录的企业数（按企业去重）",
        "distinct enterprises with a sampling inspection dated in the period",
        distinct_enterprises=True),
    "sampled_batches": CountingRule(
        "上述监督抽查的抽查批次数之和",
        "sum of batches sampled by those inspections"),
    "failed_batches": CountingRule(
        "上述监督抽查的不合格批次数之和",
        "sum of batches failed by those inspections"),
    "cases_filed": CountingRule(
        "首次立案日期在数据周期内的隐患（案件）数",
        "hazard items whose first `file_case` falls in the period"),
    "fines": CountingRule(
        "数据周期内结案记录的罚没金额之和，折算为万元，四舍五入保留两位小数",
        "sum of `fine_amount` of `close_case` events in the period, ÷ 10,000, rounded half up to two decimals",
        money=True),
    "case_value": CountingRule(
        "数据周期内结案记录的案值之和，折算为万元，四舍五入保留两位小数",
        "sum of `case_value` of `close_case` events in the period, ÷ 10,000, rounded half up to two decimals",
        money=True),
    "cases_transferred": CountingRule(
        "首次移送司法机关日期在数据周期内的案件数",
        "hazard items whose first `transfer_to_judiciary` falls in the period"),
    "cases_exposed": CountingRule(
        "曝光日期在数据周期内的案件数（同一案件多次曝光计一起）",
        "cases with an exposure dated in the period (a case exposed twice counts once)"),
    "assisted_enterprises": CountingRule(
        "数据周期内有质量技术帮扶记录的企业数（按企业去重）",
        "distinct enterprises with an assistance record dated in the period",
        distinct_enterprises=True),
    "problems_solved": CountingRule(
        "上述帮扶记录解决的质量问题个数之和",
        "sum of problems solved by those assistance records"),
    "output_value": CountingRule(
        "上述帮扶记录帮助企业提升的产值之和（按万元录入），四舍五入保留两位小数",
        "sum of output value gained by those records (entered in 万元), rounded half up to two decimals",
        money=True),
    "interviewed_enterprises": CountingRule(
        "数据周期内有约谈记录的企业数（按企业去重）",
        "distinct enterprises with an interview dated in the period",
        distinct_enterprises=True),
}


@dataclass(frozen=True)
class StatColumn:
    """One column of a campaign's 附件2: its place (key, group, header lines) and the code's counting rule."""

    key: str
    group: str
    lines: tuple[str, ...]  # the header as the campaign's notice breaks it into lines
    rule: str
    rule_en: str
    money: bool = False
    distinct_enterprises: bool = False

    @property
    def header(self) -> str:
        return "".join(self.lines)

    def layout(self) -> dict[str, Any]:
        """The column as a campaign file writes it."""
        return {"key": self.key, "group": self.group, "header_lines": list(self.lines)}


def column(key: str, group: str, lines: Iterable[str]) -> StatColumn:
    """A column of `key` (KeyError when the code does not know how to count it)."""
    counting = COUNTING_RULES[key]
    return StatColumn(key, group, tuple(lines), counting.rule, counting.rule_en, counting.money,
                      counting.distinct_enterprises)


def columns_from_layout(layout: Iterable[Mapping[str, Any]]) -> tuple[StatColumn, ...]:
    """A campaign's columns from its layout ([{key, group, header_lines}], checked by workflow.campaign_file)."""
    return tuple(column(entry["key"], entry["group"], entry["header_lines"]) for entry in layout)


def column_groups(columns: Iterable[StatColumn]) -> tuple[tuple[str, int], ...]:
    """(group, number of columns) in order; a layout keeps each group's columns together."""
    groups: list[tuple[str, int]] = []
    for c in columns:
        if groups and groups[-1][0] == c.group:
            groups[-1] = (c.group, groups[-1][1] + 1)
        else:
            groups.append((c.group, 1))
    return tuple(groups)


# The 2023 notice's layout (the statistics_columns of db/reference/campaign_2023.json; see the module doc).
STAT_COLUMNS: tuple[StatColumn, ...] = (
    column("risk_information", "风险监测", ("采集", "风险信息", "（条）")),
    column("monitoring_batches", "风险监测", ("开展风险", "监测产品", "（批次）")),
    column("monitoring_problems", "风险监测", ("发现", "质量问题", "（个）")),
    column("sampled_enterprises", "监督抽查", ("抽查", "企业", "（家）")),
    column("sampled_batches", "监督抽查", ("抽查", "批次数")),
    column("failed_batches", "监督抽查", ("发现不合格产品", "（批次）")),
    column("cases_filed", "案件查办", ("立案", "（起）")),
    column("fines", "案件查办", ("罚没金额", "（万元）")),
    column("case_value", "案件查办", ("案值", "（万元）")),
    column("cases_transferred", "案件查办", ("移送司法", "机关案件", "（起）")),
    column("cases_exposed", "曝光", ("违法", "案件", "（起）")),
    column("assisted_enterprises", "质量技术帮扶", ("帮扶", "企业", "（家）")),
    column("problems_solved", "质量技术帮扶", ("解决", "质量问题", "（个）")),
    column("output_value", "质量技术帮扶", ("帮助企业", "提升产值", "（万元）")),
    column("interviewed_enterprises", "约谈", ("约谈", "企业", "（家）")),
)
assert [c.key for c in STAT_COLUMNS] == list(COUNTING_RULES), "the 2023 layout shows every column the code counts"

STAT_GROUPS: tuple[tuple[str, int], ...] = column_groups(STAT_COLUMNS)

# The general rules, printed before the per-column rules. The second one names the distinct-enterprise columns
# ({distinct}, {count} of them); a layout without such columns prints only its first sentence.
STAT_GENERAL_RULES = (
    "数据周期为闭区间，起止日期当天均计入；记录计入登记它的单位，按其产品类别归入相应行；案件的产品类别为其隐患的产品类别。",
    "合计行为各产品类别之和，但{distinct}{count}列按企业去重计数：同一企业在多个产品类别中出现的，合计只计一家，"
    "故合计可能小于各行之和。",
)
STAT_TOTAL_RULE_PLAIN = "合计行为各产品类别之和。"
STAT_GENERAL_RULES_EN = (
    "A period is a closed date range (both ends count). A record counts for the unit that owns it and for the "
    "category of its product; a case's category is its hazard item's.",
    "The 合计 row adds the rows, except the distinct-enterprise columns ({distinct}), where it counts distinct "
    "enterprises over all categories (an enterprise sampled for two categories counts once in 合计).",
)
_COUNT_WORDS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


def _distinct_headers(template: str, columns: Iterable[StatColumn]) -> str:
    return "".join(template.format(c.header) for c in columns if c.distinct_enterprises)


def statistics_notes(columns: tuple[StatColumn, ...] = STAT_COLUMNS) -> list[str]:
    """The footnote of 附件2 for these columns: the general rules, then each column's counting rule."""
    distinct = [c for c in columns if c.distinct_enterprises]
    total = (STAT_GENERAL_RULES[1].format(distinct=_distinct_headers("“{}”", distinct),
                                          count=_COUNT_WORDS.get(len(distinct), str(len(distinct))))
             if distinct else STAT_TOTAL_RULE_PLAIN)
    rules = "；".join(f"{c.header}：{c.rule}" for c in columns) + "。"
    return [STAT_GENERAL_RULES[0], total, "统计口径：" + rules]


def counting_rules_markdown() -> str:
    """The README section on 附件2's counting rules, generated from the 2023 layout (every column the code counts)."""
    distinct = _distinct_headers("{}, ", STAT_COLUMNS).rstrip(", ")
    first, total = (rule.format(distinct=distinct) for rule in STAT_GENERAL_RULES_EN)
    table = ["| group | column | rule |", "|---|---|---|"]
    table += [f"| {c.group} | {c.header} | {c.rule_en} |" for c in STAT_COLUMNS]
    return "\n".join([first, "", *table, "", total])
