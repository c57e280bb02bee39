"""工作台: the signed-in user's unit at a glance (the whole city for supervisors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy import func, select

from db import queries
from db.campaigns import campaign_of_date, priority_category
from db.models import HazardItem, ItemEvent, Unit
from db.scoping import scoped
from db.supervision import open_flags
from web.pages.charts import bar_chart, grouped_bar_chart
from workflow.labels import CITY_LABEL
from web.pages.common import page, reader, runtime_of, today
from web.pages.items import catalog_options
from web.app_state import in_thread
from web.serializers import item_summary
from workflow.errors import NotFound
from workflow.table import EVENTS, STATE_LABELS, State

DUE_SOON_DAYS = 7
LIST_ROWS = 10


def _campaign(session, day: dt.date) -> dict[str, Any] | None:
    """Today's campaign (db.campaigns) as the dashboard shows it; None when none is loaded."""
    try:
        campaign = campaign_of_date(session, day)
    except NotFound:
        return None
    phases = [p for p in campaign.phases if p["start"] <= day.isoformat() <= p["end"]]
    upcoming = [d for d in campaign.reporting_deadlines if d["due_on"] >= day.isoformat()]
    return {"name": campaign.name, "notice_number": campaign.notice_number, "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on, "phases": [p["name"] for p in phases],
            "next_deadline": upcoming[0] if upcoming else None, "finished": day > campaign.ends_on}


def _context(runtime, actor) -> dict[str, Any]:
    day = today(runtime)
    with reader(runtime) as session:
        by_state = queries.counts_by(session, actor, HazardItem.state, day)
        overdue_by_state = queries.counts_by(session, actor, HazardItem.state, day, overdue_only=True)
        by_category = queries.counts_by(session, actor, HazardItem.category, day)
        overdue_by_category = queries.counts_by(session, actor, HazardItem.category, day, overdue_only=True)
        base = queries.item_query(actor, queries.ItemFilter(), day)
        due_soon = session.execute(
            base.where(HazardItem.deadline >= day, HazardItem.deadline <= day + dt.timedelta(days=DUE_SOON_DAYS))
            .order_by(HazardItem.deadline.asc(), HazardItem.id.asc()).limit(LIST_ROWS)).all()
        due_soon_total = session.execute(select(func.count()).select_from(
            base.where(HazardItem.deadline >= day, HazardItem.deadline <= day + dt.timedelta(days=DUE_SOON_DAYS))
            .order_by(None).subquery())).scalar_one()
        overdue = session.execute(queries.overdue_query(actor, day, priority=priority_category(session, day))
                                  .limit(LIST_ROWS)).all()
        recent_query = (select(ItemEvent, HazardItem.category, HazardItem.unit_id)
                        .join(HazardItem, HazardItem.id == ItemEvent.item_id))
        recent_query = scoped(recent_query, HazardItem.unit_id, actor)
        recent = session.execute(recent_query.order_by(ItemEvent.at.desc(), ItemEvent.id.desc()).limit(8)) \
            .all()
        flags = open_flags(session, actor)
        categories = catalog_options(session, day)["category"]
        campaign = _campaign(session, day)
        by_unit = []
        if actor.sees_all_units:
            by_unit = session.execute(
                select(Unit.label, func.count()).select_from(HazardItem).join(Unit, Unit.id == HazardItem.unit_id)
                .where(HazardItem.deadline < day).group_by(Unit.label, Unit.position)
                .order_by(func.count().desc(), Unit.position)).all()
    states = [s.value for s in State]
    total = sum(by_state.values())
    overdue_total = sum(overdue_by_state.values())
    open_total = total - by_state.get(State.closed.value, 0)
    listed = [c for c in categories if by_category.get(c)] + [c for c in by_category if c not in categories]
    state_chart = bar_chart("各状态隐患数", [(STATE_LABELS[s], by_state.get(s, 0)) for s in states], height=280) \
        if total else None
    category_chart = grouped_bar_chart(
        "各类别隐患数与逾期数", listed,
        [("隐患总数", [by_category.get(c, 0) for c in listed]),
         ("逾期", [overdue_by_category.get(c, 0) for c in listed])],
        height=max(200, 34 * len(listed) + 90)) if listed else None
    unit_chart = bar_chart("各单位逾期隐患数", list(by_unit), horizontal=True, color="#b42318",
                           height=max(200, 28 * len(by_unit) + 50)) if by_unit else None
    return {
        "scope_label": CITY_LABEL if actor.sees_all_units else None,
        "total": total, "open_total": open_total, "overdue_total": overdue_total, "due_soon_total": due_soon_total,
        "by_state": [{"state": s, "label": STATE_LABELS[s], "count": by_state.get(s, 0),
                      "overdue": overdue_by_state.get(s, 0)} for s in states],
        "by_category": [{"category": c, "count": by_category.get(c, 0), "overdue": overdue_by_category.get(c, 0)}
                        for c in listed],
        "due_soon": [item_summary(i, e, u, day) for i, e, u in due_soon],
        "overdue": [item_summary(i, e, u, day) for i, e, u in overdue],
        "recent": [{"entry": entry, "label": EVENTS[entry.event].label, "category": category}
                   for entry, category, _ in recent],
        "flags": flags, "campaign": campaign, "today": day, "due_days": DUE_SOON_DAYS,
        "state_chart": state_chart, "category_chart": category_chart, "unit_chart": unit_chart,
    }


@get("/")
async def dashboard(request: Request) -> Template:
    context = await in_thread(_context, runtime_of(request), request.state.actor)
    return page(request, "dashboard.html", nav="dashboard", **context)


ROUTES = [dashboard]
