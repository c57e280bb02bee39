"""JSON API for campaign reporting: the activity records behind 附件2, the reports, monthly submissions and the
two-failures risk rule. Handlers parse, call a db/ use case, render."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable
from urllib.parse import quote

from litestar import Request, Response, get, patch, post
from litestar.params import SkipValidation
from sqlmodel import Session

from db import record_queries, special_inspections as risk, submissions
from db.campaigns import report_campaign
from db.queries import find_unit
from db.uow import SqlUnitOfWork
from documents.statistics_report import submission_pdf, submission_xlsx
from web.api import schemas
from web.api.items import parse_limit
from web.api.schemas import READ, WRITE, errors, operation
from web.reports import FORMATS, TITLES, render_report
from web.app_state import Runtime, in_thread
from workflow.record_kinds import KINDS
from workflow import records, special_inspections
from workflow.errors import Forbidden, InputInvalid, NotFound
from workflow.labels import scope_label
from workflow.scope import scope_unit
from workflow.submissions import submit_report
from workflow.fields import date_params

# The URL of each record kind (plural, hyphenated), e.g. /api/v1/sampling-inspections.
RECORD_PATHS = {
    "risk_information": "risk-information",
    "risk_monitoring": "risk-monitoring",
    "sampling_inspection": "sampling-inspections",
    "assistance": "assistance",
    "interview": "interviews",
    "exposure": "exposures",
    "credit_listing": "credit-listings",
    "typical_case": "typical-cases",
}
assert set(RECORD_PATHS) == set(KINDS)


def _body(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputInvalid({"body": "请求内容应为 JSON 对象"})
    return data


def _dates(params: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    values = date_params(params, "from", "to")
    if values[0] and values[1] and values[1] < values[0]:
        raise InputInvalid({"to": "截止日期不能早于起始日期"})
    return values[0], values[1]


def unit_id_of(session: Session, key: str | None) -> int | None:
    if not key:
        return None
    unit = find_unit(session, key)
    if unit is None:
        raise NotFound("单位不存在")
    return unit.id


# --- activity records, one route family per kind --------------------------------------------------------------


def _list_records(runtime: Runtime, actor, kind: str, params: dict[str, Any]) -> dict[str, Any]:
    start, end = _dates(params)
    limit = parse_limit(params.get("limit"))
    with Session(runtime.database.reader) as session:
        rows, cursor = record_queries.list_records(session, kind, actor, unit_id_of(session, params.get("unit")),
                                               start, end, params.get("cursor") or None, limit)
        return {"items": rows, "next_cursor": cursor}


def _get_record(runtime: Runtime, actor, kind: str, record_id: int) -> dict[str, Any]:
    with Session(runtime.database.reader) as session:
        return record_queries.get_record(session, kind, actor, record_id)


def _record_routes(kind: str) -> list[Any]:
    """List, create, read and update handlers for one record kind, named api_<verb>_<kind> for the access table."""
    path = f"/api/v1/{RECORD_PATHS[kind]}"

    async def list_(request: Request) -> dict[str, Any]:
        return await in_thread(_list_records, request.app.state.runtime, request.state.actor, kind,
                               dict(request.query_params))

    async def create(request: Request, data: Any) -> dict[str, Any]:
        runtime = request.app.state.runtime
        return await in_thread(records.create_record, SqlUnitOfWork(runtime.database), kind, request.state.actor,
                               _body(data), runtime.clock.now())

    async def read(request: Request, record_id: int) -> dict[str, Any]:
        return await in_thread(_get_record, request.app.state.runtime, request.state.actor, kind, record_id)

    async def update(request: Request, record_id: int, data: Any) -> dict[str, Any]:
        runtime = request.app.state.runtime
        return await in_thread(records.update_record, SqlUnitOfWork(runtime.database), kind, request.state.actor,
                               record_id, _body(data), runtime.clock.now())

    # Annotations as objects, not strings: they name this kind's schemas, which a string could not reach.
    record, record_list = schemas.RECORDS[kind], schemas.RECORD_LISTS[kind]
    list_.__annotations__ = {"request": Request, "return": record_list}
    create.__annotations__ = {"request": Request, "data": SkipValidation[schemas.RECORD_CREATE[kind]],
                              "return": record}
    read.__annotations__ = {"request": Request, "record_id": int, "return": record}
    update.__annotations__ = {"request": Request, "record_id": int,
                              "data": SkipValidation[schemas.RECORD_UPDATE[kind]], "return": record}
    one = f"{path}/{{record_id:int}}"
    handlers = []
    for fn, verb, decorator in (
        (list_, "list", get(path, responses=errors(*READ), operation_class=operation(params=schemas.RECORD_QUERY))),
        (create, "create", post(path, status_code=201, responses=errors(*WRITE), operation_class=operation())),
        (read, "get", get(one, responses=errors(401, 403, 404), operation_class=operation())),
        (update, "update", patch(one, responses=errors(*WRITE), operation_class=operation())),
    ):
        fn.__name__ = fn.__qualname__ = f"api_{verb}_{kind}"
        handlers.append(decorator(fn))
    return handlers


RECORD_ROUTES = [handler for kind in KINDS for handler in _record_routes(kind)]


# --- reports --------------------------------------------------------------------------------------------------

REPORT_KINDS = {"statistics": "statistics", "ledger": "ledger", "issue-list": "issues"}


def build_for(runtime: Runtime, actor, kind: str, params: dict[str, Any]) -> tuple[bytes, str, str]:
    """(bytes, media type, filename) of a report for the actor's scope: own unit for handlers and leaders.

    The campaign is `campaign=KEY`, else the campaign of the period's first day, else today's; without dates the
    report covers the campaign's own period (db.campaigns.report_campaign)."""
    if kind not in REPORT_KINDS:
        raise NotFound("没有这种报表")
    fmt = params.get("format") or "json"
    if fmt not in FORMATS:
        raise InputInvalid({"format": "格式应为 json、xlsx 或 pdf"})
    start, end = _dates(params)
    with Session(runtime.database.reader) as session:
        unit_id = scope_unit(actor, unit_id_of(session, params.get("unit")))
        campaign = report_campaign(session, key=params.get("campaign") or None, date_from=start or end,
                                   today=runtime.clock.today())
        start, end = start or campaign.starts_on, end or campaign.ends_on
        if end < start:
            raise InputInvalid({"to": "截止日期不能早于起始日期"})
        from db.models import Unit

        unit = session.get(Unit, unit_id) if unit_id else None
        data = render_report(session, REPORT_KINDS[kind], unit, start, end, fmt, today=runtime.clock.today(),
                             campaign=campaign)
    label = scope_label(unit)
    filename = f"{TITLES[REPORT_KINDS[kind]]}-{label}-{start.isoformat()}至{end.isoformat()}.{fmt}"
    return data, FORMATS[fmt], filename


def file_response(data: bytes, media_type: str, filename: str) -> Response:
    disposition = "inline" if media_type in ("application/pdf", "application/json") else "attachment"
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(filename)}"})


@get("/api/v1/reports/{kind:str}", responses=errors(*READ),
     operation_class=operation(params=schemas.REPORT_QUERY, path_values={"kind": list(REPORT_KINDS)},
                               files=[schemas.PDF, schemas.XLSX]))
async def api_report(request: Request, kind: str) -> Response[schemas.ReportJson]:
    data, media_type, filename = await in_thread(build_for, request.app.state.runtime, request.state.actor, kind,
                                                 dict(request.query_params))
    return file_response(data, media_type, filename)


# --- monthly submissions --------------------------------------------------------------------------------------


def _submission_file(runtime: Runtime, actor, submission_id: int, fmt: str) -> tuple[bytes, str, str]:
    with Session(runtime.database.reader) as session:
        row = submissions.get_submission(session, actor, submission_id)
        frozen, sha, number = row.frozen, row.sha256, row.number
    render: Callable[..., bytes] = submission_pdf if fmt == "pdf" else submission_xlsx
    return render(frozen, sha), FORMATS[fmt], f"统计表和典型案例-{number}.{fmt}"


@get("/api/v1/submissions", responses=errors(*READ), operation_class=operation(params=schemas.SUBMISSION_QUERY))
async def api_list_submissions(request: Request) -> schemas.SubmissionList:
    def run(runtime: Runtime, actor, params):
        with Session(runtime.database.reader) as session:
            rows = submissions.list_submissions(session, actor, unit_id_of(session, params.get("unit")),
                                                params.get("deadline") or None)
            return {"items": rows, "next_cursor": None}

    return await in_thread(run, request.app.state.runtime, request.state.actor, dict(request.query_params))


@post("/api/v1/submissions", status_code=201, responses=errors(*WRITE), operation_class=operation())
async def api_submit_report(request: Request,
                            data: SkipValidation[schemas.SubmissionCreate]) -> schemas.Submission:
    runtime = request.app.state.runtime
    key = _body(data).get("deadline_key")
    if not isinstance(key, str) or not key:
        raise InputInvalid({"deadline_key": "请指定报送节点（如 monthly-2023-07-31）"})
    return await in_thread(submit_report, SqlUnitOfWork(runtime.database), request.state.actor, key, runtime.clock.now())


@get("/api/v1/submissions/{submission_id:int}", responses=errors(401, 403, 404), operation_class=operation())
async def api_get_submission(request: Request, submission_id: int) -> schemas.SubmissionDetail:
    def run(runtime: Runtime, actor):
        with Session(runtime.database.reader) as session:
            row = submissions.get_submission(session, actor, submission_id)
            return {**submissions.public(row), "frozen": row.frozen,
                    "verified": submissions.verify_submission(row)}

    return await in_thread(run, request.app.state.runtime, request.state.actor)


@get("/api/v1/submissions/{submission_id:int}/{fmt:str}", responses=errors(401, 403, 404),
     operation_class=operation(path_values={"fmt": ["pdf", "xlsx"]}, files=[schemas.PDF, schemas.XLSX], json=False))
async def api_submission_file(request: Request, submission_id: int, fmt: str) -> Response:
    if fmt not in ("pdf", "xlsx"):
        raise NotFound("没有这种格式")
    data, media_type, filename = await in_thread(_submission_file, request.app.state.runtime, request.state.actor,
                                                 submission_id, fmt)
    return file_response(data, media_type, filename)


@get("/api/v1/reporting-status", responses=errors(401, 403, 404),
     operation_class=operation(params=(schemas.CAMPAIGN,)))
async def api_reporting_status(request: Request) -> schemas.ReportingStatus:
    def run(runtime: Runtime, params):
        today = runtime.clock.today()
        with Session(runtime.database.reader) as session:
            campaign = report_campaign(session, key=params.get("campaign") or None, date_from=None, today=today)
            return {"campaign": campaign.key,
                    "deadlines": [d.to_json() for d in submissions.submission_status(session, campaign, today=today)]}

    return await in_thread(run, request.app.state.runtime, dict(request.query_params))


# --- 专门现场检查: enterprises with two or more failed sampling inspections within two years -------------------


@get("/api/v1/special-inspections", responses=errors(*READ),
     operation_class=operation(params=schemas.SPECIAL_INSPECTION_QUERY))
async def api_special_inspections(request: Request) -> schemas.SpecialInspectionList:
    def run(runtime: Runtime, actor, params):
        reference = date_params(params, "date")[0] or runtime.clock.today()
        with Session(runtime.database.reader) as session:
            flagged = risk.special_inspection_candidates(session, actor, reference=reference,
                                                         unit_id=unit_id_of(session, params.get("unit")))
            return {"items": [f.to_json() for f in flagged], "next_cursor": None}

    return await in_thread(run, request.app.state.runtime, request.state.actor, dict(request.query_params))


@post("/api/v1/special-inspections/{enterprise_id:int}/register", status_code=201,
      responses=errors(401, 403, 404, 409), operation_class=operation())
async def api_register_special_inspection(request: Request, enterprise_id: int) -> schemas.Item:
    from web.api.items import _detail
    from web.pdfs import render_quietly

    def run(runtime: Runtime, actor):
        outcome = special_inspections.register_special_inspection(SqlUnitOfWork(runtime.database), actor, enterprise_id, runtime.clock.now())
        render_quietly(runtime, outcome.document_id)
        return _detail(runtime, actor, outcome.item_id)

    return await in_thread(run, request.app.state.runtime, request.state.actor)


ROUTES = [*RECORD_ROUTES, api_report, api_list_submissions, api_submit_report, api_get_submission,
          api_submission_file, api_reporting_status, api_special_inspections, api_register_special_inspection]
__all__ = ["ROUTES", "RECORD_PATHS", "build_for", "file_response", "Forbidden"]
