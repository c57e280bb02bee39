"""The campaign's activity records, as data: which kinds exist (采集风险信息, 风险监测, 监督抽查, 质量技术帮扶, 约谈, and
the side records of a case: 曝光, 信用公示, 典型案例), what each asks for (FieldSpec tuples: API names, Chinese labels,
limits) and the rules that need more than one field, the catalog or today's date.

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


