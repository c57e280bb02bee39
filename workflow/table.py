"""The hazard-item workflow of DESIGN §4, as data.

This table is the single place that says which events exist, where they lead, who may fire them, what they ask
for, which document they produce and which deadline they start. The shared `transitions` machine
(workflow/machine.py), the use cases, the API, the HTML forms and the state diagram all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workflow.fields import FieldSpec


class State(StrEnum):
    found = "found"
    rectifying = "rectifying"
    case_filed = "case_filed"
    transferred = "transferred"
    closed = "closed"
    rechecking = "rechecking"


STATE_LABELS: dict[str, str] = {
    State.found: "已发现",
    State.rectifying: "整改中",
    State.case_filed: "已立案",
    State.transferred: "已移送司法机关",
    State.closed: "已办结",
    State.rechecking: "回头看",
}


class Role(StrEnum):
    handler = "handler"
    leader = "leader"
    supervisor = "supervisor"
    admin = "admin"


ROLE_LABELS: dict[str, str] = {
    Role.handler: "承办人员",
    Role.leader: "负责人",
    Role.supervisor: "市局督导",
    Role.admin: "系统管理员",
}


class Deadline(StrEnum):
    """Which deadline an event starts; workflow/deadlines.py computes each."""

    verification = "verification"  # 15 working days to decide (核查)
    input_deadline = "input_deadline"  # the `deadline` field of the input (rectification)
    case_decision = "case_decision"  # 90 days after filing
    seizure_end = "seizure_end"  # today + period_days
    decision_resumes = "decision_resumes"  # the case decision deadline, paused while transferred
    recheck_date = "recheck_date"  # the `scheduled_on` field
    none = "none"  # the item leaves the deadline regime (closed)
    unchanged = "unchanged"


@dataclass(frozen=True)
class DocumentKind:
    key: str
    title: str
    code: str  # the kind code in the document number, e.g. 责改 in 沪市监浦责改〔2023〕12号
    form_number: str = ""  # the SAMR 2021 范本 number, where the form has one


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    k.key: k
    for k in (
        DocumentKind("hazard_register", "隐患登记表", "隐登"),
        DocumentKind("rectification_order", "责令改正通知书", "责改", "33"),
        DocumentKind("matter_approval", "行政处罚案件有关事项审批表", "事审", "8"),
        DocumentKind("rectification_review", "整改复查意见书", "复查"),
        DocumentKind("case_filing_approval", "立案审批表", "立审", "7"),
        DocumentKind("no_filing_approval", "不予立案审批表", "不立", "7"),
        DocumentKind("compulsory_measures", "实施行政强制措施决定书", "强制", "21"),
        DocumentKind("criminal_transfer", "涉嫌犯罪案件移送书", "移送", "5"),
        DocumentKind("case_closing_approval", "结案审批表", "结审", "53"),
        DocumentKind("recheck_record", "回头看检查记录", "回查"),
    )
}


@dataclass(frozen=True)
class EventSpec:
    name: str
    label: str  # the Chinese verb shown on buttons
    sources: tuple[State, ...]  # empty for register (creates the item)
    dest: State
    role: Role  # the role allowed; a leader may also fire handler events (see may_fire)
    fields: tuple[FieldSpec, ...]
    document: str | None  # key into DOCUMENT_KINDS
    deadline: Deadline


REASON_DISMISS = ("核查不属实", "不构成隐患")
CLOSE_OUTCOMES = ("处罚", "不予处罚", "移送已受理")

_SEIZED_ITEM = (
    FieldSpec("name", "物品名称", max_length=200),
    FieldSpec("spec", "规格", required=False, max_length=200),
    FieldSpec("unit", "单位", max_length=20),
    FieldSpec("quantity", "数量", max_length=50),
)

EVENTS: dict[str, EventSpec] = {
    e.name: e
    for e in (
        EventSpec(
            "register", "登记隐患", (), State.found, Role.handler,
            (
                FieldSpec("enterprise_uscc", "统一社会信用代码", max_length=18),
                FieldSpec("category", "产品类别", kind="choice", max_length=100),
                FieldSpec("sub_product", "具体产品", kind="choice", required=False, max_length=100),
                FieldSpec("problem_type", "问题类型", kind="choice", max_length=100),
                FieldSpec("source", "发现来源", kind="choice", max_length=100),
                FieldSpec("facts", "隐患事实", kind="longtext"),
                FieldSpec("found_on", "发现日期", kind="date"),
            ),
            "hazard_register", Deadline.verification,
        ),
        EventSpec(
            "order_rectification", "责令改正", (State.found, State.rechecking), State.rectifying, Role.handler,
            (
                FieldSpec("deadline", "整改期限", kind="date", help="须晚于今天"),
                FieldSpec("requirements", "改正内容及要求", kind="longtext"),
                FieldSpec("legal_basis", "法律依据", kind="longtext"),
            ),
            "rectification_order", Deadline.input_deadline,
        ),
        EventSpec(
            "extend_rectification", "延长整改期限", (State.rectifying,), State.rectifying, Role.leader,
            (
                FieldSpec("deadline", "新整改期限", kind="date", help="须晚于当前期限"),
                FieldSpec("reason", "延期理由", kind="longtext"),
            ),
            "matter_approval", Deadline.input_deadline,
        ),
        EventSpec(
            "verify_rectification", "整改复查", (State.rectifying,), State.closed, Role.handler,
            (
                FieldSpec("verified_on", "复查日期", kind="date"),
                FieldSpec("findings", "复查意见", kind="longtext"),
            ),
            "rectification_review", Deadline.none,
        ),
        EventSpec(
            "file_case", "立案", (State.found, State.rectifying, State.rechecking), State.case_filed, Role.leader,
            (
                FieldSpec("offence", "案由", max_length=500),
                FieldSpec("reasons", "核查情况及立案理由", kind="longtext"),
                FieldSpec("legal_provisions", "法律依据", kind="longtext"),
            ),
            "case_filing_approval", Deadline.case_decision,
        ),
        EventSpec(
            "seize", "查封扣押", (State.case_filed,), State.case_filed, Role.leader,
            (
                FieldSpec("items", "财物清单", kind="items", item_fields=_SEIZED_ITEM),
                FieldSpec("place", "存放地点", max_length=500),
                FieldSpec("period_days", "期限（日）", kind="int", min_value=1, max_value=30),
            ),
            "compulsory_measures", Deadline.seizure_end,
        ),
        EventSpec(
            "transfer_to_judiciary", "移送司法机关", (State.case_filed,), State.transferred, Role.leader,
            (
                FieldSpec("receiving_organ", "接收机关", max_length=200),
                FieldSpec("suspected_offence", "涉嫌罪名", max_length=500),
                FieldSpec("amount_involved", "涉案金额（元）", kind="money"),
                FieldSpec("materials", "移送材料", kind="longtext"),
            ),
            "criminal_transfer", Deadline.none,
        ),
        EventSpec(
            "judiciary_returned", "公安机关不予立案退回", (State.transferred,), State.case_filed, Role.leader,
            (FieldSpec("reason", "退回理由", kind="longtext"),),
            "matter_approval", Deadline.decision_resumes,
        ),
        EventSpec(
            "close_case", "结案", (State.case_filed, State.transferred), State.closed, Role.leader,
            (
                FieldSpec("outcome", "处理结果", kind="choice", choices=CLOSE_OUTCOMES),
                FieldSpec("decision_number", "决定书文号", max_length=100, required=False),
                FieldSpec("fine_amount", "罚没金额（元）", kind="money"),
                FieldSpec("case_value", "案值（元）", kind="money"),
            ),
            "case_closing_approval", Deadline.none,
        ),
        EventSpec(
            "dismiss", "不予立案", (State.found,), State.closed, Role.leader,
            (FieldSpec("reason", "不予立案理由", kind="choice", choices=REASON_DISMISS),
             FieldSpec("remarks", "说明", kind="longtext", required=False)),
            "no_filing_approval", Deadline.none,
        ),
        EventSpec(
            "start_recheck", "开展回头看", (State.closed,), State.rechecking, Role.handler,
            (FieldSpec("scheduled_on", "计划复查日期", kind="date"),),
            None, Deadline.recheck_date,
        ),
        EventSpec(
            "pass_recheck", "回头看通过", (State.rechecking,), State.closed, Role.handler,
            (FieldSpec("findings", "检查情况", kind="longtext"),),
            "recheck_record", Deadline.none,
        ),
    )
}

TRANSITION_EVENTS = tuple(e for e in EVENTS.values() if e.sources)


def may_fire(role: str, event: EventSpec) -> bool:
    """Role rule of DESIGN §4: the event's role, and a leader may also fire the handler's events."""
    return role == event.role or (role == Role.leader and event.role == Role.handler)
