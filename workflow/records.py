"""Use cases: create and change the activity records behind 附件2 and 附件1 (every kind of workflow.record_kinds).

Each runs in one unit of work and commits there. Checks run in the order clients rely on (DESIGN §7): a record or
item of another unit → NotFound (404, existence not revealed); role → Forbidden (403); input → InputInvalid (422).
An enterprise named by USCC must be in the registry (422) and belong to the writer's unit (Forbidden: the registry
is public information, so its existence is no secret). A record belongs to the campaign of its date; a case's side
record to its hazard item's campaign.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from workflow.actor import Actor
from workflow.clock import business_date
from workflow.errors import Conflict, Forbidden, InputInvalid, NotFound
from workflow.fields import to_jsonable
from workflow.ports import ActivityRecord, ItemRecord, UnitOfWork
from workflow.record_kinds import KINDS, RecordKind, check_record, check_side_record, clean_record
from workflow.scope import require_unit_writer
from workflow.uscc import validate_uscc

ITEM_NOT_FOUND = "隐患不存在或无权查看"


def create_record(uow: UnitOfWork, kind_key: str, actor: Actor, raw: Mapping[str, Any],
                  now: dt.datetime) -> dict[str, Any]:
    """Create one record of `kind_key` for the actor's unit; returns its public dict."""
    kind = KINDS[kind_key]
    with uow:
        item = _visible_item(uow, actor, raw.get("item_id")) if kind.item_keyed else None
        require_unit_writer(actor, item.unit_id if item is not None else None)
        cleaned = clean_record(kind, raw)
        values = _resolve(uow, kind, actor, cleaned, business_date(now), item)
        campaign_id = item.campaign_id if item is not None else uow.campaigns.of_date(cleaned[kind.date_field]).id
        record = uow.records.add(kind.key, **values, campaign_id=campaign_id, unit_id=actor.unit_id,
                                 created_by=actor.user_id, created_at=now, updated_at=now)
        result = uow.records.public(kind.key, record)
        uow.commit()
        return result


def update_record(uow: UnitOfWork, kind_key: str, actor: Actor, record_id: int, raw: Mapping[str, Any],
                  now: dt.datetime) -> dict[str, Any]:
    """Change a record (only the fields present in `raw`); a side record cannot move to another item."""
    kind = KINDS[kind_key]
    with uow:
        record = uow.records.get(kind.key, record_id, for_update=True)
        if record is None or not actor.can_see_unit(record.unit_id):
            raise NotFound(f"{kind.label}记录不存在或无权查看")
        require_unit_writer(actor, record.unit_id)
        merged = _current_input(uow, kind, record)
        merged.update({k: v for k, v in raw.items() if k in merged})
        cleaned = clean_record(kind, merged)
        item = None
        if kind.item_keyed:
            if cleaned["item_id"] != record.item_id:  # type: ignore[attr-defined]
                raise InputInvalid({"item_id": "不能更改所属隐患，请删除后重新登记"})
            item = uow.items.get(record.item_id)  # type: ignore[attr-defined]
        values = _resolve(uow, kind, actor, cleaned, business_date(now), item, except_id=record.id)
        for name, value in values.items():
            setattr(record, name, value)
        if not kind.item_keyed:
            record.campaign_id = uow.campaigns.of_date(cleaned[kind.date_field]).id
        record.updated_by = actor.user_id
        record.updated_at = now
        result = uow.records.public(kind.key, record)
        uow.commit()
        return result


def _visible_item(uow: UnitOfWork, actor: Actor, raw_item_id: Any) -> ItemRecord | None:
    """The hazard item a side record names, if the id parses; NotFound when it is another unit's."""
    if isinstance(raw_item_id, bool):
        return None
    try:
        item_id = int(str(raw_item_id).strip())
    except (TypeError, ValueError):
        return None  # the field check reports it
    if not 1 <= item_id < 2**31:
        raise NotFound(ITEM_NOT_FOUND)
    item = uow.items.get(item_id)
    if item is None or not actor.can_see_unit(item.unit_id):
        raise NotFound(ITEM_NOT_FOUND)
    return item


def _resolve(uow: UnitOfWork, kind: RecordKind, actor: Actor, cleaned: dict[str, Any], today: dt.date,
             item: ItemRecord | None, except_id: int | None = None) -> dict[str, Any]:
    """Cleaned input → stored values: check catalog and rules, resolve the enterprise, check the item."""
    values = dict(cleaned)
    categories = uow.catalog.for_date(cleaned[kind.date_field]).categories if kind.has_category else {}
    check_record(kind, cleaned, categories, today)
    if kind.enterprise != "none":
        raw = values.pop("enterprise_uscc")
        values["enterprise_id"] = None
        if raw is not None:
            try:
                uscc = validate_uscc(raw)
            except ValueError as exc:
                raise InputInvalid({"enterprise_uscc": f"统一社会信用代码{exc}"}) from None
            enterprise = uow.enterprises.by_uscc(uscc)
            if enterprise is None:
                raise InputInvalid({"enterprise_uscc": "企业库中没有该统一社会信用代码，请先登记企业"})
            if enterprise.unit_id != actor.unit_id:
                raise Forbidden("该企业不属于本单位，只能由其所属单位登记")
            values["enterprise_id"] = enterprise.id
    if kind.item_keyed:
        if item is None:  # the id did not parse: clean() has already refused it
            raise InputInvalid({"item_id": "隐患编号应为整数"})
        check_side_record(kind, cleaned, found_on=item.found_on, filed_on=uow.history.first_on(item.id, "file_case"))
        if kind.one_per_item and uow.records.exists_for_item(kind.key, item.id, except_id=except_id):
            raise Conflict(f"该隐患已登记{kind.label}，请修改原记录")
    return values


def _current_input(uow: UnitOfWork, kind: RecordKind, record: ActivityRecord) -> dict[str, Any]:
    """A record's values in input form, so an update may send only the fields it changes."""
    data: dict[str, Any] = {}
    for name in kind.field_names:
        if name == "enterprise_uscc":
            enterprise_id = getattr(record, "enterprise_id", None)
            enterprise = uow.enterprises.get(enterprise_id) if enterprise_id else None
            data[name] = enterprise.uscc if enterprise else None
        elif name == "flagged":
            data[name] = "是" if getattr(record, "flagged") else "否"
        else:
            data[name] = getattr(record, name)
    return to_jsonable(data)
