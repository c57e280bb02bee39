"""Unit scoping applied to queries: the rule is workflow.scope.visible_unit; this only says it in SQL."""

from __future__ import annotations

from typing import Any

from workflow.actor import Actor
from workflow.scope import visible_unit


def scoped(query: Any, column: Any, actor: Actor) -> Any:
    """`query` limited to the rows whose `column` (a unit id) the actor may see."""
    unit = visible_unit(actor)
    return query if unit is None else query.where(column == unit)
