"""Unit scoping, the one rule (workflow.scope), as the queries (db.scoping) and the use cases apply it."""

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select

from db.scoping import scoped
from workflow.actor import Actor
from workflow.errors import Forbidden, NotFound
from workflow.scope import NO_UNIT, require_unit_writer, scope_unit, visible_unit

HANDLER = Actor(1, "h", "张三", "handler", 7)
LEADER = Actor(2, "l", "李四", "leader", 7)
SUPERVISOR = Actor(3, "s", "周督导", "supervisor", None)
ADMIN = Actor(4, "a", "管理员", "admin", None)
UNITLESS_HANDLER = Actor(5, "x", "无单位", "handler", None)

rows = Table("rows", MetaData(), Column("id", Integer), Column("unit_id", Integer))


def test_unit_staff_see_their_own_unit_and_the_city_roles_see_all():
    assert visible_unit(HANDLER) == visible_unit(LEADER) == 7
    assert visible_unit(SUPERVISOR) is visible_unit(ADMIN) is None
    assert visible_unit(UNITLESS_HANDLER) == NO_UNIT


def test_queries_are_limited_by_the_same_rule():
    unit_staff = str(scoped(select(rows), rows.c.unit_id, HANDLER).compile(compile_kwargs={"literal_binds": True}))
    assert unit_staff.endswith("WHERE rows.unit_id = 7")
    assert "WHERE" not in str(scoped(select(rows), rows.c.unit_id, SUPERVISOR))


def test_asking_for_another_unit_reads_as_not_found():
    assert scope_unit(HANDLER, None) == scope_unit(HANDLER, 7) == 7
    assert scope_unit(SUPERVISOR, 9) == 9 and scope_unit(SUPERVISOR, None) is None
    with pytest.raises(NotFound):
        scope_unit(HANDLER, 9)
    with pytest.raises(Forbidden):
        scope_unit(UNITLESS_HANDLER, None)


def test_only_unit_staff_write_and_only_their_own_units_records():
    require_unit_writer(LEADER, 7)
    for actor, unit in ((HANDLER, 9), (SUPERVISOR, 7), (ADMIN, None), (UNITLESS_HANDLER, None)):
        with pytest.raises(Forbidden):
            require_unit_writer(actor, unit)
