"""Hazard-item pages: the filtered list and its XLSX export, the register form, the item page with one form per
event the user may fire now, and the document PDFs. Handlers parse, call a use case or a query, render."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select

from db import queries
from db.models import HazardItem, Unit
from db.supervision import flagged_item_ids, flags_for_item
from db.repositories import Catalogs
from documents.item_export import EXPORT_CAP, items_xlsx
from web.api.items import fire_and_render, parse_filter, pdf_response, register_and_render
from web.pages.common import (MAX_ID, flash, page, pagination_link, query_dict, reader, record_id, runtime_of,
                              today)
from web.pages.forms import FormView, form_input
from web.app_state import in_thread
from workflow.labels import chinese_date
from web.serializers import item_detail, item_summary
from workflow.errors import Conflict, InputInvalid, NotFound
from workflow.table import DOCUMENT_KINDS, EVENTS, ROLE_LABELS, STATE_LABELS

PAGE_SIZE = 50
EXPORT_BATCH = 1_000
SORT_LABELS = {"newest": "最新登记在前", "oldest": "最早登记在前", "deadline": "期限最近在前", "found_on": "发现日期最近在前"}
FILTER_LABELS = {"state": "状态", "unit": "单位", "category": "产品类别", "sub_product": "具体产品",
                 "problem_type": "问题类型", "source": "发现来源", "enterprise": "企业", "overdue": "是否逾期",
                 "from": "发现日期起", "to": "发现日期止", "q": "关键词", "sort": "排序", "cursor": "分页"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- shared reads ---------------------------------------------------------------------------------------------


def catalog_options(session, today) -> dict[str, Any]:
    """Choices of the register form and the list filters, from the catalog of today's campaign (data, not code)."""
    catalog = Catalogs(session).for_date(today)
    return {
        "category": list(catalog.categories),
        "sub_product": [p for products in catalog.categories.values() for p in products],
        "sub_products": {name: list(products) for name, products in catalog.categories.items()},
        "problem_type": list(catalog.problem_types),
        "source": list(catalog.sources),
    }


def unit_options(session) -> list[Unit]:
    return list(session.execute(select(Unit).order_by(Unit.position, Unit.id)).scalars())


def _check_cursor(cursor: str | None, sort: str) -> None:
    """A cursor must be one this list issued for this sort order (a hand-edited one is a clear 422, never a 500)."""
    if not cursor:
        return
    key, last_id = queries.decode_cursor(cursor)
    column, _ = queries.SORTS.get(sort, queries.SORTS["newest"])
    ok = isinstance(last_id, int) and not isinstance(last_id, bool) and abs(last_id) <= MAX_ID
    if column is HazardItem.id:
        ok = ok and isinstance(key, int) and not isinstance(key, bool) and abs(key) <= MAX_ID
    elif key is not None:
        try:
            ok = ok and isinstance(key, str) and bool(dt.date.fromisoformat(key))
        except ValueError:
            ok = False
    if not ok:
        raise InputInvalid({"cursor": "分页游标无效，请回到第一页"})


# --- the list and its export ----------------------------------------------------------------------------------


def page_filter(params: dict[str, str]) -> queries.ItemFilter:
    """parse_filter, plus the limits of the page: a keyword of digits only is also read as an item number."""
    f = parse_filter(params)
    if f.q and f.q.isdigit() and int(f.q) > MAX_ID:
        raise InputInvalid({"q": "纯数字的关键词按隐患编号查找，编号不超过 10 位；按统一社会信用代码查找请使用“企业”一栏"})
    return f


def _list_context(runtime, actor, params: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    next_cursor = None
    day = today(runtime)
    with reader(runtime) as session:
        try:
            f = page_filter(params)
            _check_cursor(params.get("cursor"), f.sort)
            found, next_cursor = queries.list_items(session, actor, f, day, cursor=params.get("cursor") or None,
                                                    limit=PAGE_SIZE)
            rows = [item_summary(i, e, u, day) for i, e, u in found]
            flagged = flagged_item_ids(session, [r["id"] for r in rows])
            for row in rows:
                row["flagged"] = row["id"] in flagged
        except InputInvalid as exc:
            errors = {FILTER_LABELS.get(k, k): v for k, v in exc.fields.items()}
        options = catalog_options(session, day)
        units = unit_options(session) if actor.sees_all_units else []
    return {"rows": rows, "next_cursor": next_cursor, "errors": errors, "f": params, "options": options,
            "units": units, "sorts": SORT_LABELS, "states": STATE_LABELS, "filtered": any(
                params.get(k) for k in FILTER_LABELS if k not in ("sort", "cursor"))}


@get("/items")
async def item_list(request: Request) -> Template:
    params = query_dict(request)
    context = await in_thread(_list_context, runtime_of(request), request.state.actor, params)
    context["next_link"] = pagination_link(request, cursor=context["next_cursor"]) if context["next_cursor"] else None
    context["first_link"] = pagination_link(request, cursor=None) if params.get("cursor") else None
    context["export_link"] = "/items/export" + pagination_link(request, cursor=None)
    return page(request, "items.html", nav="items", status_code=422 if context["errors"] else 200, **context)


def _export_rows(session, actor, f: queries.ItemFilter, day, wanted: int):
    """Up to `wanted` items the filter finds, read page by page (keyset, EXPORT_BATCH at a time)."""
    cursor, left = None, wanted
    while left > 0:
        rows, cursor = queries.list_items(session, actor, f, day, cursor=cursor, limit=min(EXPORT_BATCH, left))
        yield from rows
        left -= len(rows)
        if cursor is None:
            return


def export_items(runtime, actor, params: dict[str, str]) -> tuple[bytes, int, bool]:
    """The filtered list as XLSX, up to EXPORT_CAP rows: (bytes, rows, truncated)."""
    f = page_filter(params)
    day = today(runtime)
    with reader(runtime) as session:
        # one row past the cap tells the writer that the export is truncated
        export = items_xlsx(_export_rows(session, actor, f, day, EXPORT_CAP + 1), day, cap=EXPORT_CAP)
    return export.data, export.rows, export.truncated


@get("/items/export")
async def item_export(request: Request) -> Response:
    data, count, truncated = await in_thread(export_items, runtime_of(request), request.state.actor,
                                             query_dict(request))
    filename = f"隐患清单-{today(runtime_of(request)):%Y%m%d}.xlsx"
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"items-{today(runtime_of(request)):%Y%m%d}.xlsx\"; "
                               f"filename*=UTF-8''{quote(filename)}",
        "X-Row-Count": str(count), "X-Truncated": "1" if truncated else "0"})


# --- register ---------------------------------------------------------------------------------------------------


def _register_form(runtime, values: dict[str, Any], errors: dict[str, str]) -> FormView:
    with reader(runtime) as session:
        options = catalog_options(session, runtime.clock.today())
    spec = EVENTS["register"]
    return FormView(spec.fields, action="/items", values=values, errors=errors, submit="登记并生成隐患登记表",
                    key="register", options={k: options[k] for k in ("category", "problem_type", "source")},
                    groups={"sub_product": options["sub_products"]},
                    lookups={"enterprise_uscc": "/enterprises/search"})


@get("/items/new")
async def item_new(request: Request, enterprise: str | None = None) -> Template:
    values = {"found_on": today(runtime_of(request)).isoformat(), "enterprise_uscc": (enterprise or "").strip()[:18]}
    form = await in_thread(_register_form, runtime_of(request), values, {})
    return page(request, "item_new.html", nav="new", form=form)


@post("/items", media_type=MediaType.HTML)
async def item_create(request: Request) -> Any:
    runtime = runtime_of(request)
    raw = form_input(EVENTS["register"].fields, await request.form())
    try:
        detail = await in_thread(register_and_render, runtime, request.state.actor, raw)
    except InputInvalid as exc:
        form = await in_thread(_register_form, runtime, raw, exc.fields)
        return page(request, "item_new.html", nav="new", status_code=422, form=form)
    document = detail["documents"][-1] if detail["documents"] else None
    flash(request, f"已登记隐患 #{detail['id']}" + (f"，生成{document['title']} {document['number']}" if document else ""))
    return Redirect(f"/items/{detail['id']}", status_code=303)


# --- the item page ----------------------------------------------------------------------------------------------


def _display(spec, value: Any) -> Any:
    if spec.kind == "date" and isinstance(value, str) and value:
        try:
            return chinese_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if spec.kind == "money" and value not in (None, ""):
        return f"{value} 元" if "元" not in spec.label else str(value)
    return value


def _timeline(detail: dict[str, Any]) -> list[dict[str, Any]]:
    numbers = {d["id"]: d for d in detail["documents"]}
    entries = []
    for entry in detail["history"]:
        spec = EVENTS.get(entry["event"])
        facts = []
        for field in (spec.fields if spec else ()):
            value = entry["input"].get(field.name)
            if value in (None, "", []):
                continue
            if field.kind == "items":
                facts.append({"label": field.label, "rows": value, "columns": field.item_fields})
            else:
                facts.append({"label": field.label, "value": _display(field, value)})
        entries.append({**entry, "facts": facts, "document": numbers.get(entry["document_id"]),
                        "from_label": STATE_LABELS.get(entry["from_state"] or "", "—"),
                        "to_label": STATE_LABELS.get(entry["to_state"], entry["to_state"])})
    return list(reversed(entries))  # newest first


def item_context(runtime, actor, item_id: int, failed: tuple[str, dict, dict[str, str]] | None = None,
                 message: str = "") -> dict[str, Any]:
    day = today(runtime)
    with reader(runtime) as session:
        detail = item_detail(session, actor, item_id, day)  # NotFound for another unit's item
        flags = flags_for_item(session, actor, session.get(HazardItem, item_id))
    forms = []
    for name in detail["allowed_events"]:
        spec = EVENTS[name]
        values, errors, note = {}, {}, ""
        if failed and failed[0] == name:
            values, errors = failed[1], failed[2]
            note = message
        forms.append(FormView(spec.fields, action=f"/items/{item_id}/events/{name}", values=values, errors=errors,
                              hidden={"version": detail["version"]}, submit=spec.label, key=name, message=note))
    specs = [EVENTS[name] for name in detail["allowed_events"]]
    return {"item": detail, "forms": forms, "event_specs": specs, "timeline": _timeline(detail), "flags": flags,
            "documents": detail["documents"], "message": message, "DOCUMENT_KINDS": DOCUMENT_KINDS,
            "failed_event": failed[0] if failed else None, "role_labels": ROLE_LABELS}


@get("/items/{item_id:int}")
async def item_page(request: Request, item_id: int) -> Template:
    context = await in_thread(item_context, runtime_of(request), request.state.actor, record_id(item_id, "隐患"))
    return page(request, "item.html", nav="items", **context)


@post("/items/{item_id:int}/events/{event:str}", media_type=MediaType.HTML)
async def item_event(request: Request, item_id: int, event: str) -> Any:
    runtime, actor = runtime_of(request), request.state.actor
    record_id(item_id, "隐患")
    spec = EVENTS.get(event)
    if spec is None or not spec.sources:
        raise NotFound(f"没有名为 {event} 的操作")
    form = await request.form()
    raw = form_input(spec.fields, form)
    raw["version"] = str(form.get("version", ""))
    try:
        detail = await in_thread(fire_and_render, runtime, actor, item_id, event, raw)
    except InputInvalid as exc:
        errors = dict(exc.fields)
        message = errors.pop("version", "") or "输入有误，请按提示修改后重新提交；本次未保存任何内容。"
        context = await in_thread(item_context, runtime, actor, item_id, (event, raw, errors), message)
        return page(request, "item.html", nav="items", status_code=422, **context)
    except Conflict as exc:
        context = await in_thread(item_context, runtime, actor, item_id, (event, raw, {}),
                                  f"{exc.detail}。本次未保存任何内容。")
        return page(request, "item.html", nav="items", status_code=409, **context)
    text = f"已完成“{spec.label}”，当前状态：{STATE_LABELS[detail['state']]}"
    if spec.document and detail["documents"]:
        document = detail["documents"][-1]
        text += f"；已生成{document['title']} {document['number']}"
    flash(request, text)
    return Redirect(f"/items/{item_id}", status_code=303)


@get("/documents/{document_id:int}/pdf")
async def document_pdf(request: Request, document_id: int) -> Response:
    return await pdf_response(request, record_id(document_id, "文书"))


ROUTES = [item_list, item_export, item_new, item_create, item_page, item_event, document_pdf]
