"""JSON API: the enterprise registry."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, patch, post
from litestar.params import SkipValidation
from sqlalchemy import or_, select
from sqlmodel import Session

from db.models import Enterprise, Unit
from db.scoping import scoped
from db.uow import SqlUnitOfWork
from web.api import schemas
from web.api.items import parse_limit
from web.api.schemas import WRITE, errors, operation
from web.app_state import Runtime, in_thread
from workflow.enterprises import create_enterprise, update_enterprise
from workflow.errors import InputInvalid, NotFound


def enterprise_json(e: Enterprise, unit: Unit | None = None) -> dict[str, Any]:
    data = {"id": e.id, "uscc": e.uscc, "name": e.name, "address": e.address, "legal_rep": e.legal_rep,
            "phone": e.phone, "kind": e.kind, "unit_id": e.unit_id}
    if unit is not None:
        data["unit"] = {"code": unit.code, "name": unit.name, "label": unit.label}
    return data


def search_enterprises(session: Session, actor, *, q: str | None, unit: str | None, after: int | None, limit: int,
                       own_unit_only: bool = False):
    """Enterprises by name fragment or USCC prefix, keyset by id. Any signed-in user may look an enterprise up
    (a unit registers hazards of enterprises sold or produced elsewhere); writes stay unit-scoped."""
    query = select(Enterprise, Unit).join(Unit, Unit.id == Enterprise.unit_id)
    if q:
        needle = q.strip()
        query = query.where(or_(Enterprise.name.contains(needle), Enterprise.uscc.startswith(needle.upper())))
    if unit:
        query = query.where(or_(Unit.code == unit, Unit.name == unit))
    if own_unit_only:
        query = scoped(query, Enterprise.unit_id, actor)
    if after:
        query = query.where(Enterprise.id > after)
    rows = session.execute(query.order_by(Enterprise.id).limit(limit + 1)).all()
    next_cursor = str(rows[limit - 1][0].id) if len(rows) > limit else None
    return rows[:limit], next_cursor


def _list(runtime: Runtime, actor, params: dict[str, Any]) -> dict[str, Any]:
    limit = parse_limit(params.get("limit"))
    cursor = params.get("cursor")
    if cursor and not cursor.isdigit():
        raise InputInvalid({"cursor": "分页游标无效"})
    with Session(runtime.database.reader) as session:
        rows, next_cursor = search_enterprises(session, actor, q=params.get("q"), unit=params.get("unit"),
                                               after=int(cursor) if cursor else None, limit=limit)
        return {"items": [enterprise_json(e, u) for e, u in rows], "next_cursor": next_cursor}


def _get(runtime: Runtime, enterprise_id: int) -> dict[str, Any]:
    with Session(runtime.database.reader) as session:
        enterprise = session.get(Enterprise, enterprise_id)
        if enterprise is None:
            raise NotFound("企业不存在")
        return enterprise_json(enterprise, session.get(Unit, enterprise.unit_id))


def _create(runtime: Runtime, actor, data: dict[str, Any]) -> dict[str, Any]:
    enterprise = create_enterprise(SqlUnitOfWork(runtime.database), actor, data, runtime.clock.now())
    return _get(runtime, enterprise.id)


def _update(runtime: Runtime, actor, enterprise_id: int, data: dict[str, Any]) -> dict[str, Any]:
    update_enterprise(SqlUnitOfWork(runtime.database), actor, enterprise_id, data, runtime.clock.now())
    return _get(runtime, enterprise_id)


def _body(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputInvalid({"body": "请求内容应为 JSON 对象"})
    return data


@get("/api/v1/enterprises", responses=errors(401, 422), operation_class=operation(params=schemas.ENTERPRISE_QUERY))
async def api_list_enterprises(request: Request) -> schemas.EnterpriseList:
    return await in_thread(_list, request.app.state.runtime, request.state.actor, dict(request.query_params))


@post("/api/v1/enterprises", status_code=201, responses=errors(401, 403, 413, 422), operation_class=operation())
async def api_create_enterprise(request: Request,
                                data: SkipValidation[schemas.EnterpriseCreate]) -> schemas.Enterprise:
    return await in_thread(_create, request.app.state.runtime, request.state.actor, _body(data))


@get("/api/v1/enterprises/{enterprise_id:int}", responses=errors(401, 404), operation_class=operation())
async def api_get_enterprise(request: Request, enterprise_id: int) -> schemas.Enterprise:
    return await in_thread(_get, request.app.state.runtime, enterprise_id)


@patch("/api/v1/enterprises/{enterprise_id:int}", responses=errors(*WRITE), operation_class=operation())
async def api_update_enterprise(request: Request, enterprise_id: int,
                                data: SkipValidation[schemas.EnterpriseUpdate]) -> schemas.Enterprise:
    return await in_thread(_update, request.app.state.runtime, request.state.actor, enterprise_id, _body(data))
