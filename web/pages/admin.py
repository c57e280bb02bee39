"""Administration: user accounts (create, disable, reset password) and units (label, short name, number format)."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select

from db.models import Unit, User
from db.uow import SqlUnitOfWork
from web.pages.common import flash, page, reader, runtime_of
from web.app_state import in_thread
from workflow.accounts import create_user, set_active, set_password, update_unit
from workflow.errors import Conflict, DomainError, InputInvalid, NotFound
from workflow.labels import CITY_LABEL
from workflow.numbering import DEFAULT_FORMAT, format_number
from workflow.table import ROLE_LABELS


def _users_context(runtime) -> dict[str, Any]:
    with reader(runtime) as session:
        units = list(session.execute(select(Unit).order_by(Unit.position)).scalars())
        users = list(session.execute(select(User).order_by(User.unit_id.is_(None).desc(), User.unit_id, User.role,
                                                           User.username)).scalars())
    labels = {u.id: u.label for u in units}
    return {"users": [{"id": u.id, "username": u.username, "full_name": u.full_name, "role": u.role,
                       "role_label": ROLE_LABELS.get(u.role, u.role), "unit": labels.get(u.unit_id, CITY_LABEL),
                       "active": u.active} for u in users],
            "units": units, "roles": ROLE_LABELS}


@get("/admin/users")
async def admin_users(request: Request) -> Template:
    context = await in_thread(_users_context, runtime_of(request))
    return page(request, "admin_users.html", nav="admin", errors={}, values={}, **context)


def _run(runtime, use_case, *args, **kwargs) -> Any:
    """Run an administration use case in its own unit of work."""
    return use_case(SqlUnitOfWork(runtime.database), *args, **kwargs)


def _message(exc: DomainError) -> str:
    fields = getattr(exc, "fields", None)
    return "；".join(fields.values()) if fields else exc.detail


@post("/admin/users", media_type=MediaType.HTML)
async def admin_user_create(request: Request) -> Any:
    runtime = runtime_of(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip()[:200] for k in ("username", "full_name", "role", "unit")}
    password = str(form.get("password", ""))[:200]
    try:
        user = await in_thread(_run, runtime, create_user, username=values["username"], password=password,
                               role=values["role"], unit=values["unit"] or None, full_name=values["full_name"] or None,
                               now=runtime.clock.now(), acting_user_id=request.state.actor.user_id)
    except (InputInvalid, Conflict) as exc:
        context = await in_thread(_users_context, runtime)
        status = 409 if isinstance(exc, Conflict) else 422
        return page(request, "admin_users.html", nav="admin", status_code=status, errors={"form": _message(exc)},
                    values=values, **context)
    flash(request, f"已创建用户 {user.username}")
    return Redirect("/admin/users", status_code=303)


@post("/admin/users/{user_id:int}/active", media_type=MediaType.HTML)
async def admin_user_active(request: Request, user_id: int) -> Redirect:
    form = await request.form()
    active = str(form.get("active", "")) == "1"
    try:
        user = await in_thread(_run, runtime_of(request), set_active, user_id, active,
                               acting_user_id=request.state.actor.user_id)
        flash(request, f"已{'启用' if active else '停用'}用户 {user.username}")
    except (NotFound, Conflict) as exc:
        flash(request, exc.detail, "error")
    return Redirect("/admin/users", status_code=303)


@post("/admin/users/{user_id:int}/password", media_type=MediaType.HTML)
async def admin_user_password(request: Request, user_id: int) -> Redirect:
    form = await request.form()
    try:
        user = await in_thread(_run, runtime_of(request), set_password, user_id, str(form.get("password", ""))[:200],
                               acting_user_id=request.state.actor.user_id)
        flash(request, f"已重设 {user.username} 的密码")
    except (NotFound, InputInvalid) as exc:
        flash(request, _message(exc), "error")
    return Redirect("/admin/users", status_code=303)


def _units_context(runtime) -> dict[str, Any]:
    with reader(runtime) as session:
        units = list(session.execute(select(Unit).order_by(Unit.position)).scalars())
    return {"units": [{"id": u.id, "code": u.code, "name": u.name, "label": u.label, "short_name": u.short_name,
                       "number_format": u.number_format or "", "enforces": u.enforces,
                       "sample": format_number(u.number_format, short=u.short_name, kind="责改", year=2023, n=12)}
                      for u in units],
            "default_format": DEFAULT_FORMAT}


@get("/admin/units")
async def admin_units(request: Request) -> Template:
    context = await in_thread(_units_context, runtime_of(request))
    return page(request, "admin_units.html", nav="admin", errors={}, **context)


@post("/admin/units/{unit_id:int}", media_type=MediaType.HTML)
async def admin_unit_update(request: Request, unit_id: int) -> Any:
    runtime = runtime_of(request)
    form = await request.form()
    values = {k: str(form.get(k, ""))[:200] for k in ("label", "short_name", "number_format")}
    try:
        unit = await in_thread(_run, runtime, update_unit, unit_id, **values,
                               acting_user_id=request.state.actor.user_id)
    except InputInvalid as exc:
        context = await in_thread(_units_context, runtime)
        for entry in context["units"]:
            if entry["id"] == unit_id:
                entry.update(values)
        return page(request, "admin_units.html", nav="admin", status_code=422,
                    errors={"unit_id": unit_id, **exc.fields}, **context)
    flash(request, f"已保存{unit.label}的设置")
    return Redirect("/admin/units", status_code=303)


ROUTES = [admin_users, admin_user_create, admin_user_active, admin_user_password, admin_units, admin_unit_update]
