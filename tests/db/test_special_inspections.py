"""The two-failures rule: enterprises with ≥ 2 failed sampling inspections in two years get a 专门现场检查."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from db.models import HazardItem
from db.special_inspections import special_inspection_candidates
from workflow.special_inspections import register_special_inspection
from tests.db.activity_builders import Builder, at, new_enterprise
from workflow.errors import Conflict, Forbidden, NotFound

D = dt.date
REFERENCE = D(2023, 9, 1)


def inspect(b, actor, firm, day, failed, category="燃气用品", sub="燃气调压器"):
    b.record("sampling_inspection", actor, firm, date=day.isoformat(), category=category, sub_product=sub,
             level="区级", channel="流通", batches_sampled=3, batches_failed=failed)


def candidates(world, actor, reference=REFERENCE, **kw):
    with Session(world.db.reader) as s:
        return special_inspection_candidates(s, actor, reference=reference, **kw)


def test_the_window_is_the_two_years_ending_on_the_reference_date(db):
    from db.special_inspections import special_inspection_rule

    with Session(db.reader) as s:
        rule = special_inspection_rule(s, REFERENCE)  # the 2023 campaign's, from its file
    assert (rule.window_years, rule.min_failures, rule.source, rule.problem_type) == (2, 2, "监督抽查", "质量低劣")
    assert rule.window_start(D(2023, 9, 1)) == D(2021, 9, 1)
    assert rule.window_start(D(2024, 2, 29)) == D(2022, 2, 28)


def test_two_failed_inspections_within_two_years_flag_an_enterprise(any_world):
    b = Builder(any_world)
    twice = new_enterprise(any_world, "310115", "上海两次不合格燃气器具有限公司")
    once = new_enterprise(any_world, "310115")
    edge = new_enterprise(any_world, "310115")
    outside = new_enterprise(any_world, "310115")
    inspect(b, any_world.handler, twice, D(2023, 7, 3), 1)
    inspect(b, any_world.handler, twice, D(2023, 8, 20), 2, "消防产品", "灭火器")
    inspect(b, any_world.handler, once, D(2023, 7, 3), 1)
    inspect(b, any_world.handler, once, D(2023, 8, 3), 0)  # passed: does not count
    inspect(b, any_world.handler, edge, D(2021, 9, 1), 1)  # the window's first day counts
    inspect(b, any_world.handler, edge, D(2023, 9, 1), 1)  # and its last
    inspect(b, any_world.handler, outside, D(2021, 8, 31), 1)  # a day too early
    inspect(b, any_world.handler, outside, D(2023, 8, 1), 1)
    found = {f.enterprise_id: f for f in candidates(any_world, any_world.handler)}
    assert set(found) == {twice[0], edge[0]}
    flagged = found[twice[0]]
    assert flagged.failed_count == 2 and flagged.latest.category == "消防产品"
    assert flagged.follow_up_item_id is None
    # a year later the 2021 failure has left the window
    assert {f.enterprise_id for f in candidates(any_world, any_world.handler, reference=D(2023, 9, 2))} == {twice[0]}


def test_the_list_is_scoped_by_the_enterprises_unit(any_world):
    b = Builder(any_world)
    pudong = new_enterprise(any_world, "310115")
    yangpu = new_enterprise(any_world, "310110")
    for day in (D(2023, 7, 3), D(2023, 8, 3)):
        inspect(b, any_world.handler, pudong, day, 1)
        inspect(b, any_world.other_handler, yangpu, day, 1)
    assert [f.enterprise_id for f in candidates(any_world, any_world.handler)] == [pudong[0]]
    assert [f.enterprise_id for f in candidates(any_world, any_world.other_leader)] == [yangpu[0]]
    assert {f.enterprise_id for f in candidates(any_world, any_world.supervisor)} == {pudong[0], yangpu[0]}
    assert [f.enterprise_id for f in candidates(any_world, any_world.supervisor,
                                                unit_id=any_world.other_handler.unit_id)] == [yangpu[0]]
    with pytest.raises(NotFound):
        candidates(any_world, any_world.handler, unit_id=any_world.other_handler.unit_id)


def test_registering_the_special_inspection_makes_a_hazard_item_once(world):
    b = Builder(world)
    firm = new_enterprise(world, "310115", "上海两次不合格燃气器具有限公司")
    inspect(b, world.handler, firm, D(2023, 7, 3), 1)
    inspect(b, world.handler, firm, D(2023, 8, 20), 2)
    outcome = register_special_inspection(world.uow(), world.handler, firm[0], at(REFERENCE))
    with Session(world.db.reader) as s:
        item = s.get(HazardItem, outcome.item_id)
    assert (item.source, item.problem_type, item.category, item.sub_product) == ("监督抽查", "质量低劣", "燃气用品",
                                                                                 "燃气调压器")
    assert item.enterprise_id == firm[0] and item.found_on == REFERENCE and item.state == "found"
    assert "监督抽查不合格2次" in item.facts and "2023年8月20日" in item.facts
    assert candidates(world, world.handler)[0].follow_up_item_id == outcome.item_id
    with pytest.raises(Conflict):
        register_special_inspection(world.uow(), world.handler, firm[0], at(REFERENCE))


def test_special_inspection_refusals(world):
    b = Builder(world)
    firm = new_enterprise(world, "310115")
    inspect(b, world.handler, firm, D(2023, 7, 3), 1)
    with pytest.raises(Conflict):  # one failure is not enough
        register_special_inspection(world.uow(), world.handler, firm[0], at(REFERENCE))
    inspect(b, world.handler, firm, D(2023, 7, 20), 1)
    with pytest.raises(NotFound):
        register_special_inspection(world.uow(), world.other_handler, firm[0], at(REFERENCE))
    with pytest.raises(Forbidden):
        register_special_inspection(world.uow(), world.supervisor, firm[0], at(REFERENCE))
    with pytest.raises(NotFound):
        register_special_inspection(world.uow(), world.handler, 999999, at(REFERENCE))


def test_two_concurrent_registrations_of_one_flagged_enterprise_make_one_item(any_world):
    """The check and the write are one transaction with the enterprise locked: the second request waits, then
    finds the first one's item and is refused (409), on SQLite and on PostgreSQL."""
    import threading
    from sqlalchemy import func, select

    b = Builder(any_world)
    firm = new_enterprise(any_world, "310115", "上海两次不合格燃气器具有限公司")
    inspect(b, any_world.handler, firm, D(2023, 7, 3), 1)
    inspect(b, any_world.handler, firm, D(2023, 8, 20), 2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(actor):
        barrier.wait()
        try:
            register_special_inspection(any_world.uow(), actor, firm[0], at(REFERENCE))
            outcomes.append("registered")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt, args=(a,)) for a in (any_world.handler, any_world.leader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["conflict", "registered"]
    with Session(any_world.db.reader) as s:
        assert s.execute(select(func.count()).select_from(HazardItem)
                         .where(HazardItem.enterprise_id == firm[0])).scalar_one() == 1
