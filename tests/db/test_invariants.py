"""Invariants under random event sequences (hypothesis stateful testing) and under concurrency (SQLite and a real
PostgreSQL started by the suite)."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select
from sqlmodel import Session

from db.models import Document, HazardItem, ItemEvent
from tests.conftest import NOW, World, _new_sqlite_database, event_input, register_input
from workflow import services
from workflow.clock import business_date
from workflow.errors import Conflict, DomainError
from workflow.table import EVENTS, TRANSITION_EVENTS

TODAY = business_date(NOW)
EVENT_NAMES = [e.name for e in TRANSITION_EVENTS]


class WorkflowMachine(RuleBasedStateMachine):
    """Fires random events (allowed or not) at a handful of items; checks what must always hold.

    Each example starts from its own copy of the migrated template (set by the fixture below)."""

    template: Path | None = None

    @initialize()
    def set_up(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.world = World(_new_sqlite_database(Path(self.tmp.name), self.template))
        self.items: list[int] = []
        self.events_fired: dict[int, int] = defaultdict(int)
        self.clock = NOW

    def teardown(self):
        self.world.db.dispose()
        self.tmp.cleanup()

    @rule()
    def register(self):
        outcome = services.register_item(self.world.uow(), self.world.handler, register_input(), self.clock)
        self.items.append(outcome.item_id)
        self.events_fired[outcome.item_id] = 1

    @rule(pick=st.integers(min_value=0, max_value=50), event=st.sampled_from(EVENT_NAMES),
          stale=st.booleans(), days=st.integers(min_value=0, max_value=3))
    def fire(self, pick, event, stale, days):
        if not self.items:
            return
        self.clock = self.clock + dt.timedelta(days=days)
        item_id = self.items[pick % len(self.items)]
        with Session(self.world.db.reader) as s:
            item = s.get(HazardItem, item_id)
            state, version = item.state, item.version
        allowed = state in [src.value for src in EVENTS[event].sources]
        data = {**event_input(event, state, business_date(self.clock)), "version": version - 1 if stale else version}
        try:
            services.fire_event(self.world.uow(), self.world.leader, item_id, event, data, self.clock)
        except DomainError as error:
            if allowed and not stale:
                # Only a guard on the input (e.g. a recheck date) may refuse an allowed, current request.
                assert not isinstance(error, Conflict), error.detail
            return
        assert allowed and not stale, "a disallowed or stale event was accepted"
        self.events_fired[item_id] += 1

    @invariant()
    def replaying_history_gives_the_current_state(self):
        if not hasattr(self, "world"):
            return
        with Session(self.world.db.reader) as s:
            for item_id in self.items:
                item = s.get(HazardItem, item_id)
                history = list(s.execute(select(ItemEvent).where(ItemEvent.item_id == item_id)
                                         .order_by(ItemEvent.seq)).scalars())
                assert services.replay(history) == item.state
                assert [h.seq for h in history] == list(range(1, len(history) + 1))
                # The version rises by exactly one per event (register is version 1).
                assert item.version == len(history) == self.events_fired[item_id]

    @invariant()
    def numbers_in_each_series_run_from_one_without_gaps(self):
        if not hasattr(self, "world"):
            return
        with Session(self.world.db.reader) as s:
            series = defaultdict(list)
            for d in s.execute(select(Document)).scalars():
                series[(d.unit_id, d.kind, d.year)].append(d.serial)
                assert d.number.endswith(f"〔{d.year}〕{d.serial}号")
            for serials in series.values():
                assert sorted(serials) == list(range(1, len(serials) + 1))


@pytest.fixture(autouse=True)
def _machine_template(sqlite_template):
    WorkflowMachine.template = sqlite_template


TestWorkflowInvariants = WorkflowMachine.TestCase
TestWorkflowInvariants.settings = settings(max_examples=12, stateful_step_count=25, deadline=None,
                                           suppress_health_check=[HealthCheck.too_slow])


def test_two_concurrent_conflicting_events_exactly_one_wins(any_world: World):
    """Two sessions fire conflicting events on the same item version at once: one commits, the other gets 409."""
    world = any_world
    outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
    item_id = outcome.item_id
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def attempt(event: str):
        data = {**event_input(event, "found", TODAY), "version": 1}
        barrier.wait()
        try:
            services.fire_event(world.uow(), world.leader, item_id, event, data, NOW)
            results[event] = "won"
        except Conflict:
            results[event] = "conflict"

    threads = [threading.Thread(target=attempt, args=(e,)) for e in ("file_case", "dismiss")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results.values()) == ["conflict", "won"]
    winner = next(e for e, r in results.items() if r == "won")
    with Session(world.db.reader) as s:
        item = s.get(HazardItem, item_id)
        history = list(s.execute(select(ItemEvent).where(ItemEvent.item_id == item_id)).scalars())
    assert item.version == 2
    assert item.state == EVENTS[winner].dest.value
    assert [h.event for h in history] == ["register", winner]


def test_concurrent_transitions_on_different_items_get_distinct_gapless_numbers(any_world: World):
    world = any_world
    ids = [services.register_item(world.uow(), world.handler, register_input(), NOW).item_id for _ in range(8)]
    barrier = threading.Barrier(len(ids))
    errors: list[Exception] = []

    def order(item_id: int):
        data = {**event_input("order_rectification", "found", TODAY), "version": 1}
        barrier.wait()
        try:
            services.fire_event(world.uow(), world.handler, item_id, "order_rectification", data, NOW)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=order, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with Session(world.db.reader) as s:
        serials = sorted(d.serial for d in s.execute(select(Document).where(Document.kind == "rectification_order")).scalars())
    assert serials == list(range(1, len(ids) + 1))


@pytest.mark.postgres
def test_the_suite_really_runs_against_postgresql(postgres, pg_template):
    from sqlalchemy import text

    from tests.conftest import _new_pg_database

    database = _new_pg_database(postgres, pg_template)
    try:
        with database.reader.connect() as c:
            assert "PostgreSQL" in c.execute(text("select version()")).scalar_one()
    finally:
        database.dispose()
