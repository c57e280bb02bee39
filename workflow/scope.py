"""Unit scoping, the one rule (DESIGN §2): handlers and leaders see and write their own unit's records only;
supervisors and admins read every unit and write none of the unit records. Queries (db.scoping) and use cases
ask here; a record of another unit reads as "not found" (its existence is not revealed).
"""

from __future__ import annotations

from workflow.actor import Actor
from workflow.errors import Forbidden, NotFound
from workflow.table import Role

NO_UNIT = -1  # matches no unit: a unit-bound role without a unit sees nothing


def visible_unit(actor: Actor) -> int | None:
    """The one unit the actor's reads are limited to, or None for every unit (supervisors, admins)."""
    if actor.sees_all_units:
        return None
    return actor.unit_id if actor.unit_id is not None else NO_UNIT


def scope_unit(actor: Actor, unit_id: int | None) -> int | None:
    """The unit a report or list may cover: handlers and leaders always their own; supervisors any unit or the
    city (None). A handler or leader asking for another unit gets NotFound (its existence is not revealed)."""
    if actor.sees_all_units:
        return unit_id
    if actor.unit_id is None:
        raise Forbidden("您的账号未归属任何单位")
    if unit_id is not None and unit_id != actor.unit_id:
        raise NotFound("单位不存在或无权查看")
    return actor.unit_id


def require_visible(actor: Actor, unit_id: int | None, not_found: str) -> None:
    """NotFound(`not_found`) unless the actor may see records of `unit_id`."""
    if not actor.can_see_unit(unit_id):
        raise NotFound(not_found)


def require_unit_writer(actor: Actor, unit_id: int | None, what: str = "记录") -> None:
    """Only a handler or leader writes, and only their own unit's records."""
    if actor.role not in (Role.handler, Role.leader) or actor.unit_id is None:
        raise Forbidden(f"只有承办人员或负责人可以登记或修改本单位的{what}")
    if unit_id is not None and unit_id != actor.unit_id:
        raise Forbidden(f"只能登记或修改本单位的{what}")


def require_supervisor(actor: Actor, message: str = "只有市局督导可以执行此操作") -> None:
    if not actor.sees_all_units:
        raise Forbidden(message)
