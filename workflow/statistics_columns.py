"""附件2 重点工业产品质量安全隐患排查治理情况统计表, as data: the 15 columns in the notice's order and groups, with the
notice's header text (line breaks as the notice prints them) and the counting rule of each column (Chinese for the
printed footnote, English for the README). db/statistics.py computes the figures by column key; the PDF, XLSX and
JSON take headers from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow.labels import CITY_LABEL, STATISTICS_TITLE  # noqa: F401  (填表单位 of a city-wide table; the title)

# --- 附件2 重点工业产品质量安全隐患排查治理情况统计表 ------------------------------------------------------------

STATISTICS_ATTACHMENT = "附件2"
CATEGORY_HEADER = "产品类别"
TOTAL_LABEL = "合计"


@dataclass(frozen=True)
class StatColumn:
    key: str
    group: str
    lines: tuple[str, ...]  # the header as the notice breaks it into lines
    rule: str  # the counting rule, Chinese (printed under the table)
    rule_en: str  # the same rule in English (README)
    money: bool = False  # 万元, two decimals
    distinct_enterprises: bool = False  # 合计 counts distinct enterprises over all categories

    @property
    def header(self) -> str:
        return "".join(self.lines)


STAT_COLUMNS: tuple[StatColumn, ...] = (
    StatColumn("risk_information", "风险监测", ("采集", "风险信息", "（条）"),
               "数据周期内登记的采集风险信息条数",
               "risk-information records dated in the period"),
    StatColumn("monitoring_batches", "风险监测", ("开展风险", "监测产品", "（批次）"),
               "数据周期内风险监测记录的监测产品批次之和",
               "sum of batches of risk-monitoring records dated in the period"),
    StatColumn("monitoring_problems", "风险监测", ("发现", "质量问题", "（个）"),
               "上述风险监测记录发现的质量问题个数之和",
               "sum of quality problems found by those risk-monitoring records"),
    StatColumn("sampled_enterprises", "监督抽查", ("抽查", "企业", "（家）"),
               "数据周期内有监督抽查记录的企业数（按企业去重）",
               "distinct enterprises with a sampling inspection dated in the period",
               distinct_enterprises=True),
    StatColumn("sampled_batches", "监督抽查", ("抽查", "批次数"),
               "上述监督抽查的抽查批次数之和",
               "sum of batches sampled by those inspections"),
    StatColumn("failed_batches", "监督抽查", ("发现不合格产品", "（批次）"),
               "上述监督抽查的不合格批次数之和",
               "sum of batches failed by those inspections"),
    StatColumn("cases_filed", "案件查办", ("立案", "（起）"),
               "首次立案日期在数据周期内的隐患（案件）数",
               "hazard items whose first `file_case` falls in the period"),
    StatColumn("fines", "案件查办", ("罚没金额", "（万元）"),
               "数据周期内结案记录的罚没金额之和，折算为万元，四舍五入保留两位小数",
               "sum of `fine_amount` of `close_case` events in the period, ÷ 10,000, rounded half up to two decimals",
               money=True),
    StatColumn("case_value", "案件查办", ("案值", "（万元）"),
               "数据周期内结案记录的案值之和，折算为万元，四舍五入保留两位小数",
               "sum of `case_value` of `close_case` events in the period, ÷ 10,000, rounded half up to two decimals",
               money=True),
    StatColumn("cases_transferred", "案件查办", ("移送司法", "机关案件", "（起）"),
               "首次移送司法机关日期在数据周期内的案件数",
               "hazard items whose first `transfer_to_judiciary` falls in the period"),
    StatColumn("cases_exposed", "曝光", ("违法", "案件", "（起）"),
               "曝光日期在数据周期内的案件数（同一案件多次曝光计一起）",
               "cases with an exposure dated in the period (a case exposed twice counts once)"),
    StatColumn("assisted_enterprises", "质量技术帮扶", ("帮扶", "企业", "（家）"),
               "数据周期内有质量技术帮扶记录的企业数（按企业去重）",
               "distinct enterprises with an assistance record dated in the period",
               distinct_enterprises=True),
    StatColumn("problems_solved", "质量技术帮扶", ("解决", "质量问题", "（个）"),
               "上述帮扶记录解决的质量问题个数之和",
               "sum of problems solved by those assistance records"),
    StatColumn("output_value", "质量技术帮扶", ("帮助企业", "提升产值", "（万元）"),
               "上述帮扶记录帮助企业提升的产值之和（按万元录入），四舍五入保留两位小数",
               "sum of output value gained by those records (entered in 万元), rounded half up to two decimals",
               money=True),
    StatColumn("interviewed_enterprises", "约谈", ("约谈", "企业", "（家）"),
               "数据周期内有约谈记录的企业数（按企业去重）",
               "distinct enterprises with an interview dated in the period",
               distinct_enterprises=True),
)

STAT_GROUPS: tuple[tuple[str, int], ...] = tuple(
    (group, sum(1 for c in STAT_COLUMNS if c.group == group))
    for group in dict.fromkeys(c.group for c in STAT_COLUMNS)
)

# The general rules, printed before the per-column rules; {distinct} is the list of distinct-enterprise columns.
STAT_GENERAL_RULES = (
    "数据周期为闭区间，起止日期当天均计入；记录计入登记它的单位，按其产品类别归入相应行；案件的产品类别为其隐患的产品类别。",
    "合计行为各产品类别之和，但{distinct}三列按企业去重计数：同一企业在多个产品类别中出现的，合计只计一家，"
    "故合计可能小于各行之和。",
)
STAT_GENERAL_RULES_EN = (
    "A period is a closed date range (both ends count). A record counts for the unit that owns it and for the "
    "category of its product; a case's category is its hazard item's.",
    "The 合计 row adds the rows, except the distinct-enterprise columns ({distinct}), where it counts distinct "
    "enterprises over all categories (an enterprise sampled for two categories counts once in 合计).",
)


def _distinct_headers(template: str) -> str:
    return "".join(template.format(c.header) for c in STAT_COLUMNS if c.distinct_enterprises)


def statistics_notes() -> list[str]:
    """The footnote of 附件2: the general rules, then each column's counting rule."""
    general = [rule.format(distinct=_distinct_headers("“{}”")) for rule in STAT_GENERAL_RULES]
    columns = "；".join(f"{c.header}：{c.rule}" for c in STAT_COLUMNS) + "。"
    return general + ["统计口径：" + columns]


def counting_rules_markdown() -> str:
    """The README section on 附件2's counting rules, generated from STAT_COLUMNS."""
    distinct = _distinct_headers("{}, ").rstrip(", ")
    first, total = (rule.format(distinct=distinct) for rule in STAT_GENERAL_RULES_EN)
    table = ["| group | column | rule |", "|---|---|---|"]
    table += [f"| {c.group} | {c.header} | {c.rule_en} |" for c in STAT_COLUMNS]
    return "\n".join([first, "", *table, "", total])


