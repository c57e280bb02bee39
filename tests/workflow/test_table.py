"""The workflow table, the shared machine, input fields and deadline rules — pure domain, no database."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from workflow.deadlines import started_by
from workflow.errors import InputInvalid
from workflow.fields import FieldSpec, clean, to_jsonable
from workflow.machine import destination, machine, mermaid_diagram, triggers_from
from workflow.numbering import format_number, validate_format
from workflow.table import DOCUMENT_KINDS, EVENTS, Deadline, Role, State, may_fire

DESIGN_TABLE = {
    # event: (sources, destination, role, document) — DESIGN §4, written out independently of workflow/table.py
    "order_rectification": ({"found", "rechecking"}, "rectifying", "handler", "责令改正通知书"),
    "extend_rectification": ({"rectifying"}, "rectifying", "leader", "行政处罚案件有关事项审批表"),
    "verify_rectification": ({"rectifying"}, "closed", "handler", "整改复查意见书"),
    "file_case": ({"found", "rectifying", "rechecking"}, "case_filed", "leader", "立案审批表"),
    "seize": ({"case_filed"}, "case_filed", "leader", "实施行政强制措施决定书"),
    "transfer_to_judiciary": ({"case_filed"}, "transferred", "leader", "涉嫌犯罪案件移送书"),
    "judiciary_returned": ({"transferred"}, "case_filed", "leader", "行政处罚案件有关事项审批表"),
    "close_case": ({"case_filed", "transferred"}, "closed", "leader", "结案审批表"),
    "dismiss": ({"found"}, "closed", "leader", "不予立案审批表"),
    "start_recheck": ({"closed"}, "rechecking", "handler", None),
    "pass_recheck": ({"rechecking"}, "closed", "handler", "回头看检查记录"),
}


def test_the_table_matches_the_design_event_for_event():
    assert set(EVENTS) == set(DESIGN_TABLE) | {"register"}
    for name, (sources, dest, role, title) in DESIGN_TABLE.items():
        event = EVENTS[name]
        assert {s.value for s in event.sources} == sources
        assert (event.dest.value, event.role.value) == (dest, role)
        assert (DOCUMENT_KINDS[event.document].title if event.document else None) == title


def test_the_machine_has_no_automatic_set_state_transitions():
    m = machine()
    assert not any(name.startswith("to_") for name in m.events)
    assert set(m.events) == set(DESIGN_TABLE)


def test_triggers_from_each_state_are_exactly_the_table_events_leaving_it():
    for state in State:
        expected = {name for name, (sources, *_rest) in DESIGN_TABLE.items() if state.value in sources}
        assert set(triggers_from(state.value)) == expected


def test_unknown_events_and_states_lead_nowhere():
    assert destination("found", "teleport") is None
    assert destination("nowhere", "file_case") is None


def test_a_leader_may_fire_handler_events_but_not_the_reverse():
    assert may_fire(Role.leader, EVENTS["order_rectification"])
    assert not may_fire(Role.handler, EVENTS["file_case"])
    assert not may_fire(Role.supervisor, EVENTS["order_rectification"])


def test_the_diagram_is_generated_from_the_table():
    diagram = mermaid_diagram()
    for name, (sources, dest, *_rest) in DESIGN_TABLE.items():
        for source in sources:
            assert f"{source} --> {dest}: {EVENTS[name].label}" in diagram


def test_clean_types_values_and_names_every_bad_field():
    specs = (FieldSpec("d", "日期", kind="date"), FieldSpec("m", "金额", kind="money"),
             FieldSpec("n", "天数", kind="int", min_value=1, max_value=30), FieldSpec("t", "说明", max_length=5),
             FieldSpec("c", "结果", kind="choice", choices=("处罚", "不予处罚")), FieldSpec("o", "备注", required=False))
    values = clean(specs, {"d": "2023-07-01", "m": "1,200.5", "n": "30", "t": " 正常 ", "c": "处罚"})
    assert values == {"d": dt.date(2023, 7, 1), "m": Decimal("1200.50"), "n": 30, "t": "正常", "c": "处罚", "o": None}
    assert to_jsonable(values)["m"] == "1200.50"
    with pytest.raises(InputInvalid) as error:
        clean(specs, {"d": "07/01/2023", "m": "-1", "n": 31, "t": "太长太长太长", "c": "罚款"})
    assert set(error.value.fields) == {"d", "m", "n", "t", "c"}
    assert all(message for message in error.value.fields.values())


def test_booleans_are_not_numbers_and_items_rows_are_validated():
    with pytest.raises(InputInvalid):
        clean((FieldSpec("n", "数量", kind="int"),), {"n": True})
    items = EVENTS["seize"].fields[0]
    with pytest.raises(InputInvalid) as error:
        clean((items,), {"items": [{"name": "燃气灶", "unit": "台"}]})
    assert "第 1 项" in error.value.fields["items"]


def test_deadline_rules():
    item = SimpleNamespace(case_deadline=dt.date(2023, 10, 1), deadline=dt.date(2023, 8, 1),
                           state_since=dt.date(2023, 7, 1))
    today = dt.date(2023, 7, 10)
    assert started_by(Deadline.case_decision, item=item, cleaned={}, today=today).current == dt.date(2023, 10, 8)
    seized = started_by(Deadline.seizure_end, item=item, cleaned={"period_days": 30}, today=today)
    assert (seized.current, seized.case) == (dt.date(2023, 8, 9), dt.date(2023, 10, 1))
    resumed = started_by(Deadline.decision_resumes, item=item, cleaned={}, today=today)
    assert resumed.current == dt.date(2023, 10, 10)  # 9 days spent with the police are added back
    assert started_by(Deadline.none, item=item, cleaned={}, today=today).current is None


def test_document_numbers_follow_gbt_9704_and_unit_formats_must_keep_the_serial():
    assert format_number(None, short="浦", kind="责改", year=2023, n=12) == "沪市监浦责改〔2023〕12号"
    assert format_number("临市监{kind}〔{year}〕第{n}号", short="临港", kind="立审", year=2024, n=3) == "临市监立审〔2024〕第3号"
    for bad in ("沪市监{short}〔{year}〕号", "{kind}{n}", "{unknown}{kind}{year}{n}"):
        with pytest.raises(ValueError):
            validate_format(bad)


def test_the_domain_imports_nothing_from_web_db_or_documents():
    root = Path(__file__).resolve().parents[2] / "workflow"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"web", "db", "documents"}, f"{path.name} imports {name}"
