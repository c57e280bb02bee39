"""Use cases: register an item, fire an event, the events a user may fire now.

Each use case runs inside one unit of work and commits once: the state change, the history row, the document
number and the document snapshot land together or not at all. Checks run in the order clients rely on
(DESIGN §7): unit (404) → role (403) → state and version (409) → input (422).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from workflow import chain, deadlines, guards, snapshot
from workflow.actor import Actor
from workflow.clock import business_date
from workflow.errors import Conflict, Forbidden, InputInvalid, NotFound
from workflow.fields import clean, to_jsonable
from workflow.machine import destination, triggers_from
from workflow.numbering import format_number
from workflow.ports import OverdueQuery, UnitOfWork
from workflow.table import DOCUMENT_KINDS, EVENTS, STATE_LABELS, EventSpec, State
from workflow.uscc import validate_uscc


@dataclass(frozen=True)
class Outcome:
    item_id: int
    document_id: int | None


def allowed_events(actor: Actor, item: Any) -> list[str]:
    """Events `actor` may fire on `item` now: the table's triggers from its state, filtered by role and unit."""
    if not actor.can_see_unit(item.unit_id) or actor.sees_all_units:
        return []
    return [name for name in triggers_from(item.state) if actor.may_fire(name)]


def register_item(uow: UnitOfWork, actor: Actor, raw: Mapping[str, Any], now: dt.datetime) -> Outcome:
    """Register a hazard item (found) with its 隐患登记表, in one unit of work."""
    with uow:
        outcome = register_in(uow, actor, raw, now)
        uow.commit()
        return outcome


def register_in(uow: UnitOfWork, actor: Actor, raw: Mapping[str, Any], now: dt.datetime) -> Outcome:
    """The registration inside a unit of work the caller has opened and will commit (so that a use case can check
    and register in one transaction, e.g. workflow.special_inspections)."""
    spec = EVENTS["register"]
    if not actor.may_register:
        raise Forbidden("只有承办人员或负责人可以登记隐患")
    cleaned = clean(spec.fields, raw)
    today = business_date(now)
    catalog = uow.catalog.for_date(cleaned["found_on"])
    try:
        uscc = validate_uscc(cleaned["enterprise_uscc"])
    except ValueError as exc:
        raise InputInvalid({"enterprise_uscc": str(exc)}) from None
    enterprise = uow.enterprises.by_uscc(uscc)
    if enterprise is None:
        raise InputInvalid({"enterprise_uscc": "企业库中没有该统一社会信用代码，请先登记企业"})
    cleaned["enterprise_uscc"] = uscc
    guards.check_register(cleaned, catalog, today)
    due = deadlines.started_by(spec.deadline, item=None, cleaned=cleaned, today=today)
    item = uow.items.add(
        campaign_id=catalog.campaign_id,
        unit_id=actor.unit_id,
        enterprise_id=enterprise.id,
        category=cleaned["category"],
        sub_product=cleaned["sub_product"],
        problem_type=cleaned["problem_type"],
        source=cleaned["source"],
        facts=cleaned["facts"],
        found_on=cleaned["found_on"],
        state=spec.dest.value,
        version=1,
        deadline=due.current,
        case_deadline=due.case,
        state_since=today,
        handler_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    document_id = _record(uow, actor, item, spec, None, cleaned, now, enterprise)
    return Outcome(item.id, document_id)


def fire_event(
    uow: UnitOfWork, actor: Actor, item_id: int, event: str, raw: Mapping[str, Any], now: dt.datetime
) -> Outcome:
    spec = EVENTS.get(event)
    today = business_date(now)
    with uow:
        item = uow.items.get(item_id, for_update=True)
        if item is None or not actor.can_see_unit(item.unit_id):
            raise NotFound("隐患不存在或无权查看")
        if spec is None or not spec.sources:
            raise NotFound(f"没有名为 {event} 的操作")
        if not actor.may_fire(event) or actor.unit_id != item.unit_id:
            raise Forbidden(f"您的角色无权执行“{spec.label}”")
        dest = destination(item.state, event)
        if dest is None:
            raise Conflict(f"当前状态“{STATE_LABELS[item.state]}”下不能执行“{spec.label}”")
        version = raw.get("version")
        if isinstance(version, str) and version.strip().isdigit():
            version = int(version)
        if not isinstance(version, int) or isinstance(version, bool):
            raise InputInvalid({"version": "请提供隐患的当前版本号 version"})
        if version != item.version:
            raise Conflict(f"隐患已被他人更新（当前版本 {item.version}，提交版本 {version}），请刷新后重试")
        cleaned = clean(spec.fields, raw)
        guards.check_event(event, item, cleaned, today)

        state_before = item.state
        due = deadlines.started_by(spec.deadline, item=item, cleaned=cleaned, today=today)
        item.state = dest
        item.version += 1
        item.deadline = due.current
        item.case_deadline = due.case
        item.state_since = today
        item.updated_at = now
        if event == "order_rectification":
            item.measures = cleaned["requirements"]
        enterprise = uow.enterprises.get(item.enterprise_id)
        document_id = _record(uow, actor, item, spec, state_before, cleaned, now, enterprise)
        uow.commit()
        return Outcome(item.id, document_id)


def _record(
    uow: UnitOfWork,
    actor: Actor,
    item: Any,
    spec: EventSpec,
    state_before: str | None,
    cleaned: dict[str, Any],
    now: dt.datetime,
    enterprise: Any,
) -> int | None:
    """Write the history row and, when the event produces one, the numbered document with its snapshot."""
    today = business_date(now)
    input_json = to_jsonable(cleaned)
    history = uow.history.for_item(item.id)
    document_id = None
    if spec.document:
        kind = DOCUMENT_KINDS[spec.document]
        unit = uow.units.get(item.unit_id)
        serial = uow.numbers.next(unit.id, kind.key, today.year)
        number = format_number(unit.number_format, short=unit.short_name, kind=kind.code, year=today.year, n=serial)
        handler = uow.users.get(item.handler_id)
        numbers = uow.documents.numbers([h.document_id for h in history if h.document_id])
        frozen = snapshot.build(
            kind=kind.key,
            number=number,
            issued_on=today,
            unit=unit,
            enterprise=enterprise,
            item=item,
            state_before=state_before,
            event=spec.name,
            input_json=input_json,
            actor=actor,
            handler_name=handler.full_name if handler else actor.name,
            history=history,
            numbers_by_document=numbers,
        )
        document = uow.documents.add(
            item_id=item.id,
            unit_id=unit.id,
            kind=kind.key,
            year=today.year,
            serial=serial,
            number=number,
            snapshot=frozen,
            snapshot_sha256=snapshot.snapshot_sha256(frozen),
            template_version=snapshot.TEMPLATE_VERSION,
            created_at=now,
        )
        document_id = document.id
    row = dict(
        item_id=item.id,
        seq=len(history) + 1,
        event=spec.name,
        from_state=state_before,
        to_state=item.state,
        actor_id=actor.user_id,
        actor_name=actor.name,
        on_date=today,
        at=chain.in_utc(now),
        input=input_json,
        document_id=document_id,
    )
    prev_hash = history[-1].hash if history else None
    uow.history.add(**row, prev_hash=prev_hash, hash=chain.event_hash(row, prev_hash))
    return document_id


def record_rendered(uow: UnitOfWork, document_id: int, sha256: str) -> bool:
    """Note the hash of a document's first rendering (rendering happens after the transition's commit). A hash
    already recorded is never overwritten: True when this call recorded it."""
    with uow:
        document = uow.documents.get(document_id, for_update=True)
        if document is None or document.sha256 is not None:
            return False
        document.sha256 = sha256
        uow.commit()
        return True


def overdue_items(query: OverdueQuery, actor: Actor, today: dt.date, *, unit: str | None = None,
                  cursor: str | None = None, limit: int = 50) -> tuple[list[Any], str | None]:
    """Overdue items for one unit or the whole city. Handlers and leaders get their own unit's (asking for another
    unit is NotFound: its existence is not revealed); supervisors and admins any unit, or the city without one."""
    if not actor.sees_all_units:
        own = query.unit_code(actor.unit_id) if actor.unit_id is not None else None
        if own is None:
            raise Forbidden("您的账号未归属任何单位")
        if unit and unit != own:
            raise NotFound("单位不存在或无权查看")
        unit = own
    return query.overdue(actor, today, unit=unit, cursor=cursor, limit=limit)


def replay(history: list[Any]) -> str | None:
    """The state that replaying a history gives (used to check the history is consistent with the item)."""
    state: str | None = None
    for entry in history:
        if entry.event == "register":
            state = State.found.value
        else:
            state = destination(state or "", entry.event)
            if state is None:
                raise ValueError(f"history event {entry.event} is not allowed from its state")
    return state
