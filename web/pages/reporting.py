"""Campaign-reporting pages: the activity records behind 附件2, the report downloads (附件2, 附件1, 问题清单),
monthly submissions with the supervisors' overview, and the 专门现场检查 list with one-click registration."""

from __future__ import annotations


from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select

from db import record_queries, special_inspections as risk, submissions
from db.campaigns import campaign_of_date, report_campaign
from db.models import Campaign, Unit
from db.statistics import statistics
from db.repositories import Catalogs
from db.uow import SqlUnitOfWork
from web.api.reporting import RECORD_PATHS, build_for, file_response, unit_id_of
from web.pages.common import flash, page, query_dict, reader, runtime_of, today
from web.pages.forms import FormView, form_input
from web.pdfs import render_quietly
from web.app_state import in_thread
from workflow import records, special_inspections as special_inspections_use_case
from workflow.record_kinds import KINDS
from workflow.scope import scope_unit
from workflow.submissions import submit_report
from workflow.errors import Conflict, InputInvalid, NotFound

KIND_OF_PATH = {path: kind for kind, path in RECORD_PATHS.items()}
ACTIVITY_KINDS = ("risk_information", "risk_monitoring", "sampling_inspection", "assistance", "interview")
CASE_KINDS = ("exposure", "credit_listing", "typical_case")


def _kind(path: str) -> str:
    if path not in KIND_OF_PATH:
        raise NotFound("没有这类记录")
    return KIND_OF_PATH[path]


def _units(session) -> list[Unit]:
    return list(session.execute(select(Unit).where(Unit.enforces).order_by(Unit.position)).scalars())


def _kind_links() -> list[dict[str, str]]:
    return [{"path": RECORD_PATHS[k], "label": KINDS[k].label, "group": "附件2 活动" if k in ACTIVITY_KINDS else "案件"}
            for k in (*ACTIVITY_KINDS, *CASE_KINDS)]


# --- records ----------------------------------------------------------------------------------------------------


def _record_columns(kind: str) -> list[dict[str, str]]:
    spec = KINDS[kind]
    shown = [f for f in spec.fields if f.kind != "longtext" and f.name not in ("enterprise_uscc", "item_id")][:7]
    return [{"name": f.name, "label": f.label} for f in shown]


def _records_context(runtime, actor, kind: str, params: dict[str, str]) -> dict[str, Any]:
    from web.api.reporting import _dates

    errors: dict[str, str] = {}
    try:
        start, end = _dates(params)
    except InputInvalid as exc:
        errors, start, end = exc.fields, None, None
    with reader(runtime) as session:
        unit_id = unit_id_of(session, params.get("unit")) if actor.sees_all_units else None
        rows, cursor = ([], None) if errors else record_queries.list_records(
            session, kind, actor, unit_id, start, end, params.get("cursor") or None, 50)
        units = _units(session) if actor.sees_all_units else []
    return {"kind": kind, "spec": KINDS[kind], "path": RECORD_PATHS[kind], "rows": rows, "next_cursor": cursor,
            "columns": _record_columns(kind), "filters": params, "filter_errors": errors, "units": units,
            "kinds": _kind_links()}


@get("/records/{path:str}")
async def records_list(request: Request, path: str) -> Template:
    kind = _kind(path)
    context = await in_thread(_records_context, runtime_of(request), request.state.actor, kind, query_dict(request))
    return page(request, "records.html", nav="records", **context)


def _record_form(runtime, kind: str, action: str, values: dict[str, Any], errors: dict[str, str],
                 submit: str) -> FormView:
    with reader(runtime) as session:
        catalog = Catalogs(session).for_date(runtime.clock.today())
    return FormView(KINDS[kind].fields, action=action, values=values, errors=errors, submit=submit, key=kind,
                    options={"category": list(catalog.categories)},
                    groups={"sub_product": {k: v for k, v in catalog.categories.items()}},
                    lookups={"enterprise_uscc": "/enterprises/search"})


@get("/records/{path:str}/new")
async def record_new(request: Request, path: str) -> Template:
    kind = _kind(path)
    spec = KINDS[kind]
    values: dict[str, Any] = {spec.date_field: today(runtime_of(request)).isoformat()}
    values.update({k: v for k, v in query_dict(request).items() if k in spec.field_names})
    form = await in_thread(_record_form, runtime_of(request), kind, f"/records/{path}", values, {}, "保存")
    return page(request, "record_form.html", nav="records", form=form, spec=spec, path=path, editing=None)


@post("/records/{path:str}", media_type=MediaType.HTML)
async def record_create(request: Request, path: str) -> Any:
    kind = _kind(path)
    runtime = runtime_of(request)
    raw = form_input(KINDS[kind].fields, await request.form())
    try:
        await in_thread(records.create_record, SqlUnitOfWork(runtime.database), kind, request.state.actor, raw,
                        runtime.clock.now())
    except (InputInvalid, Conflict) as exc:
        errors = getattr(exc, "fields", {})
        form = await in_thread(_record_form, runtime, kind, f"/records/{path}", raw, errors, "保存")
        if not errors:
            form.message = exc.detail
        return page(request, "record_form.html", nav="records", status_code=422 if errors else 409, form=form,
                    spec=KINDS[kind], path=path, editing=None)
    flash(request, f"已保存{KINDS[kind].label}记录")
    return Redirect(f"/records/{path}", status_code=303)


def _current(runtime, actor, kind: str, record_id: int) -> dict[str, Any]:
    with reader(runtime) as session:
        record = record_queries.get_record(session, kind, actor, record_id)
    values = {name: record.get(name) for name in KINDS[kind].field_names}
    if "enterprise_uscc" in values and record.get("enterprise"):
        values["enterprise_uscc"] = record["enterprise"]["uscc"]
    return values


@get("/records/{path:str}/{record_id:int}/edit")
async def record_edit(request: Request, path: str, record_id: int) -> Template:
    kind = _kind(path)
    runtime = runtime_of(request)
    values = await in_thread(_current, runtime, request.state.actor, kind, record_id)
    form = await in_thread(_record_form, runtime, kind, f"/records/{path}/{record_id}", values, {}, "保存修改")
    return page(request, "record_form.html", nav="records", form=form, spec=KINDS[kind], path=path, editing=record_id)


@post("/records/{path:str}/{record_id:int}", media_type=MediaType.HTML)
async def record_update(request: Request, path: str, record_id: int) -> Any:
    kind = _kind(path)
    runtime = runtime_of(request)
    raw = form_input(KINDS[kind].fields, await request.form())
    try:
        await in_thread(records.update_record, SqlUnitOfWork(runtime.database), kind, request.state.actor,
                        record_id, raw, runtime.clock.now())
    except InputInvalid as exc:
        form = await in_thread(_record_form, runtime, kind, f"/records/{path}/{record_id}", raw, exc.fields,
                               "保存修改")
        return page(request, "record_form.html", nav="records", status_code=422, form=form, spec=KINDS[kind],
                    path=path, editing=record_id)
    flash(request, f"已修改{KINDS[kind].label}记录")
    return Redirect(f"/records/{path}", status_code=303)


# --- reports ----------------------------------------------------------------------------------------------------


def _reports_context(runtime, actor, params: dict[str, str]) -> dict[str, Any]:
    from web.api.reporting import _dates

    with reader(runtime) as session:
        errors: dict[str, str] = {}
        try:
            start, end = _dates(params)
        except InputInvalid as exc:
            errors, start, end = exc.fields, None, None
        campaign = report_campaign(session, key=params.get("campaign") or None, date_from=start or end,
                                   today=today(runtime))
        start, end = start or campaign.starts_on, end or campaign.ends_on
        unit_id = scope_unit(actor, unit_id_of(session, params.get("unit")))
        unit = session.get(Unit, unit_id) if unit_id else None
        table = None if errors else statistics(session, unit_id=unit_id, date_from=start, date_to=end,
                                               campaign=campaign).to_json()
        campaigns = list(session.execute(select(Campaign).order_by(Campaign.starts_on)).scalars())
        units = _units(session) if actor.sees_all_units else []
        months = [(d.title, d.covers_from, d.covers_to) for d in submissions.reporting_deadlines(campaign)
                  if d.kind == "monthly"]
    query = (f"from={start.isoformat()}&to={end.isoformat()}&campaign={quote(campaign.key)}"
             + (f"&unit={unit.code}" if unit and actor.sees_all_units else ""))
    return {"table": table, "start": start, "end": end, "unit": unit, "units": units, "errors": errors,
            "query": query, "months": months, "campaign": campaign, "campaigns": campaigns}


@get("/reports")
async def reports_page(request: Request) -> Template:
    context = await in_thread(_reports_context, runtime_of(request), request.state.actor, query_dict(request))
    return page(request, "reports.html", nav="reports", status_code=422 if context["errors"] else 200, **context)


@get("/reports/{kind:str}/download")
async def report_file(request: Request, kind: str) -> Response:
    data, media_type, filename = await in_thread(build_for, runtime_of(request), request.state.actor, kind,
                                                 query_dict(request))
    return file_response(data, media_type, filename)


# --- monthly submissions ----------------------------------------------------------------------------------------


def _submissions_context(runtime, actor) -> dict[str, Any]:
    with reader(runtime) as session:
        campaign = campaign_of_date(session, today(runtime))
        deadlines = submissions.reporting_deadlines(campaign)
        mine = submissions.list_submissions(session, actor) if not actor.sees_all_units else []
        status = [d.to_json() for d in submissions.submission_status(session, campaign, today=today(runtime))]
    if not actor.sees_all_units:
        for entry in status:
            entry["units"] = [u for u in entry["units"] if u["unit_id"] == actor.unit_id]
    return {"deadlines": deadlines, "mine": mine, "status": status, "today": today(runtime)}


@get("/submissions")
async def submissions_page(request: Request) -> Template:
    context = await in_thread(_submissions_context, runtime_of(request), request.state.actor)
    return page(request, "submissions.html", nav="submissions", **context)


@post("/submissions", media_type=MediaType.HTML)
async def submission_create(request: Request) -> Any:
    form = await request.form()
    key = str(form.get("deadline_key", ""))[:60]
    try:
        made = await in_thread(submit_report, SqlUnitOfWork(runtime_of(request).database),
                               request.state.actor, key, runtime_of(request).clock.now())
    except InputInvalid as exc:
        flash(request, "报送失败：" + "；".join(exc.fields.values()), "error")
        return Redirect("/submissions", status_code=303)
    flash(request, f"已报送 {made['title']}，编号 {made['number']}")
    return Redirect("/submissions", status_code=303)


@get("/submissions/{submission_id:int}/{fmt:str}")
async def submission_file(request: Request, submission_id: int, fmt: str) -> Response:
    from web.api.reporting import _submission_file

    if fmt not in ("pdf", "xlsx"):
        raise NotFound("没有这种格式")
    data, media_type, filename = await in_thread(_submission_file, runtime_of(request), request.state.actor,
                                                 submission_id, fmt)
    return file_response(data, media_type, filename)


# --- 专门现场检查 ----------------------------------------------------------------------------------------------------


def _special_context(runtime, actor, params: dict[str, str]) -> dict[str, Any]:
    with reader(runtime) as session:
        rule = risk.special_inspection_rule(session, today(runtime))
        flagged = risk.special_inspection_candidates(session, actor, reference=today(runtime),
                                                     unit_id=unit_id_of(session, params.get("unit")), rule=rule)
        return {"flagged": [f.to_json() for f in flagged], "units": _units(session) if actor.sees_all_units else [],
                "filters": params, "rule": rule}


@get("/special-inspections")
async def special_inspections(request: Request) -> Template:
    context = await in_thread(_special_context, runtime_of(request), request.state.actor, query_dict(request))
    return page(request, "special_inspections.html", nav="special", **context)


@post("/special-inspections/{enterprise_id:int}/register", media_type=MediaType.HTML)
async def special_inspection_register(request: Request, enterprise_id: int) -> Any:
    runtime = runtime_of(request)

    def run():
        outcome = special_inspections_use_case.register_special_inspection(SqlUnitOfWork(runtime.database), request.state.actor,
                                                   enterprise_id, runtime.clock.now())
        render_quietly(runtime, outcome.document_id)
        return outcome.item_id

    try:
        item_id = await in_thread(run)
    except Conflict as exc:
        flash(request, exc.detail, "error")
        return Redirect("/special-inspections", status_code=303)
    flash(request, f"已登记专门现场检查隐患 #{item_id}，并生成隐患登记表")
    return Redirect(f"/items/{item_id}", status_code=303)


ROUTES = [records_list, record_new, record_create, record_edit, record_update, reports_page, report_file,
          submissions_page, submission_create, submission_file, special_inspections, special_inspection_register]

