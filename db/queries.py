"""Read side: item lists with filters and keyset pagination, item detail, overdue items.

Overdue lists put the priority category of today's campaign first (2023: 燃气用品; db.campaigns.priority_category),
then the longest overdue: the supervisor page, the dashboard and /api/v1/overdue alike.

Unit scoping is workflow.scope's one rule (applied to SQL by db.scoping): a handler or leader only ever gets their
own unit's rows, and a record of another unit reads as "not found" (its existence is not revealed).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from db.campaigns import priority_category
from db.models import Document, Enterprise, HazardItem, ItemEvent, Unit, User
from db.scoping import scoped
from workflow.actor import Actor
from workflow.errors import InputInvalid, NotFound

SORTS: dict[str, tuple[Any, bool]] = {
    # name → (column, descending)
    "newest": (HazardItem.id, True),
    "oldest": (HazardItem.id, False),
    "deadline": (HazardItem.deadline, False),
    "found_on": (HazardItem.found_on, True),
}


@dataclass
class ItemFilter:
    state: str | None = None
    unit: str | None = None  # unit code (supervisors)
    category: str | None = None
    sub_product: str | None = None
    problem_type: str | None = None
    source: str | None = None
    enterprise: str | None = None  # name fragment or USCC
    overdue: bool | None = None
    found_from: dt.date | None = None
    found_to: dt.date | None = None
    q: str | None = None
    sort: str = "newest"
    extra: dict[str, Any] = field(default_factory=dict)


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, dt.date) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != 2:
            raise ValueError
        key, last_id = values
        if isinstance(last_id, bool) or not isinstance(last_id, int) or not 0 < last_id < 2**31:
            raise ValueError
        if key is not None and not isinstance(key, (int, str)):
            raise ValueError
        if isinstance(key, str):
            dt.date.fromisoformat(key)
        return values
    except (ValueError, UnicodeDecodeError):
        raise InputInvalid({"cursor": "分页游标无效"}) from None


def _scoped(query, actor: Actor):
    return scoped(query, HazardItem.unit_id, actor)


FILE_CASE = "file_case"  # an item's 立案 date is the date of its first file_case event


def first_events(event: str):
    """Subquery (item_id, first_on): the date of each item's first `event` — e.g. the 立案 date (FILE_CASE)."""
    return (select(ItemEvent.item_id.label("item_id"), func.min(ItemEvent.on_date).label("first_on"))
            .where(ItemEvent.event == event).group_by(ItemEvent.item_id).subquery())


def first_event_on(session: Session, item_id: int, event: str) -> dt.date | None:
    """The date of one item's first `event`, or None."""
    return session.execute(select(func.min(ItemEvent.on_date))
                           .where(ItemEvent.item_id == item_id, ItemEvent.event == event)).scalar_one()


def item_query(actor: Actor, f: ItemFilter, today: dt.date):
    query = _scoped(select(HazardItem, Enterprise, Unit)
                    .join(Enterprise, Enterprise.id == HazardItem.enterprise_id)
                    .join(Unit, Unit.id == HazardItem.unit_id), actor)
    if f.state:
        query = query.where(HazardItem.state == f.state)
    if f.unit:
        query = query.where(or_(Unit.code == f.unit, Unit.name == f.unit))
    for column, value in ((HazardItem.category, f.category), (HazardItem.sub_product, f.sub_product),
                          (HazardItem.problem_type, f.problem_type), (HazardItem.source, f.source)):
        if value:
            query = query.where(column == value)
    if f.enterprise:
        needle = f.enterprise.strip()
        query = query.where(or_(Enterprise.uscc == needle.upper(), Enterprise.name.contains(needle)))
    if f.overdue is True:
        query = query.where(HazardItem.deadline < today)
    elif f.overdue is False:
        query = query.where(or_(HazardItem.deadline.is_(None), HazardItem.deadline >= today))
    if f.found_from:
        query = query.where(HazardItem.found_on >= f.found_from)
    if f.found_to:
        query = query.where(HazardItem.found_on <= f.found_to)
    if f.q:
        needle = f.q.strip()
        conditions = [HazardItem.facts.contains(needle), Enterprise.name.contains(needle),
                      HazardItem.category.contains(needle), HazardItem.sub_product.contains(needle)]
        if needle.isdigit() and len(needle) <= 9:  # an item number; longer digit strings are text (e.g. a USCC)
            conditions.append(HazardItem.id == int(needle))
        query = query.where(or_(*conditions))
    return query


def list_items(session: Session, actor: Actor, f: ItemFilter, today: dt.date, *, cursor: str | None = None,
               limit: int = 50) -> tuple[list[tuple[HazardItem, Enterprise, Unit]], str | None]:
    """One page of items and the cursor of the next page (None on the last page). Keyset, never OFFSET."""
    column, descending = SORTS.get(f.sort, SORTS["newest"])
    query = item_query(actor, f, today)
    if cursor:
        key, last_id = decode_cursor(cursor)
        if column is HazardItem.id:
            query = query.where(HazardItem.id < last_id if descending else HazardItem.id > last_id)
        else:
            key = dt.date.fromisoformat(key) if isinstance(key, str) else key
            query = query.where(_after(column, key, last_id, descending))
    if column is HazardItem.id:
        order = [HazardItem.id.desc() if descending else HazardItem.id.asc()]
    else:
        # NULL dates sort last in both directions, portably.
        order = [case((column.is_(None), 1), else_=0), column.desc() if descending else column.asc(),
                 HazardItem.id.desc() if descending else HazardItem.id.asc()]
    rows = session.execute(query.order_by(*order).limit(limit + 1)).all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1][0]
        next_cursor = encode_cursor([getattr(last, column.key), last.id])
    return rows, next_cursor


def _after(column, key, last_id, descending):
    if key is None:
        # Already in the NULL tail: only later ids with NULL remain.
        return and_(column.is_(None), HazardItem.id < last_id if descending else HazardItem.id > last_id)
    beyond = column < key if descending else column > key
    tie = and_(column == key, HazardItem.id < last_id if descending else HazardItem.id > last_id)
    return or_(beyond, tie, column.is_(None))


def get_item(session: Session, actor: Actor, item_id: int) -> tuple[HazardItem, Enterprise, Unit]:
    row = session.execute(
        select(HazardItem, Enterprise, Unit)
        .join(Enterprise, Enterprise.id == HazardItem.enterprise_id)
        .join(Unit, Unit.id == HazardItem.unit_id)
        .where(HazardItem.id == item_id)
    ).first()
    if row is None or not actor.can_see_unit(row[0].unit_id):
        raise NotFound("隐患不存在或无权查看")
    return row


def history(session: Session, item_id: int) -> list[ItemEvent]:
    return list(session.execute(select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.seq)).scalars())


def documents(session: Session, item_id: int) -> list[Document]:
    return list(session.execute(select(Document).where(Document.item_id == item_id).order_by(Document.id)).scalars())


def get_document(session: Session, actor: Actor, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None or not actor.can_see_unit(document.unit_id):
        raise NotFound("文书不存在或无权查看")
    return document


def handler_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.full_name if user else ""


def priority_rank(priority: str):
    """0 for an item of the priority category, else 1."""
    return case((HazardItem.category == priority, 0), else_=1)


def overdue_query(actor: Actor, today: dt.date, *, priority: str | None, unit: str | None = None,
                  category: str | None = None):
    """Overdue items, the priority category first (see the module doc), then most days overdue."""
    f = ItemFilter(overdue=True, unit=unit, category=category)
    first = [priority_rank(priority)] if priority else []
    return item_query(actor, f, today).order_by(*first, HazardItem.deadline.asc(), HazardItem.id.asc())


def overdue_page(session: Session, actor: Actor, today: dt.date, *, unit: str | None, cursor: str | None,
                 limit: int) -> tuple[list[tuple[HazardItem, Enterprise, Unit]], str | None]:
    """One page of overdue_query (priority category first, then deadline, then id) and the next page's cursor.

    Keyset on (rank, deadline, id): the cursor carries the last row's three values; an overdue item always has a
    deadline. The priority is today's, so a cursor is read against the same order it was made in (within a day).
    """
    priority = priority_category(session, today)
    query = overdue_query(actor, today, priority=priority, unit=unit)
    if cursor:
        last_rank, last_deadline, last_id = _decode_overdue_cursor(cursor)
        later = or_(HazardItem.deadline > last_deadline,
                    and_(HazardItem.deadline == last_deadline, HazardItem.id > last_id))
        if priority:
            rank = priority_rank(priority)
            later = or_(rank > last_rank, and_(rank == last_rank, later))
        query = query.where(later)
    rows = session.execute(query.limit(limit + 1)).all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1][0]
        next_cursor = encode_cursor([0 if priority and last.category == priority else 1, last.deadline, last.id])
    return rows, next_cursor


def _decode_overdue_cursor(cursor: str) -> tuple[int, dt.date, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != 3:
            raise ValueError
        rank, deadline, last_id = values
        if rank not in (0, 1) or isinstance(rank, bool) or not isinstance(deadline, str):
            raise ValueError
        if isinstance(last_id, bool) or not isinstance(last_id, int) or not 0 < last_id < 2**31:
            raise ValueError
        return rank, dt.date.fromisoformat(deadline), last_id
    except (ValueError, UnicodeDecodeError):
        raise InputInvalid({"cursor": "分页游标无效"}) from None


def counts_by(session: Session, actor: Actor, column, today: dt.date, *, overdue_only: bool = False) -> dict[Any, int]:
    query = _scoped(select(column, func.count()).select_from(HazardItem), actor)
    if overdue_only:
        query = query.where(HazardItem.deadline < today)
    return dict(session.execute(query.group_by(column)).all())


class ItemQueries:
    """The read-side port the use cases ask (workflow.ports.OverdueQuery)."""

    def __init__(self, session: Session):
        self.session = session

    def overdue(self, actor: Actor, today: dt.date, *, unit: str | None, cursor: str | None, limit: int):
        return overdue_page(self.session, actor, today, unit=unit, cursor=cursor, limit=limit)

    def unit_code(self, unit_id: int) -> str | None:
        unit = self.session.get(Unit, unit_id)
        return unit.code if unit else None


def find_unit(session: Session, code_or_name: str) -> Unit | None:
    """A unit by its code (310115) or its full name; also accepts the short label (浦东新区局)."""
    key = code_or_name.strip()
    return session.execute(
        select(Unit).where(or_(Unit.code == key, Unit.name == key, Unit.label == key))
    ).scalars().first()
