"""The city supervisor's view: overdue work (the campaign's priority category first — 2023: 燃气用品), cases open
past 90 days, the unit ranking, and 挂牌督办 — flagging an item or a unit with a note that the unit then sees."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select

from db.campaigns import priority_category
from db.models import Unit
from db.special_inspections import special_inspection_candidates, special_inspection_rule
from db.supervision import (
    STALE_CASE_DAYS,
    open_flags,
    overdue_by_unit_and_category,
    overdue_items,
    stale_cases,
    unit_ranking,
)
from db.uow import SqlUnitOfWork
from web.pages.charts import bar_chart
from web.pages.common import flash, page, reader, record_id, runtime_of, today
from web.app_state import in_thread
from web.serializers import item_summary
from workflow import flags as supervision_flags
from workflow.errors import InputInvalid
from workflow.flags import MAX_NOTE

OVERDUE_ROWS = 30


def _context(runtime, actor, flag_unit_id: int | None = None) -> dict[str, Any]:
    day = today(runtime)
    with reader(runtime) as session:
        overdue, overdue_total = overdue_items(session, actor, day, limit=OVERDUE_ROWS)
        grid = overdue_by_unit_and_category(session, actor, day)
        stale = stale_cases(session, actor, day)
        ranking = unit_ranking(session, day)
        flags = open_flags(session, actor)
        special_rule = special_inspection_rule(session, day)
        special = [f.to_json() for f in special_inspection_candidates(session, actor, reference=day,
                                                                      rule=special_rule)]
        priority = priority_category(session, day)
        units = list(session.execute(select(Unit).where(Unit.enforces.is_(True)).order_by(Unit.position, Unit.id))
                     .scalars())
        flag_unit = session.get(Unit, flag_unit_id) if flag_unit_id else None
    flagged_items = {f.item_id for f in flags if f.item_id}
    flagged_units = {f.unit_id for f in flags if not f.item_id}
    by_category: dict[str, dict[str, Any]] = {}
    for row in grid:  # the priority category first, then the largest counts (overdue_by_unit_and_category's order)
        entry = by_category.setdefault(row["category"], {"category": row["category"], "count": 0, "max_days": 0,
                                                         "units": []})
        entry["count"] += row["count"]
        entry["max_days"] = max(entry["max_days"], row["max_days"])
        entry["units"].append((row["unit"], row["count"]))
    categories = sorted(by_category.values(), key=lambda c: (c["category"] != priority, -c["count"], c["category"]))
    for entry in categories:
        entry["units"].sort(key=lambda u: (-u[1], u[0]))
    ranked = [r for r in ranking if r["total"]]
    chart = bar_chart("各单位逾期隐患", [(r["unit"], r["overdue"]) for r in ranked[:19] if r["overdue"]],
                      horizontal=True, width=460, height=max(220, 24 * min(len(ranked), 19) + 50), color="#b42318") \
        if any(r["overdue"] for r in ranked) else None
    return {
        "overdue": [dict(item_summary(i, e, u, day), flagged=i.id in flagged_items) for i, e, u in overdue],
        "overdue_total": overdue_total, "overdue_cap": OVERDUE_ROWS,
        "categories": categories, "top_count": max((c["count"] for c in categories), default=0),
        "stale": [dict(item_summary(i, e, u, day), filed_on=filed, open_days=(day - filed).days)
                  for i, e, u, filed in stale],
        "stale_days": STALE_CASE_DAYS,
        "ranking": ranking, "ranking_chart": chart,
        "flags": flags, "flagged_units": flagged_units, "units": units, "max_note": MAX_NOTE,
        "flag_unit": flag_unit,
        "special": special, "special_rule": special_rule,
    }


@get("/supervision")
async def supervision(request: Request, flag_unit: str | None = None) -> Template:
    unit_id = int(flag_unit) if flag_unit and flag_unit.isdigit() and len(flag_unit) < 10 else None
    context = await in_thread(_context, runtime_of(request), request.state.actor, unit_id)
    return page(request, "supervision.html", nav="supervision", **context)


def _run(runtime, use_case, *args) -> Any:
    """Run a 督办 use case in its own unit of work, on the app's clock."""
    return use_case(SqlUnitOfWork(runtime.database), *args, runtime.clock.now())


def _back(request: Request, default: str) -> str:
    """Return to the page the form was on (a local path only)."""
    target = request.headers.get("referer", "")
    host = request.headers.get("host", "")
    for prefix in (f"http://{host}", f"https://{host}"):
        if host and target.startswith(prefix):
            path = target[len(prefix):]
            if path.startswith("/") and not path.startswith("//"):
                return path
    return default


@post("/supervision/items/{item_id:int}/flag", media_type=MediaType.HTML)
async def flag_item(request: Request, item_id: int) -> Redirect:
    record_id(item_id, "隐患")
    form = await request.form()
    try:
        await in_thread(_run, runtime_of(request), supervision_flags.flag_item, request.state.actor, item_id, form.get("note"))
    except InputInvalid as exc:
        flash(request, "挂牌督办未保存：" + "；".join(exc.fields.values()), "error")
        return Redirect(f"/items/{item_id}#flag", status_code=303)
    flash(request, f"已对隐患 #{item_id} 挂牌督办，该单位将在工作台和隐患页面看到督办意见")
    return Redirect(f"/items/{item_id}", status_code=303)


@post("/supervision/units/{unit_id:int}/flag", media_type=MediaType.HTML)
async def flag_unit(request: Request, unit_id: int) -> Redirect:
    record_id(unit_id, "单位")
    form = await request.form()
    try:
        flag = await in_thread(_run, runtime_of(request), supervision_flags.flag_unit, request.state.actor, unit_id,
                               form.get("note"))
    except InputInvalid as exc:
        flash(request, "挂牌督办未保存：" + "；".join(exc.fields.values()), "error")
        return Redirect(f"/supervision?flag_unit={unit_id}#flag-unit", status_code=303)
    flash(request, f"已对单位挂牌督办（督办编号 {flag.id}）")
    return Redirect("/supervision#flags", status_code=303)


@post("/supervision/flags/{flag_id:int}/close", media_type=MediaType.HTML)
async def unflag(request: Request, flag_id: int) -> Redirect:
    flag = await in_thread(_run, runtime_of(request), supervision_flags.close_flag, request.state.actor,
                           record_id(flag_id, "督办记录"))
    flash(request, "已撤销挂牌督办" + (f"（隐患 #{flag.item_id}）" if flag.item_id else ""))
    return Redirect(_back(request, "/supervision#flags"), status_code=303)


ROUTES = [supervision, flag_item, flag_unit, unflag]
