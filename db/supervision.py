"""挂牌督办 (supervised listing) and the supervisor's read side: overdue work, stale cases, the unit ranking.

A city supervisor flags a hazard item or a whole unit with a note (the use cases: workflow.flags); the unit sees
every open flag on its dashboard and on the item page until a supervisor closes it. A flag of another unit is
invisible to unit staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from db.models import Enterprise, HazardItem, SupervisionFlag, Unit
from db.campaigns import priority_category
from db.queries import FILE_CASE, first_events, overdue_query
from db.scoping import scoped
from workflow.actor import Actor
from workflow.labels import shanghai_time
from workflow.table import State

STALE_CASE_DAYS = 90  # a case open longer than this after its first filing is listed for supervisors
OPEN_CASE_STATES = (State.case_filed.value, State.transferred.value)


# --- reads ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagView:
    id: int
    unit_id: int
    unit_label: str
    item_id: int | None
    item_title: str  # enterprise · category for an item flag, "" for a unit flag
    note: str
    created_by_name: str
    created_at: dt.datetime


def _views(session: Session, query) -> list[FlagView]:
    rows = session.execute(
        query.add_columns(Unit.label, Enterprise.name, HazardItem.category)
        .join(Unit, Unit.id == SupervisionFlag.unit_id)
        .outerjoin(HazardItem, HazardItem.id == SupervisionFlag.item_id)
        .outerjoin(Enterprise, Enterprise.id == HazardItem.enterprise_id)
        .order_by(SupervisionFlag.created_at.desc(), SupervisionFlag.id.desc())
    ).all()
    return [FlagView(f.id, f.unit_id, label, f.item_id, f"{ename} · {category}" if f.item_id else "", f.note,
                     f.created_by_name, _local(f.created_at)) for f, label, ename, category in rows]


def _local(moment: dt.datetime) -> dt.datetime:
    """Stored UTC (SQLite hands it back naive) → Shanghai time: workflow.labels.shanghai_time."""
    return shanghai_time(moment)


def open_flags(session: Session, actor: Actor, *, unit_id: int | None = None) -> list[FlagView]:
    """Open flags the actor may see: their own unit's (unit staff) or every unit's (supervisors)."""
    query = scoped(select(SupervisionFlag).where(SupervisionFlag.closed_at.is_(None)), SupervisionFlag.unit_id, actor)
    if unit_id is not None:
        query = query.where(SupervisionFlag.unit_id == unit_id)
    return _views(session, query)


def flags_for_item(session: Session, actor: Actor, item: HazardItem) -> list[FlagView]:
    """Open flags on this item and on its unit (the caller has already checked the item is visible)."""
    if not actor.can_see_unit(item.unit_id):
        return []
    query = select(SupervisionFlag).where(
        SupervisionFlag.closed_at.is_(None),
        or_(SupervisionFlag.item_id == item.id,
            and_(SupervisionFlag.item_id.is_(None), SupervisionFlag.unit_id == item.unit_id)))
    return _views(session, query)


def flagged_item_ids(session: Session, item_ids: list[int]) -> set[int]:
    if not item_ids:
        return set()
    return set(session.execute(select(SupervisionFlag.item_id).where(
        SupervisionFlag.closed_at.is_(None), SupervisionFlag.item_id.in_(item_ids))).scalars())


# --- the supervisor's view ------------------------------------------------------------------------------------


def overdue_items(session: Session, actor: Actor, today: dt.date, *, limit: int = 200):
    """Overdue items, the priority category of today's campaign first (2023: 燃气用品), then longest overdue; at
    most `limit` rows and the total count."""
    query = overdue_query(actor, today, priority=priority_category(session, today))
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    return session.execute(query.limit(limit)).all(), total


def overdue_by_unit_and_category(session: Session, actor: Actor, today: dt.date) -> list[dict[str, Any]]:
    """Counts of overdue items per (unit, category), the priority category first, then the largest counts."""
    query = (select(Unit.id, Unit.label, HazardItem.category, func.count(), func.min(HazardItem.deadline))
             .select_from(HazardItem).join(Unit, Unit.id == HazardItem.unit_id)
             .where(HazardItem.deadline < today))
    query = scoped(query, HazardItem.unit_id, actor)
    rows = session.execute(query.group_by(Unit.id, Unit.label, HazardItem.category)).all()
    result = [{"unit_id": uid, "unit": label, "category": category, "count": count,
               "max_days": (today - oldest).days if oldest else 0}
              for uid, label, category, count, oldest in rows]
    priority = priority_category(session, today)
    result.sort(key=lambda r: (r["category"] != priority, -r["count"], r["unit"], r["category"]))
    return result


def stale_cases(session: Session, actor: Actor, today: dt.date, *, days: int = STALE_CASE_DAYS):
    """Cases still open (filed or transferred) whose first 立案 is more than `days` days ago, oldest first."""
    first_filing = first_events(FILE_CASE)
    query = (select(HazardItem, Enterprise, Unit, first_filing.c.first_on)
             .join(first_filing, first_filing.c.item_id == HazardItem.id)
             .join(Enterprise, Enterprise.id == HazardItem.enterprise_id)
             .join(Unit, Unit.id == HazardItem.unit_id)
             .where(HazardItem.state.in_(OPEN_CASE_STATES),
                    first_filing.c.first_on < today - dt.timedelta(days=days)))
    query = scoped(query, HazardItem.unit_id, actor)
    return session.execute(query.order_by(first_filing.c.first_on.asc(), HazardItem.id.asc()).limit(500)).all()


def unit_ranking(session: Session, today: dt.date) -> list[dict[str, Any]]:
    """Every enforcing unit with its items, open items, overdue items (and of them the priority category's) and
    overdue rate (overdue ÷ open), worst first. Units with no items at all are listed last and marked (they may
    not be reporting)."""
    is_open = HazardItem.state != State.closed.value
    is_overdue = HazardItem.deadline < today
    priority = priority_category(session, today)
    counts = (select(HazardItem.unit_id,
                     func.count().label("total"),
                     func.sum(case((is_open, 1), else_=0)).label("open"),
                     func.sum(case((is_overdue, 1), else_=0)).label("overdue"),
                     func.sum(case((and_(is_overdue, HazardItem.category == priority), 1), else_=0))
                     .label("priority"))
              .group_by(HazardItem.unit_id).subquery())
    rows = session.execute(
        select(Unit.id, Unit.label, Unit.code, counts.c.total, counts.c.open, counts.c.overdue, counts.c.priority)
        .outerjoin(counts, counts.c.unit_id == Unit.id)
        .where(or_(Unit.enforces.is_(True), counts.c.total > 0))
        .order_by(Unit.position, Unit.id)
    ).all()
    ranking = []
    for uid, label, code, total, open_, overdue, first in rows:
        total, open_, overdue, first = int(total or 0), int(open_ or 0), int(overdue or 0), int(first or 0)
        rate = overdue / open_ if open_ else 0.0
        ranking.append({"unit_id": uid, "unit": label, "code": code, "total": total, "open": open_,
                        "overdue": overdue, "priority_overdue": first, "rate": rate})
    ranking.sort(key=lambda r: (r["total"] == 0, -r["overdue"], -r["rate"], r["unit"]))
    return ranking
