"""附件1 典型案例台账: which typical cases it lists, and what it says about them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from workflow import records
from db.ledger import ledger
from tests.db.activity_builders import LATER, Builder, new_enterprise
from workflow.ledger_columns import LEDGER_COLUMNS
from workflow.errors import InputInvalid

D = dt.date


def typical(world, actor, item, reported_on, **extra):
    raw = dict(item_id=item, reported_on=reported_on.isoformat(), content=f"案例{item}", progress="办理中", **extra)
    return records.create_record(world.uow(), "typical_case", actor, raw, LATER)


def build(world):
    b = Builder(world)
    pudong = new_enterprise(world, "310115", "上海宏达燃气器具有限公司二厂")
    yangpu = new_enterprise(world, "310110")
    filed = b.item(world.handler, pudong, "燃气用品", D(2023, 6, 20))
    b.file_case(world.leader, filed, D(2023, 6, 25))
    b.close_case(world.leader, filed, D(2023, 7, 5), "30000", "20000")
    b.refile_after_recheck(world.leader, world.handler, filed, D(2023, 7, 10), D(2023, 7, 12))
    b.expose(world.handler, filed, D(2023, 7, 8), "市局门户网站")
    records.create_record(world.uow(), "credit_listing", world.handler, dict(
        item_id=filed, date="2023-07-09", list_kind="纳入国家企业信用信息公示系统"), LATER)
    unfiled = b.item(world.handler, pudong, "安全帽", D(2023, 7, 1))
    withdrawn = b.item(world.handler, pudong, "水泥", D(2023, 7, 1))
    other = b.item(world.other_handler, yangpu, "电动自行车", D(2023, 7, 1))
    b.file_case(world.other_leader, other, D(2023, 7, 2))
    records.create_record(world.uow(), "credit_listing", world.other_handler, dict(
        item_id=other, date="2023-07-09", list_kind="严重违法失信名单"), LATER)
    typical(world, world.handler, filed, D(2023, 7, 31))
    typical(world, world.handler, unfiled, D(2023, 7, 1))
    typical(world, world.handler, withdrawn, D(2023, 7, 15), flagged="否")
    typical(world, world.other_handler, other, D(2023, 7, 20))
    typical_outside = b.item(world.handler, pudong, "化肥", D(2023, 7, 1))
    typical(world, world.handler, typical_outside, D(2023, 8, 1))
    return dict(filed=filed, unfiled=unfiled, withdrawn=withdrawn, other=other, outside=typical_outside)


def test_the_ledger_lists_flagged_cases_reported_in_the_period_with_their_standing(any_world):
    ids = build(any_world)
    with Session(any_world.db.reader) as s:
        table = ledger(s, unit_id=any_world.handler.unit_id, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
    rows = {r.item_id: r for r in table.rows}
    assert list(rows) == [ids["unfiled"], ids["filed"]]  # ordered by 报送时间; withdrawn, other unit, August out
    case = rows[ids["filed"]]
    assert case.filed_on == D(2023, 6, 25)  # the FIRST filing
    assert case.exposed == "是（2023年7月8日，市局门户网站）"
    assert case.credit_listed == "是（2023年7月9日）"
    blank = rows[ids["unfiled"]]
    assert blank.filed_on is None and blank.exposed == "否" and blank.credit_listed == "否"
    data = table.to_json()
    assert [c["header"] for c in data["columns"]] == [c.header for c in LEDGER_COLUMNS]
    assert data["unit"] == "上海市浦东新区市场监督管理局"
    assert data["rows"][1]["filed_on"] == "2023-06-25"


def test_the_city_ledger_has_a_unit_column_and_every_units_cases(any_world):
    ids = build(any_world)
    with Session(any_world.db.reader) as s:
        table = ledger(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 8, 1))
    data = table.to_json()
    assert data["columns"][0] == {"key": "unit", "header": "单位"}
    assert {r["item_id"] for r in data["rows"]} == {ids["filed"], ids["unfiled"], ids["other"], ids["outside"]}
    yangpu = next(r for r in data["rows"] if r["item_id"] == ids["other"])
    assert yangpu["unit_label"] == "杨浦区局"
    assert yangpu["credit_listed"] == "是（2023年7月9日列入严重违法失信名单）"


def test_a_reversed_period_is_refused(db):
    with Session(db.reader) as s, pytest.raises(InputInvalid):
        ledger(s, unit_id=None, date_from=D(2023, 8, 1), date_to=D(2023, 7, 1))
