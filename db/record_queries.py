"""The read side of the activity records: one record or a page of them, as the API returns them.

Handlers and leaders see their own unit's records (asking for another unit: NotFound); supervisors and admins every
unit's, or one unit's (workflow.scope).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from db.models import Enterprise, HazardItem, Unit
from db.record_models import STORES, Store, _Record
from workflow.actor import Actor
from workflow.errors import InputInvalid, NotFound
from workflow.record_kinds import RecordKind
from workflow.scope import scope_unit

MAX_LIMIT = 200


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        # Stored in UTC; SQLite hands it back without its zone. One record, one answer: always UTC with its offset.
        aware = value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)
        return aware.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _public(kind: RecordKind, row: _Record, unit: Unit, enterprise: Enterprise | None,
            item: HazardItem | None) -> dict[str, Any]:
    """A record as the API returns it (JSON-able): its own fields plus unit, enterprise and category names."""
    data: dict[str, Any] = {"id": row.id, "kind": kind.key}
    for name in kind.field_names:
        if name == "enterprise_uscc":
            continue
        data[name] = _json_value(getattr(row, name))
    if item is not None:
        data["category"] = item.category
        data["sub_product"] = item.sub_product
    data["unit"] = {"id": unit.id, "code": unit.code, "label": unit.label}
    data["enterprise"] = (None if enterprise is None else
                          {"id": enterprise.id, "uscc": enterprise.uscc, "name": enterprise.name})
    for name in ("created_by", "created_at", "updated_by", "updated_at"):
        data[name] = _json_value(getattr(row, name))
    return data


def load_public(session: Session, kind: RecordKind, row: _Record) -> dict[str, Any]:
    item = session.get(HazardItem, row.item_id) if kind.item_keyed else None
    enterprise_id = item.enterprise_id if item is not None else getattr(row, "enterprise_id", None)
    enterprise = session.get(Enterprise, enterprise_id) if enterprise_id else None
    return _public(kind, row, session.get(Unit, row.unit_id), enterprise, item)


def _get_row(session: Session, store: Store, actor: Actor, record_id: int, *, for_update: bool = False) -> _Record:
    query = select(store.table).where(store.table.id == record_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).scalars().first()
    if row is None or not actor.can_see_unit(row.unit_id):
        raise NotFound(f"{store.kind.label}记录不存在或无权查看")
    return row


def get_record(session: Session, kind_key: str, actor: Actor, record_id: int) -> dict:
    store = STORES[kind_key]
    return load_public(session, store.kind, _get_row(session, store, actor, record_id))


def _parse_cursor(cursor: str) -> tuple[dt.date, int]:
    try:
        day, _, ident = cursor.partition("_")
        return dt.date.fromisoformat(day), int(ident)
    except ValueError:
        raise InputInvalid({"cursor": "cursor 无效"}) from None


def list_records(session: Session, kind_key: str, actor: Actor, unit_id: int | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None, cursor: str | None = None,
                 limit: int = 50) -> tuple[list[dict], str | None]:
    """Records newest first (by date, then id); `next_cursor` is None on the last page.

    Handlers and leaders see their own unit's records (asking for another unit: NotFound); supervisors and
    admins every unit's, or one unit's with `unit_id`. Dates filter the record's date, both ends inclusive.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputInvalid({"limit": f"limit 应为 1 至 {MAX_LIMIT} 的整数"})
    if date_from and date_to and date_from > date_to:
        raise InputInvalid({"date_to": "截止日期不能早于起始日期"})
    store = STORES[kind_key]
    kind, table = store.kind, store.table
    scope = scope_unit(actor, unit_id)
    day = getattr(table, kind.date_field)
    query = select(table)
    if scope is not None:
        query = query.where(table.unit_id == scope)
    if date_from:
        query = query.where(day >= date_from)
    if date_to:
        query = query.where(day <= date_to)
    if cursor:
        at, ident = _parse_cursor(cursor)
        query = query.where(or_(day < at, and_(day == at, table.id < ident)))
    rows = list(session.execute(query.order_by(day.desc(), table.id.desc()).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    units = {u.id: u for u in session.execute(select(Unit).where(Unit.id.in_({r.unit_id for r in rows}))).scalars()}
    items: dict[int, HazardItem] = {}
    if kind.item_keyed and rows:
        items = {i.id: i for i in session.execute(
            select(HazardItem).where(HazardItem.id.in_({r.item_id for r in rows}))).scalars()}
    enterprise_ids = {items[r.item_id].enterprise_id if kind.item_keyed else getattr(r, "enterprise_id", None)
                      for r in rows} - {None}
    enterprises = {e.id: e for e in session.execute(
        select(Enterprise).where(Enterprise.id.in_(enterprise_ids))).scalars()} if enterprise_ids else {}
    result = []
    for r in rows:
        item = items.get(r.item_id) if kind.item_keyed else None
        enterprise_id = item.enterprise_id if item is not None else getattr(r, "enterprise_id", None)
        result.append(_public(kind, r, units[r.unit_id], enterprises.get(enterprise_id), item))
    next_cursor = f"{getattr(rows[-1], kind.date_field).isoformat()}_{rows[-1].id}" if more else None
    return result, next_cursor


