"""流程: the state diagram and the event table, both generated from workflow.table."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from web.pages.common import page
from web.pages.diagram import build_svg
from workflow.deadlines import CASE_DECISION_DAYS, VERIFICATION_WORKING_DAYS
from workflow.machine import mermaid_diagram
from workflow.table import DOCUMENT_KINDS, EVENTS, ROLE_LABELS, STATE_LABELS, Deadline, Role, State

DEADLINE_LABELS = {
    Deadline.verification: f"{VERIFICATION_WORKING_DAYS} 个工作日内作出核查处理决定",
    Deadline.input_deadline: "所填写的整改期限",
    Deadline.case_decision: f"立案之日起 {CASE_DECISION_DAYS} 日内作出处理决定",
    Deadline.seizure_end: "查封扣押期限届满之日",
    Deadline.decision_resumes: "恢复计算案件处理期限（扣除移送期间）",
    Deadline.recheck_date: "计划复查日期",
    Deadline.none: "—",
    Deadline.unchanged: "不变",
}


def _rows() -> list[dict]:
    rows = []
    for event in EVENTS.values():
        kind = DOCUMENT_KINDS.get(event.document) if event.document else None
        roles = [ROLE_LABELS[event.role]]
        if event.role == Role.handler:
            roles.append(ROLE_LABELS[Role.leader])  # a leader may also fire the handler's events
        rows.append({
            "name": event.name, "label": event.label, "roles": roles,
            "sources": [STATE_LABELS[s] for s in event.sources] or ["（新建）"],
            "dest": STATE_LABELS[event.dest],
            "document": (kind.title + (f"（范本第 {kind.form_number} 号）" if kind.form_number else "")) if kind else "—",
            "deadline": DEADLINE_LABELS.get(event.deadline, event.deadline.value),
            "fields": [f.label + ("" if f.required else "（选填）") for f in event.fields],
        })
    return rows


@get("/workflow")
async def workflow_page(request: Request) -> Template:
    return page(request, "workflow.html", nav="workflow", diagram=build_svg(), rows=_rows(),
                states=[(s.value, STATE_LABELS[s]) for s in State], mermaid=mermaid_diagram())


ROUTES = [workflow_page]
