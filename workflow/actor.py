"""Who is acting, and what they may see. The one place for role and unit scoping rules."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.table import EVENTS, Role, may_fire


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    name: str
    role: str
    unit_id: int | None

    @property
    def sees_all_units(self) -> bool:
        return self.role in (Role.supervisor, Role.admin)

    def can_see_unit(self, unit_id: int | None) -> bool:
        return self.sees_all_units or (self.unit_id is not None and unit_id == self.unit_id)

    def may_fire(self, event: str) -> bool:
        spec = EVENTS.get(event)
        return spec is not None and may_fire(self.role, spec)

    @property
    def may_register(self) -> bool:
        return self.unit_id is not None and self.may_fire("register")
