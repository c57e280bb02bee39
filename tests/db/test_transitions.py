"""Every (state, event) pair against the persisted workflow: allowed pairs move as the table says and write their
history row and document; every other pair is refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from db.models import Document, HazardItem, ItemEvent, NumberSeries
from tests.conftest import NOW, World, event_input, register_input
from workflow import services
from workflow.clock import business_date
from workflow.errors import Conflict, Forbidden, InputInvalid, NotFound
from workflow.machine import destination
from workflow.table import EVENTS, TRANSITION_EVENTS, Role, State

TODAY = business_date(NOW)
PATH_TO = {
    State.found: [],
    State.rectifying: ["order_rectification"],
    State.case_filed: ["file_case"],
    State.transferred: ["file_case", "transfer_to_judiciary"],
    State.closed: ["dismiss"],
    State.rechecking: ["dismiss", "start_recheck"],
}


def fire(world: World, item_id: int, event: str, version: int, actor=None, **overrides):
    with Session(world.db.reader) as s:
        state = s.get(HazardItem, item_id).state
    data = {**event_input(event, state, TODAY), **overrides, "version": version}
    return services.fire_event(world.uow(), actor or world.leader, item_id, event, data, NOW)


def item_in(world: World, state: State) -> int:
    outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
    for version, event in enumerate(PATH_TO[state], start=1):
        fire(world, outcome.item_id, event, version)
    return outcome.item_id


def counts(world: World, item_id: int) -> tuple[int, int, int]:
    with Session(world.db.reader) as s:
        history = s.execute(select(func.count()).select_from(ItemEvent).where(ItemEvent.item_id == item_id)).scalar_one()
        docs = s.execute(select(func.count()).select_from(Document).where(Document.item_id == item_id)).scalar_one()
        series = s.execute(select(func.coalesce(func.sum(NumberSeries.last), 0))).scalar_one()
        return history, docs, series


ALL_PAIRS = [(state, event) for state in State for event in TRANSITION_EVENTS]


@pytest.mark.parametrize("state,event", [(s, e) for s, e in ALL_PAIRS if s in e.sources],
                         ids=lambda v: getattr(v, "name", str(v)))
def test_an_allowed_event_moves_the_item_and_records_history_and_document(world: World, state, event):
    item_id = item_in(world, state)
    with Session(world.db.reader) as s:
        before = s.get(HazardItem, item_id)
    history_before, docs_before, _ = counts(world, item_id)

    outcome = fire(world, item_id, event.name, before.version)

    with Session(world.db.reader) as s:
        after = s.get(HazardItem, item_id)
        last = s.execute(select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.seq.desc())).scalars().first()
        assert after.state == event.dest.value
        assert after.version == before.version + 1
        assert (last.event, last.from_state, last.to_state) == (event.name, state.value, event.dest.value)
        assert last.actor_name == "李四"
        history_after, docs_after, _ = counts(world, item_id)
        assert history_after == history_before + 1
        if event.document:
            document = s.get(Document, outcome.document_id)
            assert document.kind == event.document
            assert last.document_id == document.id
            assert document.snapshot["event"]["name"] == event.name
            assert document.snapshot["party"]["uscc"] == "91310115591693856A"
            assert docs_after == docs_before + 1
        else:
            assert outcome.document_id is None and docs_after == docs_before


@pytest.mark.parametrize("state,event", [(s, e) for s, e in ALL_PAIRS if s not in e.sources],
                         ids=lambda v: getattr(v, "name", str(v)))
def test_an_event_not_allowed_in_the_state_is_refused_and_writes_nothing(world: World, state, event):
    item_id = item_in(world, state)
    with Session(world.db.reader) as s:
        before = s.get(HazardItem, item_id)
    snapshot = counts(world, item_id)
    with pytest.raises(Conflict):
        fire(world, item_id, event.name, before.version)
    with Session(world.db.reader) as s:
        after = s.get(HazardItem, item_id)
        assert (after.state, after.version) == (before.state, before.version)
    assert counts(world, item_id) == snapshot


def test_a_stale_version_is_a_conflict_and_changes_nothing(world: World):
    item_id = item_in(world, State.found)
    fire(world, item_id, "order_rectification", 1)
    snapshot = counts(world, item_id)
    with pytest.raises(Conflict, match="已被他人更新"):
        fire(world, item_id, "file_case", 1)
    assert counts(world, item_id) == snapshot


def test_a_handler_may_not_fire_a_leader_event(world: World):
    item_id = item_in(world, State.found)
    with pytest.raises(Forbidden):
        fire(world, item_id, "file_case", 1, actor=world.handler)


def test_a_leader_may_fire_the_handler_events_of_their_own_unit(world: World):
    handler_events = [e for e in TRANSITION_EVENTS if e.role is Role.handler]
    assert {e.name for e in handler_events} >= {"order_rectification", "verify_rectification"}
    for event in handler_events:
        state = event.sources[0]
        item_id = item_in(world, state)
        version = len(PATH_TO[state]) + 1
        untouched = counts(world, item_id)
        with pytest.raises(NotFound):  # another unit's leader does not even see the item
            fire(world, item_id, event.name, version, actor=world.other_leader)
        assert counts(world, item_id) == untouched
        fire(world, item_id, event.name, version, actor=world.leader)
        with Session(world.db.reader) as s:
            item = s.get(HazardItem, item_id)
            last = s.execute(select(ItemEvent).where(ItemEvent.item_id == item_id)
                             .order_by(ItemEvent.seq.desc())).scalars().first()
        assert (item.state, item.version) == (event.dest.value, version + 1), event.name
        assert (last.event, last.actor_id, last.actor_name) == (event.name, world.leader.user_id, world.leader.name)


def test_another_units_item_is_not_found_for_handlers_and_leaders(world: World):
    item_id = item_in(world, State.found)
    for actor in (world.other_handler, world.other_leader):
        with pytest.raises(NotFound):
            fire(world, item_id, "order_rectification", 1, actor=actor)


def test_supervisors_see_but_may_not_act(world: World):
    item_id = item_in(world, State.found)
    with pytest.raises(Forbidden):
        fire(world, item_id, "order_rectification", 1, actor=world.supervisor)


def test_an_unknown_event_is_not_found(world: World):
    item_id = item_in(world, State.found)
    with pytest.raises(NotFound):
        services.fire_event(world.uow(), world.leader, item_id, "set_state", {"version": 1, "state": "closed"}, NOW)


def test_invalid_input_names_the_fields_and_writes_nothing(world: World):
    item_id = item_in(world, State.found)
    snapshot = counts(world, item_id)
    with pytest.raises(InputInvalid) as error:
        services.fire_event(world.uow(), world.handler, item_id, "order_rectification",
                            {"version": 1, "deadline": "2023-13-45", "requirements": ""}, NOW)
    assert set(error.value.fields) == {"deadline", "requirements", "legal_basis"}
    assert "YYYY-MM-DD" in error.value.fields["deadline"]
    assert counts(world, item_id) == snapshot


@pytest.mark.parametrize("event,state,overrides,field", [
    ("order_rectification", State.found, {"deadline": TODAY.isoformat()}, "deadline"),
    ("extend_rectification", State.rectifying, {"deadline": (TODAY + dt.timedelta(days=5)).isoformat()}, "deadline"),
    ("verify_rectification", State.rectifying, {"verified_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "verified_on"),
    ("seize", State.case_filed, {"period_days": 31}, "period_days"),
    ("seize", State.case_filed, {"items": []}, "items"),
    ("close_case", State.case_filed, {"outcome": "移送已受理"}, "outcome"),
    ("close_case", State.transferred, {"outcome": "处罚", "decision_number": "x", "fine_amount": "1"}, "outcome"),
    ("close_case", State.case_filed, {"outcome": "不予处罚", "fine_amount": "100"}, "fine_amount"),
    ("close_case", State.case_filed, {"fine_amount": "-5"}, "fine_amount"),
    ("dismiss", State.found, {"reason": "其他"}, "reason"),
    ("start_recheck", State.closed, {"scheduled_on": (TODAY - dt.timedelta(days=1)).isoformat()}, "scheduled_on"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_each_guard_refuses_with_a_reason_naming_the_field(world: World, event, state, overrides, field):
    item_id = item_in(world, state)
    with Session(world.db.reader) as s:
        version = s.get(HazardItem, item_id).version
    snapshot = counts(world, item_id)
    with pytest.raises(InputInvalid) as error:
        fire(world, item_id, event, version, **overrides)
    assert field in error.value.fields
    assert counts(world, item_id) == snapshot


@pytest.mark.parametrize("overrides,field", [
    ({"enterprise_uscc": "91310115591693856B"}, "enterprise_uscc"),
    ({"enterprise_uscc": "91310000MA1FL0000X"}, "enterprise_uscc"),
    ({"category": "玩具"}, "category"),
    ({"sub_product": None}, "sub_product"),
    ({"sub_product": "液氮"}, "sub_product"),
    ({"problem_type": "其他"}, "problem_type"),
    ({"source": "道听途说"}, "source"),
    ({"found_on": "2023-07-11"}, "found_on"),
    ({"facts": "x" * 10_001}, "facts"),
])
def test_registration_validates_catalog_values_enterprise_and_dates(world: World, overrides, field):
    with pytest.raises(InputInvalid) as error:
        services.register_item(world.uow(), world.handler, register_input(**overrides), NOW)
    assert field in error.value.fields
    with Session(world.db.reader) as s:
        assert s.execute(select(func.count()).select_from(HazardItem)).scalar_one() == 0


def test_a_wrong_check_character_names_the_expected_one(world: World):
    with pytest.raises(InputInvalid) as error:
        services.register_item(world.uow(), world.handler, register_input(enterprise_uscc="91310115591693856B"), NOW)
    assert "A" in error.value.fields["enterprise_uscc"]


def test_registration_starts_the_fifteen_working_day_verification_deadline(world: World):
    outcome = services.register_item(world.uow(), world.handler, register_input(found_on="2023-09-25"), NOW.replace(month=9, day=26))
    with Session(world.db.reader) as s:
        item = s.get(HazardItem, outcome.item_id)
    # 2023-09-29..10-06 is the 中秋/国庆 holiday; 10-07 and 10-08 are 调休 working days.
    assert item.deadline == dt.date(2023, 10, 20)


def test_transfer_pauses_the_decision_deadline_and_return_resumes_it(world: World):
    item_id = item_in(world, State.found)
    fire(world, item_id, "file_case", 1)
    with Session(world.db.reader) as s:
        assert s.get(HazardItem, item_id).deadline == TODAY + dt.timedelta(days=90)
    fire(world, item_id, "transfer_to_judiciary", 2)
    later = NOW + dt.timedelta(days=20)
    with Session(world.db.reader) as s:
        assert s.get(HazardItem, item_id).deadline is None
    data = {**event_input("judiciary_returned", "transferred", TODAY), "version": 3}
    services.fire_event(world.uow(), world.leader, item_id, "judiciary_returned", data, later)
    with Session(world.db.reader) as s:
        assert s.get(HazardItem, item_id).deadline == TODAY + dt.timedelta(days=110)


def test_document_numbers_follow_the_unit_format_per_kind_and_year(world: World):
    first = item_in(world, State.found)
    second = item_in(world, State.found)
    fire(world, first, "order_rectification", 1)
    outcome = fire(world, second, "order_rectification", 1)
    with Session(world.db.reader) as s:
        numbers = [d.number for d in s.execute(select(Document).where(Document.kind == "rectification_order")
                                               .order_by(Document.id)).scalars()]
        assert numbers == ["沪市监浦责改〔2023〕1号", "沪市监浦责改〔2023〕2号"]
        assert s.get(Document, outcome.document_id).snapshot["number"] == "沪市监浦责改〔2023〕2号"


def test_destination_agrees_with_the_table_for_every_pair():
    for state, event in ALL_PAIRS:
        expected = event.dest.value if state in event.sources else None
        assert destination(state.value, event.name) == expected
    assert EVENTS["register"].dest is State.found
