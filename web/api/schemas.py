"""The JSON API's OpenAPI schemas (DESIGN §7): documentation only, never validation.

How the routes use this module:

- A request body is annotated `data: SkipValidation[<TypedDict>]`. Litestar documents the TypedDict (as a component
  under `components.schemas`) and hands the handler the raw JSON value, exactly as `data: Any` did — a list, a
  string or `null` included. Validation stays where it was: workflow.fields.clean() and the use cases, which answer
  422 `{"error": "invalid_input", "detail", "fields": {field: 中文说明}}` naming every bad field.
- A response is the handler's return annotation (a TypedDict, or `Response[<TypedDict>]`). Litestar neither checks
  nor converts a returned dict against it; tests/web/test_openapi.py checks real responses against the documents.
- `responses=errors(...)` documents the error bodies; `operation_class=operation(...)` adds what a signature cannot
  say: the query parameters the handlers read from `request.query_params`, the allowed values of path parameters,
  file responses (PDF, XLSX), the bearer token, and it drops the generic 400 Litestar would document (errors.py
  answers malformed input with 422).

Input schemas are generated from the single sources of their rules: the workflow table (workflow/table.py EVENTS
and their FieldSpecs), the record kinds (workflow/record_kinds.py KINDS) and the enterprise fields
(ENTERPRISE_FIELDS), so a field added there appears here. Output shapes are written down once, here, for the code
that builds them (web/serializers.py, db/record_queries.py `_public`, db/submissions.py, db/special_inspections.py,
db/statistics.py, db/ledger.py, db/issue_list.py); tests/web/test_openapi.py fails when the two drift apart.
"""

import dataclasses
from typing import Any, Annotated, Literal, Mapping, NotRequired, Optional, Required, Sequence, TypedDict, Union

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, Operation, Parameter, Schema, SecurityScheme
from litestar.openapi.spec.enums import OpenAPIType
from litestar.openapi.spec.media_type import OpenAPIMediaType
from litestar.openapi.spec.response import OpenAPIResponse
from litestar.params import KwargDefinition

from workflow.enterprise_fields import FORM_FIELDS as ENTERPRISE_FIELDS
from db.queries import SORTS
from db.submissions import STATUS_LABELS
from web.reports import FORMATS
from workflow.fields import FieldSpec
from workflow.record_kinds import KINDS, RecordKind
from workflow.table import DOCUMENT_KINDS, EVENTS, STATE_LABELS, TRANSITION_EVENTS, Deadline, Role, State

MAX_LIMIT = 200  # lists: limit 1 … 200 (DESIGN §7)
BEARER = "BearerToken"  # the security scheme of every API route but the token's own

# For web/app.py's OpenAPIConfig: Litestar fills components.schemas itself from the annotations below.
COMPONENTS = Components(security_schemes={BEARER: SecurityScheme(
    type="http", scheme="bearer", description="POST /api/v1/auth/token {username, password} → {token}")})


def _doc(**kwargs: Any) -> KwargDefinition:
    """Schema keywords for an annotation (title, description, maxLength, minimum, enum, format …). Sequences become
    tuples: an annotation's metadata must be hashable (typing hashes it inside Optional and Union)."""
    return KwargDefinition(**{k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()
                              if v not in (None, "")})


def camel(name: str) -> str:
    """order_rectification → OrderRectification (component names)."""
    return "".join(part.capitalize() for part in name.split("_"))


def _typed_dict(name: str, fields: Mapping[str, Any], doc: str = "") -> Any:
    cls = TypedDict(name, dict(fields))  # type: ignore[misc]  # functional form: keys such as "from" are allowed
    cls.__doc__ = doc
    return cls


Date = Annotated[str, _doc(format="date", description="YYYY-MM-DD")]
DateTime = Annotated[str, _doc(format="date-time")]
Sha256 = Annotated[str, _doc(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")]
Cursor = Annotated[Optional[str], _doc(description="下一页的游标（作为 cursor 参数传回）；最后一页为 null")]

# --- inputs, generated from the FieldSpecs -------------------------------------------------------------------------

CATALOG_CHOICE = "取值见专项行动目录（产品类别、具体产品、问题类型、发现来源）"


def field_annotation(spec: FieldSpec, owner: str) -> Any:
    """The JSON value a FieldSpec accepts, as workflow.fields.clean() reads it."""
    doc = dict(title=spec.label, description=spec.help)
    if spec.kind in ("text", "longtext"):
        value: Any = Annotated[str, _doc(max_length=spec.max_length, **doc)]
    elif spec.kind == "choice" and spec.choices:
        value = Annotated[str, _doc(enum=list(spec.choices), **doc)]
    elif spec.kind == "choice":
        value = Annotated[str, _doc(max_length=spec.max_length, title=spec.label,
                                    description=spec.help or CATALOG_CHOICE)]
    elif spec.kind == "date":
        value = Annotated[str, _doc(format="date", title=spec.label,
                                    description="YYYY-MM-DD" + (f"；{spec.help}" if spec.help else ""))]
    elif spec.kind == "money":
        value = Annotated[Union[float, str], _doc(ge=0, le=10**12, title=spec.label,
                                                  description="金额，数字或数字字符串（如 \"1200.50\"），精确到分")]
    elif spec.kind == "int":
        value = Annotated[int, _doc(ge=spec.min_value, le=spec.max_value, **doc)]
    elif spec.kind == "items":
        row = input_schema(f"{owner}{camel(spec.name)}Entry", spec.item_fields, doc=f"{spec.label}的一项")
        value = Annotated[list[row], _doc(min_items=1, max_items=200, **doc)]  # type: ignore[valid-type]
    else:  # pragma: no cover - FieldSpec.kind is closed
        raise AssertionError(f"unknown field kind {spec.kind}")
    return value


def input_fields(specs: Sequence[FieldSpec], owner: str, *, partial: bool = False) -> dict[str, Any]:
    """Required specs are required keys; optional ones may be omitted or null (clean() treats both as blank).
    `partial`: every key optional (PATCH merges the body into the current values)."""
    fields: dict[str, Any] = {}
    for spec in specs:
        value = field_annotation(spec, owner)
        if spec.required and not partial:
            fields[spec.name] = Required[value]
        elif spec.required:
            fields[spec.name] = NotRequired[value]
        else:
            fields[spec.name] = NotRequired[Optional[value]]
    return fields


def input_schema(name: str, specs: Sequence[FieldSpec], *, doc: str = "", partial: bool = False,
                 extra: Mapping[str, Any] | None = None) -> Any:
    return _typed_dict(name, {**input_fields(specs, name, partial=partial), **(extra or {})}, doc)


# The register event's input is the item's registration body; every other event's input plus `version`.
ItemRegister = input_schema("ItemRegister", EVENTS["register"].fields, doc=EVENTS["register"].label)

VERSION = Required[Annotated[int, _doc(ge=1, title="版本号",
                                       description="隐患的当前版本号（隐患对象的 version）；已变更时答 409")]]


def event_schema_name(event: str) -> str:
    return f"{camel(event)}Event"


EVENT_BODIES: dict[str, Any] = {
    e.name: input_schema(event_schema_name(e.name), e.fields, doc=e.label, extra={"version": VERSION})
    for e in TRANSITION_EVENTS
}
EventBody = Union[tuple(EVENT_BODIES.values())]  # type: ignore[valid-type]  # oneOf, chosen by the {event} path


def _event_line(e: Any) -> str:
    sources = "、".join(STATE_LABELS[s] for s in e.sources)
    return f"- `{e.name}` {e.label}（{sources} → {STATE_LABELS[e.dest]}；{e.role.value}）：`{event_schema_name(e.name)}`"


FIRE_EVENT_DESCRIPTION = (
    "触发隐患的一个事件。请求体为 `{version, ...该事件的输入}`，按路径中的 {event} 选用对应结构：\n\n"
    + "\n".join(_event_line(e) for e in TRANSITION_EVENTS)
    + "\n\n负责人（leader）也可触发承办人员（handler）的事件。"
    "检查顺序：401 未认证 → 404 他单位的隐患 → 403 角色 → 409 状态或版本 → 422 输入。"
)

# Enterprises: the registry's field specification.
EnterpriseCreate = input_schema("EnterpriseCreate", ENTERPRISE_FIELDS, doc="登记企业")
EnterpriseUpdate = input_schema("EnterpriseUpdate", ENTERPRISE_FIELDS, partial=True,
                                doc="修改企业：只需给出要改的字段，其余保持不变")


# Activity records: one create and one update body per kind.
def _record_input_fields(kind: RecordKind, name: str, *, partial: bool) -> dict[str, Any]:
    fields = input_fields(kind.fields, name, partial=partial)
    if "flagged" in fields:  # workflow.record_kinds.clean_record also takes a JSON boolean for 是/否
        spec = next(f for f in kind.fields if f.name == "flagged")
        choice = Literal[tuple(spec.choices)]  # type: ignore[valid-type]
        fields["flagged"] = NotRequired[Annotated[Optional[Union[bool, choice]],
                                                  _doc(title=spec.label, description=spec.help)]]
    return fields


RECORD_CREATE: dict[str, Any] = {
    k.key: _typed_dict(f"{camel(k.key)}Create", _record_input_fields(k, f"{camel(k.key)}Create", partial=False),
                       f"登记{k.label}")
    for k in KINDS.values()
}
RECORD_UPDATE: dict[str, Any] = {
    k.key: _typed_dict(f"{camel(k.key)}Update", _record_input_fields(k, f"{camel(k.key)}Update", partial=True),
                       f"修改{k.label}：只需给出要改的字段" + ("；所属隐患 item_id 不能更改" if k.item_keyed else ""))
    for k in KINDS.values()
}


class SubmissionCreate(TypedDict):
    deadline_key: Annotated[str, _doc(max_length=40, title="报送节点",
                                      description="如 monthly-2023-07-31（见 GET /api/v1/reporting-status 的 key）")]


class TokenRequest(TypedDict):
    username: Annotated[str, _doc(title="用户名")]
    password: Annotated[str, _doc(title="密码")]


# --- outputs ---------------------------------------------------------------------------------------------------

StateName = Annotated[str, _doc(enum=[s.value for s in State])]
EventName = Annotated[str, _doc(enum=list(EVENTS))]
DocumentKindName = Annotated[str, _doc(enum=list(DOCUMENT_KINDS))]


class Error(TypedDict):
    """Every 4xx/5xx of the API (web/errors.py)."""

    error: Annotated[str, _doc(description="机器可读的错误码，如 invalid_input、not_found、conflict")]
    detail: Annotated[str, _doc(description="中文说明")]
    fields: NotRequired[Annotated[dict[str, str], _doc(description="输入有误时：字段名 → 中文说明（422）")]]


class TokenUser(TypedDict):
    username: str
    role: Annotated[str, _doc(enum=[r.value for r in Role])]


class Token(TypedDict):
    token: Annotated[str, _doc(description="作为 Authorization: Bearer <token> 发送")]
    token_type: Literal["bearer"]
    user: TokenUser


class UnitRef(TypedDict):
    code: Annotated[str, _doc(description="单位代码，如 310115")]
    name: str
    label: str


class EnterpriseRef(TypedDict):
    id: int
    uscc: str
    name: str


class ItemEnterprise(EnterpriseRef):
    address: str
    legal_rep: str
    phone: str


class DocumentRef(TypedDict):
    """A document of an item: `sha256` is the hash of the PDF's bytes (null until the PDF is rendered)."""

    id: int
    kind: DocumentKindName
    title: Optional[str]
    number: Annotated[str, _doc(description="文书编号，如 沪市监浦责改〔2023〕12号")]
    sha256: Optional[Sha256]
    created_at: DateTime


class DocumentUnit(TypedDict):
    code: str
    name: str
    short: str


class Document(DocumentRef):
    """A document's metadata (GET /api/v1/documents/{id}); the PDF itself is …/pdf."""

    item_id: Optional[int]
    unit: Optional[DocumentUnit]
    snapshot: Annotated[dict[str, Any], _doc(description="出具时冻结的文书内容（PDF 据此渲染）")]


class HistoryEntry(TypedDict):
    seq: int
    event: EventName
    label: str
    from_state: Optional[StateName]
    to_state: StateName
    actor: str
    on_date: Date
    at: DateTime
    input: Annotated[dict[str, Any], _doc(description="该事件经校验后的输入（日期为 ISO 字符串，金额为两位小数字符串）")]
    document_id: Optional[int]


_ITEM_SUMMARY: dict[str, Any] = {
    "id": int,
    "unit": UnitRef,
    "enterprise": EnterpriseRef,
    "category": str,
    "sub_product": Optional[str],
    "problem_type": str,
    "source": str,
    "found_on": Date,
    "state": StateName,
    "state_label": str,
    "version": Annotated[int, _doc(ge=1, description="每次事件加一；触发事件时须提交当前值")],
    "deadline": Annotated[Optional[Date], _doc(description="当前期限；办结后为 null")],
    "overdue": bool,
    "days_left": Annotated[Optional[int], _doc(description="正数为剩余天数，负数为逾期天数")],
}
ItemSummary = _typed_dict("ItemSummary", _ITEM_SUMMARY, "一条隐患（列表中的摘要）")
Item = _typed_dict("Item", {
    **_ITEM_SUMMARY,
    "enterprise": ItemEnterprise,
    "facts": str,
    "measures": str,
    "handler": Optional[str],
    "allowed_events": Annotated[list[EventName], _doc(description="调用者当前可触发的事件")],
    "history": Annotated[list[HistoryEntry], _doc(description="自 register 起的全部事件，按发生顺序")],
    "documents": Annotated[list[DocumentRef], _doc(description="文书，先出具者在前")],
    "calendar_note": Optional[str],
    "created_at": DateTime,
    "updated_at": DateTime,
}, "一条隐患：登记（201）、查询和触发事件（200）返回同一对象")
ItemList = _typed_dict("ItemList", {"items": list[ItemSummary], "next_cursor": Cursor}, "隐患列表（一页）")


class WorkflowState(TypedDict):
    name: StateName
    label: str


class WorkflowField(TypedDict):
    name: str
    label: str
    type: Annotated[str, _doc(enum=["text", "longtext", "date", "money", "int", "choice", "items"])]
    required: bool


WorkflowEvent = _typed_dict("WorkflowEvent", {
    "name": EventName, "label": str, "from": list[StateName], "to": StateName,
    "role": Annotated[str, _doc(enum=[r.value for r in Role])], "document": Optional[DocumentKindName],
    "deadline": Annotated[str, _doc(enum=[d.value for d in Deadline])], "fields": list[WorkflowField]})


class Workflow(TypedDict):
    states: list[WorkflowState]
    events: list[WorkflowEvent]
    mermaid: Annotated[str, _doc(description="状态图（Mermaid 文本）")]


class Enterprise(TypedDict):
    id: int
    uscc: str
    name: str
    address: str
    legal_rep: str
    phone: str
    kind: Annotated[str, _doc(enum=list(next(f for f in ENTERPRISE_FIELDS if f.name == "kind").choices))]
    unit_id: int
    unit: UnitRef


EnterpriseList = _typed_dict("EnterpriseList", {"items": list[Enterprise], "next_cursor": Cursor})


# Activity records, as db/record_queries.py `_public` writes them: the kind's own fields (enterprise_uscc replaced by
# the enterprise), the unit, and who wrote it when.
class RecordUnit(TypedDict):
    id: int
    code: str
    label: str


def _output_value(spec: FieldSpec) -> Any:
    if spec.name == "flagged":
        return bool
    if spec.kind == "date":
        return Date
    if spec.kind == "money":
        return Annotated[str, _doc(pattern=r"^\d+\.\d{2}$", title=spec.label, description="两位小数的字符串")]
    if spec.kind == "int":
        return Annotated[int, _doc(title=spec.label)]
    return Annotated[str, _doc(title=spec.label)]


def _record_output_fields(kind: RecordKind) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": int, "kind": Literal[kind.key]}  # type: ignore[valid-type]
    for spec in kind.fields:
        if spec.name != "enterprise_uscc":
            value = _output_value(spec)
            fields[spec.name] = value if spec.required or spec.name == "flagged" else Optional[value]
    if kind.item_keyed:  # the hazard item's
        fields.update(category=str, sub_product=Optional[str])
    fields["unit"] = RecordUnit
    fields["enterprise"] = Optional[EnterpriseRef] if kind.enterprise == "optional" else EnterpriseRef
    fields.update(created_by=int, created_at=DateTime, updated_by=Optional[int], updated_at=DateTime)
    return fields


RECORDS: dict[str, Any] = {k.key: _typed_dict(camel(k.key), _record_output_fields(k), k.label) for k in KINDS.values()}
RECORD_LISTS: dict[str, Any] = {
    key: _typed_dict(f"{camel(key)}List", {"items": list[record], "next_cursor": Cursor})  # type: ignore[valid-type]
    for key, record in RECORDS.items()
}


# Reports (JSON format).
class StatisticsColumn(TypedDict):
    key: str
    group: str
    header: str
    lines: NotRequired[Annotated[list[str], _doc(description="表头按通知的分行")]]


StatisticsValues = Annotated[list[float], _doc(  # JSON numbers (a oneOf integer|number would match an integer twice)
    description="每列一个数，按该专项行动附件2的列序（columns）；万元数保留两位小数")]


class StatisticsRow(TypedDict):
    category: str
    values: StatisticsValues


class StatisticsTotal(TypedDict):
    values: StatisticsValues


Statistics = _typed_dict("Statistics", {
    "unit": Annotated[str, _doc(description="填表单位；全市为“全市”")], "unit_code": Optional[str],
    "from": Date, "to": Date, "columns": list[StatisticsColumn], "rows": list[StatisticsRow],
    "total": StatisticsTotal, "notes": list[str],
    "campaign": NotRequired[Annotated[str, _doc(description="专项行动代码（报送冻结于此字段之前的表没有它）")]]},
    "附件2 统计表（format=json）")


class LedgerColumn(TypedDict):
    key: str
    header: str


class LedgerRow(TypedDict):
    item_id: int
    unit: str
    unit_label: str
    enterprise: str
    category: str
    reported_on: Date
    filed_on: Optional[Date]
    content: str
    progress: str
    exposed: Annotated[str, _doc(description="是（日期，渠道）或 否")]
    credit_listed: Annotated[str, _doc(description="是（日期）或 否")]


Ledger = _typed_dict("Ledger", {"unit": str, "unit_code": Optional[str], "from": Date, "to": Date,
                                "columns": list[LedgerColumn], "rows": list[LedgerRow],
                                "campaign": NotRequired[str]}, "附件1 典型案例台账（format=json）")


class IssueListRow(TypedDict):
    id: int
    unit: str
    enterprise: str
    uscc: str
    category: str
    sub_product: Optional[str]
    problem: str
    measures: str
    responsible: str
    deadline: Optional[Date]
    state_label: str


IssueList = _typed_dict("IssueList", {"unit": Optional[str], "from": Date, "to": Date, "items": list[IssueListRow]},
                        "问题清单（format=json）")
ReportJson = Union[Statistics, Ledger, IssueList]  # type: ignore[valid-type]


# Monthly submissions and reporting status.
Submission = _typed_dict("Submission", {
    "id": int, "number": str, "unit_id": int, "unit": Optional[str], "deadline_key": str, "title": Optional[str],
    "due_on": Date, "from": Date, "to": Date, "submitted_by": str, "submitted_at": DateTime, "submitted_on": Date,
    "on_time": bool, "sha256": Annotated[Sha256, _doc(description="冻结内容（frozen）规范 JSON 的 sha256")]},
    "一次报送（不含冻结的表格）")
ReportingDeadline = _typed_dict("ReportingDeadline", {
    "key": str, "kind": Annotated[str, _doc(enum=["monthly", "phase_summary", "annual"])], "title": str,
    "due_on": Date, "from": Date, "to": Date})
FrozenSubmission = _typed_dict("FrozenSubmission", {
    "template_version": int, "kind": Literal["report_submission"], "number": str,
    "campaign": dict[str, Any], "unit": UnitRef, "deadline": ReportingDeadline, "submitted_by": str,
    "submitted_at": DateTime, "submitted_on": Date, "statistics": Statistics, "ledger": Ledger})
SubmissionDetail = _typed_dict("SubmissionDetail", {
    **Submission.__annotations__, "frozen": FrozenSubmission,
    "verified": Annotated[bool, _doc(description="冻结内容仍与 sha256 相符")]})
SubmissionList = _typed_dict("SubmissionList", {"items": list[Submission], "next_cursor": Cursor})

StatusName = Annotated[str, _doc(enum=list(STATUS_LABELS))]


class UnitStatus(TypedDict):
    unit_id: int
    unit_code: str
    unit: str
    status: StatusName
    status_label: str
    submission_id: Optional[int]
    number: Optional[str]
    submitted_on: Optional[Date]


StatusCounts = _typed_dict("StatusCounts", {s: int for s in STATUS_LABELS})
DeadlineStatus = _typed_dict("DeadlineStatus", {**ReportingDeadline.__annotations__, "units": list[UnitStatus],
                                                "counts": StatusCounts})


class ReportingStatus(TypedDict):
    campaign: Annotated[str, _doc(description="专项行动代码")]
    deadlines: list[DeadlineStatus]


# 专门现场检查: enterprises with two or more failed sampling inspections within two years.
class FailedInspection(TypedDict):
    id: int
    date: Date
    unit: str
    category: str
    sub_product: Optional[str]
    level: str
    channel: str
    batches_sampled: int
    batches_failed: int


FlaggedEnterprise = _typed_dict("FlaggedEnterprise", {
    "enterprise_id": int, "uscc": str, "name": str, "unit_id": int, "unit": str, "from": Date, "to": Date,
    "failed_count": int, "failures": Annotated[list[FailedInspection], _doc(description="先发生者在前")],
    "follow_up_item_id": Annotated[Optional[int], _doc(description="最近一次不合格后登记的监督抽查隐患")]})
SpecialInspectionList = _typed_dict("SpecialInspectionList", {"items": list[FlaggedEnterprise],
                                                              "next_cursor": Cursor})


# --- error responses -----------------------------------------------------------------------------------------------

ERROR_DESCRIPTIONS = {
    401: "未认证：缺少或无效的 Bearer 令牌（token 接口：用户名或密码错误）",
    403: "角色或单位无权进行此操作",
    404: "记录不存在，或属于其他单位（不透露是否存在）",
    409: "状态不允许该事件，或 version 已过期",
    413: "请求内容过大（JSON 不超过 1 MB）",
    422: "输入有误：fields 逐项说明（字段名 → 中文说明）",
    429: "登录失败次数过多，稍后再试（见 Retry-After）",
}
READ = (401, 403, 404, 422)
WRITE = (401, 403, 404, 409, 413, 422)


def errors(*codes: int) -> dict[int, ResponseSpec]:
    """The error responses of a route, each an `Error` body."""
    return {code: ResponseSpec(data_container=Error, description=ERROR_DESCRIPTIONS[code], generate_examples=False)
            for code in codes}


# --- the operation: query parameters, path values, files, security --------------------------------------------------


def query(name: str, description: str, schema: Schema | None = None) -> Parameter:
    return Parameter(name=name, param_in="query", required=False, description=description,
                     schema=schema or Schema(type=OpenAPIType.STRING))


def _date_param(name: str, description: str) -> Parameter:
    return query(name, description, Schema(type=OpenAPIType.STRING, format="date"))  # type: ignore[arg-type]


LIMIT = query("limit", "每页条数，1 到 200，默认 50",
              Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=MAX_LIMIT, default=50))
CURSOR = query("cursor", "上一页返回的 next_cursor")
UNIT = query("unit", "单位代码（如 310115）或全称；承办人员和负责人只能查本单位")
PERIOD = (_date_param("from", "起始日期（含）"), _date_param("to", "截止日期（含）"))

ITEM_QUERY = (
    query("state", "状态", Schema(type=OpenAPIType.STRING, enum=[s.value for s in State])),
    UNIT,
    query("category", "产品类别"), query("sub_product", "具体产品"), query("problem_type", "问题类型"),
    query("source", "发现来源"), query("enterprise", "企业名称片段或统一社会信用代码"), query("q", "全文检索"),
    query("overdue", "只看逾期（true）或未逾期（false）",
          Schema(type=OpenAPIType.STRING, enum=["true", "false", "1", "0", "yes", "no", "on", "off"])),
    _date_param("from", "发现日期起（含）"), _date_param("to", "发现日期止（含）"),
    query("sort", "排序", Schema(type=OpenAPIType.STRING, enum=list(SORTS))),
    CURSOR, LIMIT,
)
OVERDUE_QUERY = (UNIT, CURSOR, LIMIT)
ENTERPRISE_QUERY = (query("q", "企业名称片段或统一社会信用代码前缀"), UNIT, CURSOR, LIMIT)
RECORD_QUERY = (UNIT, *PERIOD, CURSOR, LIMIT)
CAMPAIGN = query("campaign", "专项行动代码（如 campaign_2023）；缺省为数据周期起始日所属的专项行动")
REPORT_QUERY = (UNIT, _date_param("from", "起始日期（含）；缺省为专项行动起始日"),
                _date_param("to", "截止日期（含）；缺省为专项行动截止日"),
                query("format", "格式，默认 json", Schema(type=OpenAPIType.STRING, enum=list(FORMATS))), CAMPAIGN)
SUBMISSION_QUERY = (UNIT, query("deadline", "报送节点（deadline_key）"))
SPECIAL_INSPECTION_QUERY = (query("date", "参照日期（含），默认今天；向前两年内的抽查", Schema(
    type=OpenAPIType.STRING, format="date")), UNIT)  # type: ignore[arg-type]

PDF = FORMATS["pdf"]
XLSX = FORMATS["xlsx"]
BINARY = Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]


def _finish(op: Operation, *, params: Sequence[Parameter], path_values: Mapping[str, Sequence[str]],
            files: Sequence[str], json: bool, public: bool) -> None:
    responses = op.responses or {}
    # Litestar documents a 400 body of its own for every route with parameters; the API never sends it:
    # web/errors.py answers malformed input with 422 and the Error body.
    responses.pop("400", None)
    if files:
        success = next(r for code, r in responses.items() if code.startswith("2"))
        assert isinstance(success, OpenAPIResponse)
        content = dict(success.content or {}) if json else {}
        content.update({media: OpenAPIMediaType(schema=BINARY) for media in files})
        success.content = content
    if params:
        op.parameters = [*(op.parameters or []), *params]
    for parameter in op.parameters or []:
        if isinstance(parameter, Parameter) and parameter.param_in == "path" and parameter.name in path_values:
            assert isinstance(parameter.schema, Schema)
            parameter.schema = dataclasses.replace(parameter.schema, enum=list(path_values[parameter.name]))
    if not public:
        op.security = [{BEARER: []}]


def operation(*, params: Sequence[Parameter] = (), path_values: Mapping[str, Sequence[str]] | None = None,
              files: Sequence[str] = (), json: bool = True, public: bool = False) -> type[Operation]:
    """An Operation class for one route (Litestar's `operation_class`): documents, never changes behaviour.

    params: query parameters the handler reads from request.query_params; path_values: allowed values of path
    parameters; files: media types of a file response (`json=False`: the route answers only files); public: no token.
    """

    @dataclasses.dataclass
    class ApiOperation(Operation):
        def __post_init__(self) -> None:
            _finish(self, params=params, path_values=path_values or {}, files=files, json=json, public=public)

    return ApiOperation

