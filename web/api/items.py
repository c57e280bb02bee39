"""JSON API: items, events, documents, overdue (DESIGN §7). Handlers parse, call a use case, render."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import SkipValidation
from sqlmodel import Session

from db import queries
from db.uow import SqlUnitOfWork
from web.pdfs import ensure_pdf, render_quietly
from web.app_state import Runtime, in_thread
from web.api import schemas
from web.api.schemas import READ, WRITE, errors, operation
from web.serializers import document_json, item_detail, item_summary
from workflow import services
from workflow.errors import InputInvalid
from workflow.fields import parse_date
from workflow.machine import mermaid_diagram
from workflow.table import EVENTS, STATE_LABELS, State


def parse_filter(params: dict[str, Any]) -> queries.ItemFilter:
    """Query parameters → ItemFilter; every bad value is named (422)."""
    errors: dict[str, str] = {}
    f = queries.ItemFilter()
    state = params.get("state") or None
    if state and state not in {s.value for s in State}:
        errors["state"] = "状态应为：" + "、".join(s.value for s in State)
    f.state = state
    for name in ("unit", "category", "sub_product", "problem_type", "source", "enterprise", "q"):
        value = params.get(name)
        if value:
            if len(value) > 200:
                errors[name] = "过长"
            setattr(f, name, value.strip())
    overdue = params.get("overdue")
    if overdue:
        if overdue.lower() in ("1", "true", "yes", "on"):
            f.overdue = True
        elif overdue.lower() in ("0", "false", "no", "off"):
            f.overdue = False
        else:
            errors["overdue"] = "应为 true 或 false"
    for name, attr in (("from", "found_from"), ("to", "found_to")):
        value = params.get(name)
        if value:
            try:
                setattr(f, attr, parse_date(value))
            except ValueError as exc:
                errors[name] = str(exc)
    sort = params.get("sort")
    if sort:
        if sort not in queries.SORTS:
            errors["sort"] = "排序应为：" + "、".join(queries.SORTS)
        f.sort = sort
    if errors:
        raise InputInvalid(errors)
    return f


def parse_limit(value: str | None) -> int:
    if value is None or value == "":
        return 50
    if not value.isdigit() or not 1 <= int(value) <= 200:
        raise InputInvalid({"limit": "limit 应为 1 到 200 的整数"})
    return int(value)


def _filter_and_limit(params: dict[str, Any]) -> tuple[queries.ItemFilter, int]:
    """Both checks run so that one 422 names every bad parameter."""
    errors: dict[str, str] = {}
    f, limit = None, 50
    try:
        f = parse_filter(params)
    except InputInvalid as exc:
        errors.update(exc.fields)
    try:
        limit = parse_limit(params.get("limit"))
    except InputInvalid as exc:
        errors.update(exc.fields)
    if errors:
        raise InputInvalid(errors)
    return f, limit


def _list(runtime: Runtime, actor, params: dict[str, Any]) -> dict[str, Any]:
    f, limit = _filter_and_limit(params)
    today = runtime.clock.today()
    with Session(runtime.database.reader) as session:
        rows, cursor = queries.list_items(session, actor, f, today, cursor=params.get("cursor") or None, limit=limit)
        return {"items": [item_summary(i, e, u, today) for i, e, u in rows], "next_cursor": cursor}


def _detail(runtime: Runtime, actor, item_id: int) -> dict[str, Any]:
    with Session(runtime.database.reader) as session:
        return item_detail(session, actor, item_id, runtime.clock.today())


@get("/api/v1/items", responses=errors(401, 422), operation_class=operation(params=schemas.ITEM_QUERY))
async def api_list_items(request: Request) -> schemas.ItemList:
    return await in_thread(_list, request.app.state.runtime, request.state.actor, dict(request.query_params))


def _overdue(runtime: Runtime, actor, params: dict[str, Any]) -> dict[str, Any]:
    limit = parse_limit(params.get("limit"))
    today = runtime.clock.today()
    with Session(runtime.database.reader) as session:
        rows, cursor = services.overdue_items(queries.ItemQueries(session), actor, today, unit=params.get("unit") or None,
                                              cursor=params.get("cursor") or None, limit=limit)
        return {"items": [item_summary(i, e, u, today) for i, e, u in rows], "next_cursor": cursor}


@get("/api/v1/overdue", responses=errors(*READ), operation_class=operation(params=schemas.OVERDUE_QUERY))
async def api_overdue(request: Request) -> schemas.ItemList:
    return await in_thread(_overdue, request.app.state.runtime, request.state.actor, dict(request.query_params))


def register_and_render(runtime: Runtime, actor, data: dict[str, Any]) -> dict[str, Any]:
    outcome = services.register_item(SqlUnitOfWork(runtime.database), actor, data, runtime.clock.now())
    render_quietly(runtime, outcome.document_id)
    return _detail(runtime, actor, outcome.item_id)


def fire_and_render(runtime: Runtime, actor, item_id: int, event: str, data: dict[str, Any]) -> dict[str, Any]:
    outcome = services.fire_event(SqlUnitOfWork(runtime.database), actor, item_id, event, data, runtime.clock.now())
    render_quietly(runtime, outcome.document_id)
    return _detail(runtime, actor, item_id)


def _body(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputInvalid({"body": "请求内容应为 JSON 对象"})
    return data


@post("/api/v1/items", status_code=201, responses=errors(*WRITE), operation_class=operation())
async def api_register_item(request: Request, data: SkipValidation[schemas.ItemRegister]) -> schemas.Item:
    return await in_thread(register_and_render, request.app.state.runtime, request.state.actor, _body(data))


@get("/api/v1/items/{item_id:int}", responses=errors(401, 404), operation_class=operation())
async def api_get_item(request: Request, item_id: int) -> schemas.Item:
    return await in_thread(_detail, request.app.state.runtime, request.state.actor, item_id)


@post("/api/v1/items/{item_id:int}/events/{event:str}", status_code=200, responses=errors(*WRITE),
      description=schemas.FIRE_EVENT_DESCRIPTION,
      operation_class=operation(path_values={"event": list(schemas.EVENT_BODIES)}))
async def api_fire_event(request: Request, item_id: int, event: str,
                         data: SkipValidation[schemas.EventBody]) -> schemas.Item:
    return await in_thread(fire_and_render, request.app.state.runtime, request.state.actor, item_id, event, _body(data))


def _document(runtime: Runtime, actor, document_id: int):
    with Session(runtime.database.reader) as session:
        return queries.get_document(session, actor, document_id)


@get("/api/v1/documents/{document_id:int}", responses=errors(401, 404), operation_class=operation())
async def api_get_document(request: Request, document_id: int) -> schemas.Document:
    runtime = request.app.state.runtime
    document = await in_thread(_document, runtime, request.state.actor, document_id)
    if document.sha256 is None:
        await in_thread(ensure_pdf, runtime, document_id)
        document = await in_thread(_document, runtime, request.state.actor, document_id)
    data = document_json(document)
    data.update(item_id=document.item_id, unit=document.snapshot.get("unit"), snapshot=document.snapshot)
    return data


async def pdf_response(request: Request, document_id: int) -> Response:
    runtime = request.app.state.runtime
    document = await in_thread(_document, runtime, request.state.actor, document_id)
    data = await in_thread(ensure_pdf, runtime, document_id)
    filename = f"{document.snapshot.get('title', 'document')}-{document.number}.pdf"
    from urllib.parse import quote

    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, max-age=3600"})


@get("/api/v1/documents/{document_id:int}/pdf", responses=errors(401, 404),
     operation_class=operation(files=[schemas.PDF], json=False))
async def api_document_pdf(request: Request, document_id: int) -> Response:
    return await pdf_response(request, document_id)


@get("/api/v1/workflow", responses=errors(401), operation_class=operation())
async def api_workflow(request: Request) -> schemas.Workflow:
    return {
        "states": [{"name": s.value, "label": STATE_LABELS[s]} for s in State],
        "events": [
            {"name": e.name, "label": e.label, "from": [s.value for s in e.sources], "to": e.dest.value,
             "role": e.role.value, "document": e.document, "deadline": e.deadline.value,
             "fields": [{"name": f.name, "label": f.label, "type": f.kind, "required": f.required} for f in e.fields]}
            for e in EVENTS.values()
        ],
        "mermaid": mermaid_diagram(),
    }
