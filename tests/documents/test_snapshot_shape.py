"""The document snapshot's shape is declared in workflow.snapshot (DocumentSnapshot), and what build() freezes,
what the samples hold and what documents/render.py reads all keep to it; the frozen JSON is what it always was."""

from __future__ import annotations

import copy
import datetime as dt
import json
import types
import typing
from types import SimpleNamespace as NS

import pytest

from documents import render
from tests.documents.sample_snapshots import SAMPLE_SNAPSHOTS
from workflow import snapshot
from workflow.snapshot import DocumentSnapshot


def inputs():
    unit = NS(code="310115", name="上海市浦东新区市场监督管理局", short_name="浦")
    enterprise = NS(name="上海某某燃气器具有限公司", uscc="91310115591693856A", address="上海市浦东新区康桥镇秀浦路2388号",
                    legal_rep="王建国", phone="021-58123456")
    item = NS(id=12, category="燃气用品", sub_product="家用燃气灶", problem_type="质量低劣", source="监督抽查",
              facts="经抽样检验，熄火保护装置不合格。", found_on=dt.date(2023, 7, 3), state="case_filed", deadline=None)
    history = [
        NS(event="register", input={}, on_date=dt.date(2023, 7, 3), document_id=1),
        NS(event="order_rectification", input={"deadline": "2023-07-24", "requirements": "立即停止销售"},
           on_date=dt.date(2023, 7, 4), document_id=2),
        NS(event="file_case", input={"offence": "销售不合格燃气灶案"}, on_date=dt.date(2023, 7, 6), document_id=3),
        NS(event="order_rectification", input={"deadline": "2023-08-01", "requirements": "召回"},
           on_date=dt.date(2023, 7, 8), document_id=4),
    ]
    return dict(kind="compulsory_measures", number="沪市监浦强〔2023〕5号", issued_on=dt.date(2023, 7, 10), unit=unit,
                enterprise=enterprise, item=item, state_before="case_filed", event="seize",
                input_json={"items": [{"name": "家用燃气灶", "quantity": "12"}], "place": "仓库", "period_days": 30},
                actor=NS(name="李四", role="leader"), handler_name="张三", history=history,
                numbers_by_document={1: "沪市监浦登〔2023〕1号", 2: "沪市监浦责改〔2023〕2号", 3: "沪市监浦立〔2023〕3号",
                                     4: "沪市监浦责改〔2023〕4号"})


# build(**inputs()) as the code wrote it before the snapshot had declared types: the same text, key order included.
GOLDEN = """{"template_version": 1, "kind": "compulsory_measures", "title": "实施行政强制措施决定书", "number": "沪市监浦强〔2023〕5号", "issued_on": "2023-07-10", "agency": "上海市浦东新区市场监督管理局", "unit": {"code": "310115", "name": "上海市浦东新区市场监督管理局", "short": "浦"}, "party": {"name": "上海某某燃气器具有限公司", "uscc": "91310115591693856A", "address": "上海市浦东新区康桥镇秀浦路2388号", "legal_rep": "王建国", "phone": "021-58123456"}, "item": {"id": 12, "category": "燃气用品", "sub_product": "家用燃气灶", "problem_type": "质量低劣", "source": "监督抽查", "facts": "经抽样检验，熄火保护装置不合格。", "found_on": "2023-07-03", "state_before": "case_filed", "state_after": "case_filed", "deadline": null}, "event": {"name": "seize", "label": "查封扣押", "input": {"items": [{"name": "家用燃气灶", "quantity": "12"}], "place": "仓库", "period_days": 30}}, "actor": {"name": "李四", "role": "leader", "role_label": "负责人"}, "handler": {"name": "张三"}, "case": {"offence": "销售不合格燃气灶案", "filed_on": "2023-07-06", "number": "沪市监浦立〔2023〕3号"}, "rectification": {"ordered_on": "2023-07-08", "deadline": "2023-08-01", "requirements": "召回", "number": "沪市监浦责改〔2023〕4号"}}"""


def _shape_errors(value, hint, where: str) -> list[str]:
    """Where `value` strays from the TypedDict `hint` (missing or extra keys, a nested dict's own keys)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [h for h in typing.get_args(hint) if h is not type(None)]
        if value is None:
            return [] if len(options) < len(typing.get_args(hint)) else [f"{where} is None"]
        hint = options[0]
    if not typing.is_typeddict(hint):
        return []
    if not isinstance(value, dict):
        return [f"{where} is not an object"]
    fields = typing.get_type_hints(hint)
    errors = [f"{where} lacks {k}" for k in fields if k not in value]
    errors += [f"{where} has undeclared {k}" for k in value if k not in fields]
    for key, sub in fields.items():
        if key in value:
            errors += _shape_errors(value[key], sub, f"{where}.{key}")
    return errors


def test_the_shape_check_sees_a_missing_an_undeclared_and_a_nested_key():
    frozen = copy.deepcopy(SAMPLE_SNAPSHOTS["hazard_register"])
    del frozen["agency"]
    frozen["extra"] = 1
    frozen["party"]["fax"] = "021"
    frozen["case"] = {"offence": "x"}
    assert sorted(_shape_errors(frozen, DocumentSnapshot, "s")) == [
        "s has undeclared extra", "s lacks agency", "s.case lacks filed_on", "s.case lacks number",
        "s.party has undeclared fax"]


def test_build_freezes_the_same_json_as_before_the_types():
    assert json.dumps(snapshot.build(**inputs()), ensure_ascii=False) == GOLDEN


def test_build_freezes_exactly_the_declared_shape():
    assert _shape_errors(snapshot.build(**inputs()), DocumentSnapshot, "snapshot") == []


def test_without_a_case_or_an_order_those_parts_are_null():
    data = inputs()
    data["history"] = data["history"][:1]
    frozen = snapshot.build(**data)
    assert frozen["case"] is None and frozen["rectification"] is None
    assert _shape_errors(frozen, DocumentSnapshot, "snapshot") == []


@pytest.mark.parametrize("kind", sorted(SAMPLE_SNAPSHOTS))
def test_every_sample_snapshot_has_the_declared_shape(kind):
    assert _shape_errors(SAMPLE_SNAPSHOTS[kind], DocumentSnapshot, kind) == []


def test_the_hash_is_taken_over_the_canonical_json_defined_with_the_shape():
    frozen = snapshot.build(**inputs())
    assert render.canonical_json is snapshot.canonical_json
    assert render.snapshot_hash(frozen) == "8d90a07d8a65dc7d274027b2ff6d589cd06f76ba8988282d7758ce5d92dedcc3"


def test_the_renderer_prints_the_template_version_the_snapshot_declares():
    assert render.TEMPLATE_VERSION == snapshot.TEMPLATE_VERSION
