"""The campaign's activity records and its two reporting tables (附件1, 附件2), as data.

This module is the ONE place that says:
- which activity records exist (采集风险信息, 风险监测, 监督抽查, 质量技术帮扶, 约谈, and the side records of a case:
  曝光, 信用公示, 典型案例), what each asks for (FieldSpec tuples: API names, Chinese labels, limits) and the rules
  that need more than one field, the catalog or today's date;
- the 15 columns of 附件2 in the notice's order and groups, with the notice's header text (line breaks as the
  notice prints them) and the counting rule of each column (Chinese for the printed footnote, English for the
  README). db/statistics.py computes the figures by column key; the PDF, XLSX and JSON take headers from here;
- the columns of 附件1 (典型案例台账).

Pure Python: no storage, no rendering.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from workflow.errors import InputInvalid
from workflow.fields import FieldSpec, clean

EARLIEST_DATE = dt.date(2000, 1, 1)
MAX_BATCHES = 100_000

# --- choice lists (written as the notice writes them) -------------------------------------------------------

# 统筹安排市、区两级监督抽查，加大流通领域、网络销售和农村市场监督抽查力度（四、6）
SAMPLING_LEVELS = ("市级", "区级")
SAMPLING_CHANNELS = ("生产", "流通", "网络", "农村")
# 在综合研判日常监管、执法检查、投诉举报、舆情监测等风险信息的基础上（四、3）; 风险信息监测站（四、9）
RISK_CHANNELS = ("日常监管", "执法检查", "投诉举报", "舆情监测", "风险信息监测站", "企业自查报告", "其他")
CREDIT_LIST_KINDS = ("纳入国家企业信用信息公示系统", "严重违法失信名单")
YES_NO = ("是", "否")


# --- record kinds -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """One kind of activity record.

    enterprise: "required" | "optional" | "none" — whether the record names an enterprise by USCC
    (case side records take the enterprise, unit and category of their hazard item instead).
    item_keyed: the record hangs on a hazard item (`item_id`); needs_case: the item must have been filed (立案).
    one_per_item: at most one record of this kind per hazard item.
    """

    key: str
    label: str  # Chinese name of the record kind
    fields: tuple[FieldSpec, ...]
    date_field: str = "date"
    enterprise: str = "required"
    item_keyed: bool = False
    needs_case: bool = False
    one_per_item: bool = False

    @property
    def has_category(self) -> bool:
        return any(f.name == "category" for f in self.fields)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _date(label: str, name: str = "date") -> FieldSpec:
    return FieldSpec(name, label, kind="date", help="不得晚于今天")


_CATEGORY = FieldSpec("category", "产品类别", kind="choice", max_length=100)
_ENTERPRISE = FieldSpec("enterprise_uscc", "统一社会信用代码", max_length=18)
_ENTERPRISE_OPTIONAL = FieldSpec("enterprise_uscc", "统一社会信用代码", required=False, max_length=18,
                                 help="涉及具体企业的填写")
_ITEM = FieldSpec("item_id", "隐患编号", kind="int", min_value=1)
_NOTES = FieldSpec("notes", "备注", kind="longtext", required=False)

KINDS: dict[str, RecordKind] = {
    k.key: k
    for k in (
        RecordKind(
            "risk_information", "采集风险信息",
            (
                _date("采集日期"),
                _CATEGORY,
                _ENTERPRISE_OPTIONAL,
                FieldSpec("channel", "信息来源", kind="choice", choices=RISK_CHANNELS),
                FieldSpec("title", "风险信息标题", max_length=200),
                FieldSpec("summary", "风险信息摘要", kind="longtext"),
            ),
            enterprise="optional",
        ),
        RecordKind(
            "risk_monitoring", "风险监测",
            (
                _date("监测日期"),
                _CATEGORY,
                _ENTERPRISE_OPTIONAL,
                FieldSpec("batches", "监测产品批次", kind="int", min_value=1, max_value=MAX_BATCHES),
                FieldSpec("problems_found", "发现质量问题（个）", kind="int", min_value=0, max_value=MAX_BATCHES),
                _NOTES,
            ),
            enterprise="optional",
        ),
        RecordKind(
            "sampling_inspection", "监督抽查",
            (
                _date("抽查日期"),
                _ENTERPRISE,
                _CATEGORY,
                FieldSpec("sub_product", "具体产品", kind="choice", required=False, max_length=100),
                FieldSpec("level", "抽查级别", kind="choice", choices=SAMPLING_LEVELS),
                FieldSpec("channel", "抽查领域", kind="choice", choices=SAMPLING_CHANNELS),
                FieldSpec("batches_sampled", "抽查批次数", kind="int", min_value=1, max_value=MAX_BATCHES),
                FieldSpec("batches_failed", "不合格批次数", kind="int", min_value=0, max_value=MAX_BATCHES,
                          help="不得多于抽查批次数"),
                FieldSpec("notes", "不合格项目及备注", kind="longtext", required=False),
            ),
        ),
        RecordKind(
            "assistance", "质量技术帮扶",
            (
                _date("帮扶日期"),
                _ENTERPRISE,
                _CATEGORY,
                FieldSpec("problems_solved", "解决质量问题（个）", kind="int", min_value=0, max_value=MAX_BATCHES),
                FieldSpec("output_value_wan", "帮助企业提升产值（万元）", kind="money", help="以万元计，保留两位小数"),
                FieldSpec("notes", "帮扶内容", kind="longtext", required=False),
            ),
        ),
        RecordKind(
            "interview", "约谈",
            (
                _date("约谈日期"),
                _ENTERPRISE,
                _CATEGORY,
                FieldSpec("reason", "约谈事由", kind="longtext"),
            ),
        ),
        RecordKind(
            "exposure", "曝光",
            (_ITEM, _date("曝光日期"), FieldSpec("channel", "曝光渠道", max_length=200, help="如：市局门户网站、新闻媒体")),
            enterprise="none", item_keyed=True, needs_case=True,
        ),
        RecordKind(
            "credit_listing", "信用公示",
            (_ITEM, _date("公示日期"), FieldSpec("list_kind", "公示类别", kind="choice", choices=CREDIT_LIST_KINDS)),
            enterprise="none", item_keyed=True, needs_case=True,
        ),
        RecordKind(
            "typical_case", "典型案例",
            (
                _ITEM,
                FieldSpec("flagged", "列为典型案例", kind="choice", choices=YES_NO, required=False,
                          help="不填视为“是”；改为“否”即撤出台账"),
                _date("报送时间", "reported_on"),
                FieldSpec("content", "案例内容", kind="longtext"),
                FieldSpec("progress", "典型案例办理进度", kind="longtext"),
            ),
            date_field="reported_on", enterprise="none", item_keyed=True, one_per_item=True,
        ),
    )
}


def clean_record(kind: RecordKind, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate `raw` with the kind's FieldSpecs (workflow.fields.clean) — the single validation mechanism.

    Two conveniences for API clients: `flagged` may be a JSON boolean; a 万元 field's message says 万元.
    """
    data = dict(raw)
    if isinstance(data.get("flagged"), bool):
        data["flagged"] = "是" if data["flagged"] else "否"
    try:
        cleaned = clean(kind.fields, data)
    except InputInvalid as exc:
        fields = {k: v.replace("（元）", "（万元）") if k.endswith("_wan") else v for k, v in exc.fields.items()}
        raise InputInvalid(fields) from None
    if "flagged" in cleaned:
        cleaned["flagged"] = cleaned["flagged"] != "否"
    return cleaned


def check_record(kind: RecordKind, cleaned: dict[str, Any], categories: Mapping[str, list[str]],
                 today: dt.date) -> None:
    """Rules beyond single fields: the date, the catalog, batches. Raises InputInvalid naming each field."""
    errors: dict[str, str] = {}
    day = cleaned[kind.date_field]
    label = next(f.label for f in kind.fields if f.name == kind.date_field)
    if day > today:
        errors[kind.date_field] = f"{label}不能晚于今天"
    elif day < EARLIEST_DATE:
        errors[kind.date_field] = f"{label}过早"
    if kind.has_category:
        category = cleaned["category"]
        if category not in categories:
            errors["category"] = "产品类别不在本次专项行动的目录中"
        elif "sub_product" in cleaned:
            products, sub = categories[category], cleaned.get("sub_product")
            if products and not sub:
                errors["sub_product"] = f"请选择具体产品（{category}包括：{'、'.join(products)}）"
            elif sub and sub not in products:
                errors["sub_product"] = f"“{sub}”不属于{category}" if products else f"{category}没有细分产品"
    if kind.key == "sampling_inspection" and cleaned["batches_failed"] > cleaned["batches_sampled"]:
        errors["batches_failed"] = "不合格批次数不得多于抽查批次数"
    if errors:
        raise InputInvalid(errors)


def check_side_record(kind: RecordKind, cleaned: dict[str, Any], *, found_on: dt.date,
                      filed_on: dt.date | None) -> None:
    """Rules of a case side record that need its hazard item: filed first (曝光, 信用公示), dated after discovery."""
    if kind.needs_case and filed_on is None:
        raise InputInvalid({"item_id": f"该隐患尚未立案，不能登记{kind.label}"})
    day = cleaned[kind.date_field]
    if day < found_on:
        label = next(f.label for f in kind.fields if f.name == kind.date_field)
        raise InputInvalid({kind.date_field: f"{label}不能早于隐患发现日期 {found_on.isoformat()}"})


# --- 附件2 重点工业产品质量安全隐患排查治理情况统计表 ------------------------------------------------------------

STATISTICS_TITLE = "重点工业产品质量安全隐患排查治理情况统计表"
STATISTICS_ATTACHMENT = "附件2"
CATEGORY_HEADER = "产品类别"
TOTAL_LABEL = "合计"
CITY_LABEL = "全市"  # 填表单位 of a city-wide table


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


# --- 附件1 隐患排查治理工作典型案例台账 ----------------------------------------------------------------------

LEDGER_TITLE = "隐患排查治理工作典型案例台账"
LEDGER_ATTACHMENT = "附件1"


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str


LEDGER_UNIT_COLUMN = LedgerColumn("unit", "单位")  # printed as a column in a city-wide ledger, else in the heading
LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("reported_on", "报送时间"),
    LedgerColumn("filed_on", "立案时间"),
    LedgerColumn("content", "案例内容"),
    LedgerColumn("progress", "典型案例办理进度"),
    LedgerColumn("exposed", "是否依法曝光"),
    LedgerColumn("credit_listed", "是否纳入国家企业信用信息公示系统"),
)
