"""Enterprise registry pages: search, list, detail (its items and sampling history), create, edit, import."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template
from sqlalchemy import func, select

from db import queries
from db.models import Enterprise, HazardItem, Unit
from db.record_models import SamplingInspection
from db.scoping import scoped
from db.special_inspections import failures_in_window, special_inspection_rule
from db.uow import SqlUnitOfWork
from web.api.enterprises import search_enterprises
from web.pages.common import flash, page, pagination_link, query_dict, reader, record_id, runtime_of, today
from web.pages.forms import FormView, form_input
from web.pages.items import unit_options
from web.app_state import in_thread
from web.serializers import item_summary
from workflow.enterprise_fields import ENTERPRISE_KINDS, FORM_FIELDS as ENTERPRISE_FIELDS
from workflow.enterprise_rows import COLUMNS, MAX_FILE_BYTES, RowError, unlisted_text
from workflow.enterprises import create_enterprise, import_enterprises, update_enterprise
from workflow.errors import Forbidden, InputInvalid, NotFound

PAGE_SIZE = 50
SEARCH_LIMIT = 12
MAX_UPLOAD = MAX_FILE_BYTES  # DESIGN §7: an uploaded file up to 20 MB (the bounds: workflow.enterprise_rows)


def _clip(value: str | None, limit: int = 100) -> str:
    return (value or "").strip()[:limit]


# --- search (register form) ---------------------------------------------------------------------------------


def _search(runtime, actor, q: str) -> list[dict[str, Any]]:
    if not q:
        return []
    with reader(runtime) as session:
        rows, _ = search_enterprises(session, actor, q=q, unit=None, after=None, limit=SEARCH_LIMIT)
        return [{"id": e.id, "uscc": e.uscc, "name": e.name, "unit": u.label, "address": e.address}
                for e, u in rows]


@get("/enterprises/search")
async def enterprise_search(request: Request, q: str | None = None, format: str | None = None) -> Any:  # noqa: A002
    """Enterprises by name fragment or USCC prefix: JSON for the register form's script, a page otherwise."""
    needle = _clip(q)
    results = await in_thread(_search, runtime_of(request), request.state.actor, needle)
    wants_json = format == "json" or "application/json" in request.headers.get("accept", "")
    if wants_json:
        return Response({"items": results}, media_type="application/json")
    return page(request, "enterprise_search.html", nav="enterprises", q=needle, results=results,
                limit=SEARCH_LIMIT)


# --- list ---------------------------------------------------------------------------------------------------


def _list_context(runtime, actor, params: dict[str, str]) -> dict[str, Any]:
    q, unit = _clip(params.get("q")), _clip(params.get("unit"), 20) if actor.sees_all_units else None
    everywhere = actor.sees_all_units or params.get("scope") == "all"
    cursor = params.get("cursor") or ""
    errors = {}
    if cursor and (not cursor.isdigit() or len(cursor) > 9):
        errors["分页"] = "分页游标无效，请回到第一页"
        cursor = ""
    with reader(runtime) as session:
        rows, next_cursor = ([], None) if errors else search_enterprises(
            session, actor, q=q or None, unit=unit or None, after=int(cursor) if cursor else None, limit=PAGE_SIZE,
            own_unit_only=not everywhere)
        counts = {}
        if rows:
            query = select(HazardItem.enterprise_id, func.count()).where(
                HazardItem.enterprise_id.in_([e.id for e, _ in rows]))
            query = scoped(query, HazardItem.unit_id, actor)
            counts = dict(session.execute(query.group_by(HazardItem.enterprise_id)).all())
        units = unit_options(session) if actor.sees_all_units else []
    return {"rows": [{"e": e, "unit": u, "items": counts.get(e.id, 0)} for e, u in rows], "next_cursor": next_cursor,
            "q": q, "unit": unit or "", "scope": "all" if everywhere else "", "units": units, "errors": errors}


@get("/enterprises")
async def enterprise_list(request: Request) -> Template:
    params = query_dict(request)
    context = await in_thread(_list_context, runtime_of(request), request.state.actor, params)
    context["next_link"] = pagination_link(request, cursor=context["next_cursor"]) if context["next_cursor"] else None
    context["first_link"] = pagination_link(request, cursor=None) if params.get("cursor") else None
    return page(request, "enterprises.html", nav="enterprises", status_code=422 if context["errors"] else 200,
                **context)


# --- detail -------------------------------------------------------------------------------------------------


def _detail_context(runtime, actor, enterprise_id: int) -> dict[str, Any]:
    day = today(runtime)
    with reader(runtime) as session:
        enterprise = session.get(Enterprise, enterprise_id)
        if enterprise is None:
            raise NotFound("企业不存在")
        unit = session.get(Unit, enterprise.unit_id)
        query = queries.item_query(actor, queries.ItemFilter(), day).where(
            HazardItem.enterprise_id == enterprise.id).order_by(HazardItem.id.desc()).limit(200)
        items = [item_summary(i, e, u, day) for i, e, u in session.execute(query).all()]
        s = SamplingInspection
        rows = scoped(select(s, Unit.label).join(Unit, Unit.id == s.unit_id).where(s.enterprise_id == enterprise.id),
                      s.unit_id, actor)
        sampling = session.execute(rows.order_by(s.date.desc(), s.id.desc()).limit(200)).all()
        # the same rule as the 专门现场检查 list: failed inspections within the window of today's campaign
        rule = special_inspection_rule(session, day)
        failures = failures_in_window(session, enterprise.id, reference=day)
        special = failures >= rule.min_failures
        sampling_available = True
    return {"e": enterprise, "unit": unit, "items": items, "sampling": sampling,
            "sampling_available": sampling_available, "failures": failures,
            "special_inspection": special, "special_rule": rule,
            "may_edit": actor.unit_id is not None and actor.unit_id == enterprise.unit_id,
            "may_register": actor.may_register}


@get("/enterprises/{enterprise_id:int}")
async def enterprise_page(request: Request, enterprise_id: int) -> Template:
    context = await in_thread(_detail_context, runtime_of(request), request.state.actor,
                              record_id(enterprise_id, "企业"))
    return page(request, "enterprise.html", nav="enterprises", **context)


# --- create and edit ----------------------------------------------------------------------------------------


def _form(action: str, values: dict[str, Any], errors: dict[str, str], submit: str) -> FormView:
    return FormView(ENTERPRISE_FIELDS, action=action, values=values, errors=errors, submit=submit, key="enterprise",
                    options={"kind": list(ENTERPRISE_KINDS)})


def _save(runtime, use_case, *args) -> int:
    """Run a registry use case in its own unit of work; the enterprise's id."""
    return use_case(SqlUnitOfWork(runtime.database), *args, runtime.clock.now()).id


@get("/enterprises/new")
async def enterprise_new(request: Request, uscc: str | None = None) -> Template:
    form = _form("/enterprises", {"kind": "生产", "uscc": _clip(uscc, 18)}, {}, "登记企业")
    return page(request, "enterprise_form.html", nav="enterprises", form=form, title="登记企业", enterprise=None)


@post("/enterprises", media_type=MediaType.HTML)
async def enterprise_create(request: Request) -> Any:
    raw = form_input(ENTERPRISE_FIELDS, await request.form())
    try:
        enterprise_id = await in_thread(_save, runtime_of(request), create_enterprise, request.state.actor, raw)
    except InputInvalid as exc:
        return page(request, "enterprise_form.html", nav="enterprises", status_code=422, title="登记企业",
                    enterprise=None, form=_form("/enterprises", raw, exc.fields, "登记企业"))
    flash(request, f"已登记企业：{raw['name'].strip()}")
    return Redirect(f"/enterprises/{enterprise_id}", status_code=303)


def _editable(runtime, actor, enterprise_id: int) -> Enterprise:
    with reader(runtime) as session:
        enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None or not actor.can_see_unit(enterprise.unit_id):
        raise NotFound("企业不存在或无权查看")  # as workflow.enterprises.update_enterprise answers
    if actor.unit_id is None or actor.unit_id != enterprise.unit_id:
        raise Forbidden("只能修改本单位的企业")
    return enterprise


@get("/enterprises/{enterprise_id:int}/edit")
async def enterprise_edit(request: Request, enterprise_id: int) -> Template:
    enterprise = await in_thread(_editable, runtime_of(request), request.state.actor, record_id(enterprise_id, "企业"))
    values = {spec.name: getattr(enterprise, spec.name) for spec in ENTERPRISE_FIELDS}
    return page(request, "enterprise_form.html", nav="enterprises", title="修改企业信息", enterprise=enterprise,
                form=_form(f"/enterprises/{enterprise_id}", values, {}, "保存修改"))


@post("/enterprises/{enterprise_id:int}", media_type=MediaType.HTML)
async def enterprise_update(request: Request, enterprise_id: int) -> Any:
    runtime, actor = runtime_of(request), request.state.actor
    record_id(enterprise_id, "企业")
    raw = form_input(ENTERPRISE_FIELDS, await request.form())
    try:
        await in_thread(_save, runtime, update_enterprise, actor, enterprise_id, raw)
    except InputInvalid as exc:
        enterprise = await in_thread(_editable, runtime, actor, enterprise_id)
        return page(request, "enterprise_form.html", nav="enterprises", status_code=422, title="修改企业信息",
                    enterprise=enterprise, form=_form(f"/enterprises/{enterprise_id}", raw, exc.fields, "保存修改"))
    flash(request, "已保存企业信息")
    return Redirect(f"/enterprises/{enterprise_id}", status_code=303)


# --- import -------------------------------------------------------------------------------------------------


def _import(runtime, actor, filename: str, data: bytes):
    """All or nothing: the use case stores every row or none (a unit imports its own enterprises only).

    It runs in the request (off the event loop), bounded by workflow.enterprise_rows: a file of at most 20 MB,
    20,000 rows and 50 columns, its zip archive checked before it is inflated, at most 100 errors listed."""
    result = import_enterprises(SqlUnitOfWork(runtime.database), filename, data, runtime.clock.now(), actor=actor)
    return result.imported, result.errors, result.total_errors


def _failed(request: Request, status: int, filename: str, errors: list[RowError], total: int | None = None) -> Any:
    total = len(errors) if total is None else total
    return page(request, "enterprise_import.html", nav="enterprises", status_code=status, filename=filename,
                errors=errors, error_total=total,
                unlisted=unlisted_text(total - len(errors), total) if total > len(errors) else "",
                columns=COLUMNS, kinds=ENTERPRISE_KINDS)


@get("/enterprises/import")
async def enterprise_import_page(request: Request) -> Template:
    return page(request, "enterprise_import.html", nav="enterprises", columns=COLUMNS, kinds=ENTERPRISE_KINDS,
                errors=None, filename="")


@post("/enterprises/import", media_type=MediaType.HTML,
      request_max_body_size=MAX_UPLOAD + 64 * 1024)  # DESIGN §7: uploads up to 20 MB (the app default is 1 MB)
async def enterprise_import(request: Request) -> Any:
    """Multipart upload (field `data`), read from the form so that a missing file is a message, not a 400."""
    form = await request.form()
    data = form.get("data")
    if data is None or not isinstance(data, UploadFile) or not data.filename:
        return _failed(request, 422, "", [RowError(0, "文件", "请选择要导入的 XLSX 或 CSV 文件")])
    content = await data.read()
    if len(content) > MAX_UPLOAD:
        return _failed(request, 413, data.filename, [RowError(0, "文件", "文件超过 20 MB 上限")])
    imported, errors, total = await in_thread(_import, runtime_of(request), request.state.actor, data.filename,
                                              content)
    if errors:
        return _failed(request, 422, data.filename, errors, total)
    flash(request, f"已从 {data.filename} 导入 {imported} 家企业")
    return Redirect("/enterprises", status_code=303)


ROUTES = [enterprise_search, enterprise_list, enterprise_new, enterprise_create, enterprise_import_page,
          enterprise_import, enterprise_page, enterprise_edit, enterprise_update]
