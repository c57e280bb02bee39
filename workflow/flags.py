"""Use cases: 挂牌督办 (supervised listing). A city supervisor flags a hazard item or a whole unit with a note and
lifts the flag later; flags are never deleted. Each runs in one unit of work and commits there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from workflow.actor import Actor
from workflow.audit import audit
from workflow.errors import Conflict, InputInvalid, NotFound
from workflow.ports import FlagRecord, UnitOfWork
from workflow.scope import require_supervisor

MAX_NOTE = 2000
ONLY_SUPERVISORS = "只有市局督导可以挂牌督办"


def clean_note(note: Any) -> str:
    text = note.strip() if isinstance(note, str) else ""
    if not text:
        raise InputInvalid({"note": "请填写督办意见"})
    if len(text) > MAX_NOTE:
        raise InputInvalid({"note": f"督办意见不得超过 {MAX_NOTE} 个字符"})
    return text


def flag_item(uow: UnitOfWork, actor: Actor, item_id: int, note: Any, now: dt.datetime) -> FlagRecord:
    """Flag one hazard item; its unit sees the note on its dashboard and the item page."""

    def target() -> tuple[int, int | None]:
        item = uow.items.get(item_id)
        if item is None:
            raise NotFound("隐患不存在")
        return item.unit_id, item.id

    return _open(uow, actor, target, note, now)


def flag_unit(uow: UnitOfWork, actor: Actor, unit_id: int, note: Any, now: dt.datetime) -> FlagRecord:
    """Flag a whole unit."""

    def target() -> tuple[int, int | None]:
        unit = uow.units.get(unit_id)
        if unit is None:
            raise NotFound("单位不存在")
        return unit.id, None

    return _open(uow, actor, target, note, now)


def _open(uow: UnitOfWork, actor: Actor, target: Callable[[], tuple[int, int | None]], note: Any,
          now: dt.datetime) -> FlagRecord:
    require_supervisor(actor, ONLY_SUPERVISORS)
    text = clean_note(note)
    with uow:
        unit_id, item_id = target()
        flag = uow.flags.add(unit_id=unit_id, item_id=item_id, note=text, created_by=actor.user_id,
                             created_by_name=actor.name, created_at=now)
        uow.commit()
    audit("flag_opened", flag_id=flag.id, item_id=item_id, unit_id=unit_id, by=actor.user_id)
    return flag


def close_flag(uow: UnitOfWork, actor: Actor, flag_id: int, now: dt.datetime) -> FlagRecord:
    """Lift a flag (摘牌). Closing twice is a conflict, not a silent success."""
    require_supervisor(actor, ONLY_SUPERVISORS)
    with uow:
        flag = uow.flags.get(flag_id, for_update=True)
        if flag is None:
            raise NotFound("督办记录不存在")
        if flag.closed_at is not None:
            raise Conflict("该督办已于此前撤销")
        flag.closed_at = now
        flag.closed_by = actor.user_id
        flag.closed_by_name = actor.name
        uow.commit()
    audit("flag_closed", flag_id=flag_id, unit_id=flag.unit_id, by=actor.user_id)
    return flag
