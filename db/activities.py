"""Activity records feeding 附件2 and 附件1: tables and their use cases (create, update, get, list).

One generic implementation, driven by workflow.record_kinds.KINDS (fields, rules) and `STORES` below (which table
holds each kind). Every kind has the same three named entry points — `create_<kind>`, `update_<kind>`,
`list_<kind>` — which are one-line calls of `create_record`, `update_record` and `list_records`.

Scoping (the one rule, DESIGN §2): handlers and leaders write and read their own unit's records only;
supervisors and admins read every unit and write none. Checks run in the order clients rely on (DESIGN §7):
a record or item of another unit → NotFound (404, existence not revealed); role → Forbidden (403); input →
InputInvalid (422). An enterprise named by USCC must be in the registry (422) and belong to the writer's unit
(Forbidden: the registry is public information, so its existence is no secret).

`target` is either a unit of work (db.uow.SqlUnitOfWork, not yet entered: the call opens it and commits) or an
open Session (the call flushes and leaves the commit to the caller).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any, Iterator, Mapping

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from db.campaigns import campaign_of_date
from db.models import Enterprise, HazardItem, ItemEvent, Unit
from db.record_models import STORES, Store, _Record  # noqa: F401
from db.uow import Catalogs
from workflow.record_kinds import KINDS, RecordKind, check_record, check_side_record, clean_record
from workflow.actor import Actor
from workflow.clock import business_date
from workflow.errors import Conflict, Forbidden, InputInvalid, NotFound
from workflow.table import Role
from workflow.uscc import validate_uscc

MAX_LIMIT = 200




# --- scoping --------------------------------------------------------------------------------------------------


def scope_unit(actor: Actor, unit_id: int | None) -> int | None:
    """The unit a query may cover: handlers and leaders always their own; supervisors any unit or the city (None).

    A handler or leader asking for another unit gets NotFound (its existence is not revealed).
    """
    if actor.sees_all_units:
        return unit_id
    if actor.unit_id is None:
        raise Forbidden("您的账号未归属任何单位")
    if unit_id is not None and unit_id != actor.unit_id:
        raise NotFound("单位不存在或无权查看")
    return actor.unit_id


def _require_writer(actor: Actor, unit_id: int | None) -> None:
    if actor.role not in (Role.handler, Role.leader) or actor.unit_id is None:
        raise Forbidden("只有承办人员或负责人可以登记或修改本单位的记录")
    if unit_id is not None and unit_id != actor.unit_id:
        raise Forbidden("只能登记或修改本单位的记录")


@contextlib.contextmanager
def _transaction(target: Any) -> Iterator[Session]:
    """A Session to work in: a unit of work is opened and committed here; a given Session is only flushed."""
    if isinstance(target, Session):
        yield target
        target.flush()
        return
    with target as uow:
        yield uow.session
        uow.commit()


# --- public shape ---------------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
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


def _load_public(session: Session, kind: RecordKind, row: _Record) -> dict[str, Any]:
    item = session.get(HazardItem, row.item_id) if kind.item_keyed else None
    enterprise_id = item.enterprise_id if item is not None else getattr(row, "enterprise_id", None)
    enterprise = session.get(Enterprise, enterprise_id) if enterprise_id else None
    return _public(kind, row, session.get(Unit, row.unit_id), enterprise, item)


# --- writes ---------------------------------------------------------------------------------------------------


def _first_file_case(session: Session, item_id: int) -> dt.date | None:
    return session.execute(
        select(func.min(ItemEvent.on_date)).where(ItemEvent.item_id == item_id, ItemEvent.event == "file_case")
    ).scalar_one()


def _visible_item(session: Session, actor: Actor, raw_item_id: Any) -> HazardItem | None:
    """The hazard item an item-keyed record names, if the id parses; NotFound when it is another unit's."""
    try:
        item_id = int(str(raw_item_id).strip())
    except (TypeError, ValueError):
        return None  # the field check reports it
    if isinstance(raw_item_id, bool):
        return None
    item = session.get(HazardItem, item_id)
    if item is None or not actor.can_see_unit(item.unit_id):
        raise NotFound("隐患不存在或无权查看")
    return item


def _resolve(session: Session, kind: RecordKind, actor: Actor, cleaned: dict[str, Any],
             today: dt.date, item: HazardItem | None, exclude_id: int | None = None) -> dict[str, Any]:
    """Cleaned input → column values: check catalog and rules, resolve the enterprise, check the item."""
    values = dict(cleaned)
    categories = Catalogs(session).for_date(cleaned[kind.date_field]).categories if kind.has_category else {}
    check_record(kind, cleaned, categories, today)
    if kind.enterprise != "none":
        raw = values.pop("enterprise_uscc")
        values["enterprise_id"] = None
        if raw is not None:
            try:
                uscc = validate_uscc(raw)
            except ValueError as exc:
                raise InputInvalid({"enterprise_uscc": f"统一社会信用代码{exc}"}) from None
            enterprise = session.execute(select(Enterprise).where(Enterprise.uscc == uscc)).scalars().first()
            if enterprise is None:
                raise InputInvalid({"enterprise_uscc": "企业库中没有该统一社会信用代码，请先登记企业"})
            if enterprise.unit_id != actor.unit_id:
                raise Forbidden("该企业不属于本单位，只能由其所属单位登记")
            values["enterprise_id"] = enterprise.id
    if kind.item_keyed:
        if item is None:  # the id did not parse: clean() has already refused it
            raise InputInvalid({"item_id": "隐患编号应为整数"})
        check_side_record(kind, cleaned, found_on=item.found_on, filed_on=_first_file_case(session, item.id))
        if kind.one_per_item:
            table = STORES[kind.key].table
            query = select(table.id).where(table.item_id == item.id)
            if exclude_id is not None:
                query = query.where(table.id != exclude_id)
            if session.execute(query).first() is not None:
                raise Conflict(f"该隐患已登记{kind.label}，请修改原记录")
    return values


def create_record(target: Any, kind_key: str, actor: Actor, raw: Mapping[str, Any], now: dt.datetime) -> dict:
    """Create one record of `kind_key` for the actor's unit; returns its public dict (see `_public`)."""
    store = STORES[kind_key]
    kind = store.kind
    today = business_date(now)
    with _transaction(target) as session:
        item = _visible_item(session, actor, raw.get("item_id")) if kind.item_keyed else None
        _require_writer(actor, item.unit_id if item is not None else None)
        cleaned = clean_record(kind, raw)
        values = _resolve(session, kind, actor, cleaned, today, item)
        campaign_id = item.campaign_id if item is not None else campaign_of_date(session, cleaned[kind.date_field]).id
        row = store.table.model_validate(
            {**values, "campaign_id": campaign_id, "unit_id": actor.unit_id, "created_by": actor.user_id, "created_at": now, "updated_at": now}
        )
        session.add(row)
        session.flush()
        return _load_public(session, kind, row)


def _get_row(session: Session, store: Store, actor: Actor, record_id: int, *, for_update: bool = False) -> _Record:
    query = select(store.table).where(store.table.id == record_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).scalars().first()
    if row is None or not actor.can_see_unit(row.unit_id):
        raise NotFound(f"{store.kind.label}记录不存在或无权查看")
    return row


def _current_input(session: Session, kind: RecordKind, row: _Record) -> dict[str, Any]:
    """A record's values in input form, so an update may send only the fields it changes."""
    data: dict[str, Any] = {}
    for name in kind.field_names:
        if name == "enterprise_uscc":
            enterprise = session.get(Enterprise, row.enterprise_id) if row.enterprise_id else None
            data[name] = enterprise.uscc if enterprise else None
        elif name == "flagged":
            data[name] = "是" if row.flagged else "否"
        else:
            data[name] = _json_value(getattr(row, name))
    return data


def update_record(target: Any, kind_key: str, actor: Actor, record_id: int, raw: Mapping[str, Any],
                  now: dt.datetime) -> dict:
    """Change a record (only the fields present in `raw`); a side record cannot move to another item."""
    store = STORES[kind_key]
    kind = store.kind
    today = business_date(now)
    with _transaction(target) as session:
        row = _get_row(session, store, actor, record_id, for_update=True)
        _require_writer(actor, row.unit_id)
        merged = _current_input(session, kind, row)
        merged.update({k: v for k, v in raw.items() if k in merged})
        cleaned = clean_record(kind, merged)
        item = None
        if kind.item_keyed:
            if cleaned["item_id"] != row.item_id:
                raise InputInvalid({"item_id": "不能更改所属隐患，请删除后重新登记"})
            item = session.get(HazardItem, row.item_id)
        values = _resolve(session, kind, actor, cleaned, today, item, exclude_id=row.id)
        for name, value in values.items():
            setattr(row, name, value)
        if item is None:  # a dated record moved to another date belongs to that date's campaign
            row.campaign_id = campaign_of_date(session, cleaned[kind.date_field]).id
        row.updated_by = actor.user_id
        row.updated_at = now
        session.add(row)
        session.flush()
        return _load_public(session, kind, row)


# --- reads ----------------------------------------------------------------------------------------------------


def get_record(session: Session, kind_key: str, actor: Actor, record_id: int) -> dict:
    store = STORES[kind_key]
    return _load_public(session, store.kind, _get_row(session, store, actor, record_id))


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


# --- the named entry points, one per kind -----------------------------------------------------------------------


def _entry_points(kind_key: str) -> tuple[Any, Any, Any]:
    """create_<kind>(target, actor, raw, now) → dict; update_<kind>(target, actor, record_id, raw, now) → dict;
    list_<kind>(session, actor, unit_id=None, date_from=None, date_to=None, cursor=None, limit=50)
    → (list of dicts, next_cursor)."""

    def create(target: Any, actor: Actor, raw: Mapping[str, Any], now: dt.datetime) -> dict:
        return create_record(target, kind_key, actor, raw, now)

    def update(target: Any, actor: Actor, record_id: int, raw: Mapping[str, Any], now: dt.datetime) -> dict:
        return update_record(target, kind_key, actor, record_id, raw, now)

    def list_(session: Session, actor: Actor, unit_id: int | None = None, date_from: dt.date | None = None,
              date_to: dt.date | None = None, cursor: str | None = None,
              limit: int = 50) -> tuple[list[dict], str | None]:
        return list_records(session, kind_key, actor, unit_id, date_from, date_to, cursor, limit)

    for function, verb in ((create, "create"), (update, "update"), (list_, "list")):
        function.__name__ = function.__qualname__ = f"{verb}_{kind_key}"
        function.__doc__ = f"{verb} {KINDS[kind_key].label} records (see {verb}_record{'s' if verb == 'list' else ''})."
    return create, update, list_


create_risk_information, update_risk_information, list_risk_information = _entry_points("risk_information")
create_risk_monitoring, update_risk_monitoring, list_risk_monitoring = _entry_points("risk_monitoring")
create_sampling_inspection, update_sampling_inspection, list_sampling_inspection = _entry_points("sampling_inspection")
create_assistance, update_assistance, list_assistance = _entry_points("assistance")
create_interview, update_interview, list_interview = _entry_points("interview")
create_exposure, update_exposure, list_exposure = _entry_points("exposure")
create_credit_listing, update_credit_listing, list_credit_listing = _entry_points("credit_listing")
create_typical_case, update_typical_case, list_typical_case = _entry_points("typical_case")
