"""Campaigns as data (DESIGN §9.6), on SQLite and PostgreSQL.

A 2024 campaign file (tests/db/campaign_2024.json: 老年用品 renamed, 锂离子电池 added, 电动自行车 the priority
category, 案值 removed and 约谈 moved in 附件2, a 3-in-3-years special-inspection rule, period 2024-05-01…11-30)
is loaded beside the 2023 campaign: every 2023 figure (附件2, 附件1, 问题清单) stays what it was, records dated in
2024 belong to 2024, and the 2024 reports use the 2024 catalog and columns. Also: `hazardtrack load-campaign`
(a bad file names its fields and loads nothing; the same file twice changes nothing), `report --campaign`,
`/api/v1/reports/{kind}?campaign=`, the demo beside two campaigns, migration 0005, and /api/v1/overdue with the
priority category first across pages.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from litestar.testing import TestClient
from sqlalchemy import inspect, select, text, update
from sqlmodel import Session

from workflow import records
from db.campaigns import campaign_by_key, campaign_of_date, priority_category, rules_of
from db.models import Campaign, Category, HazardItem, ReportSubmission, User
from db.record_models import RiskInformation, SamplingInspection, TypicalCase
from db.reference import load_campaign_file, read_campaign
from db.special_inspections import special_inspection_candidates
from workflow.special_inspections import register_special_inspection
from db.statistics import statistics
from workflow.submissions import submit_report
from db.supervision import overdue_items
from db.uow import SqlUnitOfWork
from tests.conftest import World
from tests.db.activity_builders import LATER, Builder, at, generate, new_enterprise
from web import cli
from web.reports import render_report
from workflow.clock import SHANGHAI, FixedClock
from workflow.errors import InputInvalid
from workflow.statistics_columns import STAT_COLUMNS

D = dt.date
HERE = Path(__file__).parent
FILE_2024 = HERE / "campaign_2024.json"
FILE_2023 = HERE.parents[1] / "db" / "reference" / "campaign_2023.json"
NOW_2024 = dt.datetime(2024, 12, 1, 10, 0, tzinfo=SHANGHAI)  # "now" for records dated in 2024
KEYS_2024 = ["risk_information", "monitoring_batches", "monitoring_problems", "sampled_enterprises",
             "sampled_batches", "failed_batches", "cases_filed", "fines", "cases_transferred", "cases_exposed",
             "interviewed_enterprises", "assisted_enterprises", "problems_solved", "output_value"]


def load_2024(database) -> dict[str, int]:
    """What `hazardtrack load-campaign tests/db/campaign_2024.json` does: one unit of work, one commit."""
    with SqlUnitOfWork(database) as uow:
        added = load_campaign_file(uow.session, FILE_2024)
        uow.commit()
    return added


def table_counts(database) -> dict[str, int]:
    with Session(database.reader) as s:
        names = inspect(database.reader).get_table_names()
        return {n: s.execute(text(f'select count(*) from "{n}"')).scalar_one() for n in names}


def report(database, kind: str, start: dt.date, end: dt.date, *, unit=None, campaign: str | None = None) -> dict:
    """A report's JSON through the dispatch the API, the pages and the CLI share."""
    with Session(database.reader) as s:
        chosen = campaign_by_key(s, campaign) if campaign else None
        return json.loads(render_report(s, kind, unit, start, end, "json", today=end, campaign=chosen))


def figures_2023(world: World) -> dict[str, dict]:
    """Every 2023 figure: 附件2, 附件1 and 问题清单 for the city and each unit, for the campaign's period, July and
    a period straddling month ends — picked by date (the campaign of the period's first day) and by name."""
    with Session(world.db.reader) as s:
        from db.models import Unit

        units = [None, *s.execute(select(Unit).where(Unit.code.in_(["310115", "310110"]))
                                  .order_by(Unit.code)).scalars()]
    result = {}
    for start, end in ((D(2023, 6, 1), D(2023, 10, 31)), (D(2023, 7, 1), D(2023, 7, 31)),
                       (D(2023, 6, 30), D(2023, 8, 1))):
        for unit in units:
            for kind in ("statistics", "ledger", "issues"):
                for named in (None, "campaign_2023"):
                    key = f"{kind} {unit.code if unit else 'city'} {start}…{end} {named or 'by date'}"
                    result[key] = report(world.db, kind, start, end, unit=unit, campaign=named)
    return result


def typical_cases_2023(b: Builder, world: World) -> None:
    """附件1 needs typical cases (and 信用公示 for its last column): two 2023 cases of 浦东."""
    filed = [i for i, v in b.log.items.items() if v["unit"] == world.handler.unit_id][:2]
    for n, item_id in enumerate(filed):
        records.create_record(world.uow(), "typical_case", world.handler, dict(
            item_id=item_id, reported_on=f"2023-07-2{n}", content=f"2023年典型案例{n}", progress="已立案"), LATER)
    records.create_record(world.uow(), "credit_listing", world.handler, dict(
        item_id=filed[0], date="2023-08-30", list_kind="纳入国家企业信用信息公示系统"), LATER)


# --- the test ---------------------------------------------------------------------------------------------------


def test_a_2024_campaign_changes_no_2023_figure_and_reports_2024_on_its_own_catalog(any_world):
    world = any_world
    b = generate(world)
    typical_cases_2023(b, world)
    before = figures_2023(world)
    assert before["statistics city 2023-06-01…2023-10-31 by date"]["total"]["values"][0] > 0  # real figures

    added = load_2024(world.db)
    assert added == {"campaigns": 1, "categories": 21, "terms": 16}
    assert figures_2023(world) == before

    # Records dated in 2024 belong to 2024 and are checked against its catalog.
    firm = new_enterprise(world, "310115", "上海锂电测试有限公司")
    made = [
        records.create_record(world.uow(), "risk_information", world.handler, dict(
            date="2024-06-03", category="锂离子电池", channel="投诉举报", title="锂电池起火", summary="研判有风险"),
            NOW_2024),
        records.create_record(world.uow(), "sampling_inspection", world.handler, dict(
            date="2024-06-04", enterprise_uscc=firm[1], category="老年用品和适老化产品", sub_product="电热毯",
            level="区级", channel="流通", batches_sampled=5, batches_failed=2), NOW_2024),
        records.create_record(world.uow(), "interview", world.handler, dict(
            date="2024-06-05", enterprise_uscc=firm[1], category="锂离子电池", reason="抽查不合格"), NOW_2024),
        records.create_record(world.uow(), "assistance", world.handler, dict(
            date="2024-06-06", enterprise_uscc=firm[1], category="锂离子电池", problems_solved=3,
            output_value_wan="12.34", notes="上门帮扶"), NOW_2024),
    ]
    with pytest.raises(InputInvalid) as refused:  # 老年用品 is not a category of the 2024 catalog …
        records.create_record(world.uow(), "risk_information", world.handler, dict(
            date="2024-06-03", category="老年用品", channel="投诉举报", title="t", summary="s"), NOW_2024)
    assert "category" in refused.value.fields
    with pytest.raises(InputInvalid):  # … and 锂离子电池 none of the 2023 catalog
        records.create_record(world.uow(), "risk_information", world.handler, dict(
            date="2023-07-03", category="锂离子电池", channel="投诉举报", title="t", summary="s"), LATER)
    item = b.item(world.handler, firm, "电动自行车", D(2024, 6, 3))
    b.file_case(world.leader, item, D(2024, 6, 10))
    b.close_case(world.leader, item, D(2024, 6, 20), "20000.00", "30000.00")
    records.create_record(world.uow(), "exposure", world.handler, dict(
        item_id=item, date="2024-06-22", channel="市局门户网站"), NOW_2024)
    records.create_record(world.uow(), "typical_case", world.handler, dict(
        item_id=item, reported_on="2024-06-25", content="2024年典型案例", progress="已结案"), NOW_2024)
    with Session(world.db.reader) as s:
        c2023, c2024 = campaign_by_key(s, "campaign_2023").id, campaign_by_key(s, "campaign_2024").id
        assert s.get(HazardItem, item).campaign_id == c2024
        assert {s.get(RiskInformation, made[0]["id"]).campaign_id,
                s.get(SamplingInspection, made[1]["id"]).campaign_id} == {c2024}
        assert {c.campaign_id for c in s.execute(select(TypicalCase)).scalars()} == {c2023, c2024}
        assert {i.campaign_id for i in s.execute(select(HazardItem).where(HazardItem.id != item)).scalars()} == {c2023}

    # A monthly 2024 submission freezes 2024's tables; a late 2023 one, submitted during 2024, 2023's.
    june = submit_report(world.uow(), world.leader, "monthly-2024-06-30", at(D(2024, 6, 30), 16))
    late = submit_report(world.uow(), world.leader, "monthly-2023-07-31", at(D(2024, 6, 30), 17))
    with Session(world.db.reader) as s:
        frozen_june, frozen_late = (s.get(ReportSubmission, r["id"]) for r in (june, late))
        assert (frozen_june.campaign_id, frozen_late.campaign_id) == (c2024, c2023)
        assert [c["key"] for c in frozen_june.frozen["statistics"]["columns"]] == KEYS_2024
        assert [c["key"] for c in frozen_late.frozen["statistics"]["columns"]] == [c.key for c in STAT_COLUMNS]
        assert frozen_late.frozen["statistics"] == before["statistics 310115 2023-07-01…2023-07-31 by date"]

    # Every 2023 figure is still what it was.
    assert figures_2023(world) == before

    # The 2024 reports: the 2024 catalog (rows), the 2024 columns, the 2024 records and items only.
    own = report(world.db, "statistics", D(2024, 5, 1), D(2024, 11, 30))
    assert own == report(world.db, "statistics", D(2024, 5, 1), D(2024, 11, 30), campaign="campaign_2024")
    assert own["campaign"] == "campaign_2024"
    assert [c["key"] for c in own["columns"]] == KEYS_2024
    assert next(c for c in own["columns"] if c["key"] == "cases_exposed")["lines"] == ["依法曝光", "案件", "（起）"]
    assert [g for g in dict.fromkeys(c["group"] for c in own["columns"])][-2:] == ["约谈", "质量技术帮扶"]
    categories = [r["category"] for r in own["rows"]]
    assert len(categories) == 21 and categories[-1] == "锂离子电池"
    assert "老年用品和适老化产品" in categories and "老年用品" not in categories
    value = {(r["category"], c["key"]): v for r in own["rows"] for c, v in zip(own["columns"], r["values"])}
    total = dict(zip(KEYS_2024, own["total"]["values"]))
    assert value["锂离子电池", "risk_information"] == 1 and value["锂离子电池", "interviewed_enterprises"] == 1
    assert value["锂离子电池", "output_value"] == 12.34 and value["锂离子电池", "problems_solved"] == 3
    assert value["老年用品和适老化产品", "sampled_batches"] == 5 and value["老年用品和适老化产品", "failed_batches"] == 2
    assert value["电动自行车", "cases_filed"] == 1 and value["电动自行车", "fines"] == 2.0
    assert value["电动自行车", "cases_exposed"] == 1
    assert total == {**{k: 0 for k in KEYS_2024}, "risk_information": 1, "sampled_enterprises": 1,
                     "sampled_batches": 5, "failed_batches": 2, "cases_filed": 1, "fines": 2.0, "cases_exposed": 1,
                     "interviewed_enterprises": 1, "assisted_enterprises": 1, "problems_solved": 3,
                     "output_value": 12.34}
    cases = report(world.db, "ledger", D(2024, 5, 1), D(2024, 11, 30))
    assert [r["item_id"] for r in cases["rows"]] == [item] and cases["campaign"] == "campaign_2024"
    issues = report(world.db, "issues", D(2024, 5, 1), D(2024, 11, 30))
    assert [r["id"] for r in issues["items"]] == [item]
    # A period's first day picks its campaign: a period beginning in 2024 is 2024's, one beginning in 2023 is 2023's
    # (and then counts no 2024 record, whatever dates it covers).
    assert report(world.db, "statistics", D(2024, 6, 1), D(2024, 6, 30))["campaign"] == "campaign_2024"
    spanning = report(world.db, "statistics", D(2023, 6, 1), D(2024, 11, 30))
    assert spanning["campaign"] == "campaign_2023" and len(spanning["rows"]) == 20
    assert "锂离子电池" not in [r["category"] for r in spanning["rows"]]
    assert dict(zip([c["key"] for c in spanning["columns"]], spanning["total"]["values"]))["cases_filed"] == \
        dict(zip([c["key"] for c in before["statistics city 2023-06-01…2023-10-31 by date"]["columns"]],
                 before["statistics city 2023-06-01…2023-10-31 by date"]["total"]["values"]))["cases_filed"]

    # The printed 附件2 of 2024 has its 14 columns, 约谈 before 质量技术帮扶, no 案值.
    with Session(world.db.reader) as s:
        xlsx = render_report(s, "statistics", None, D(2024, 5, 1), D(2024, 11, 30), "xlsx", today=D(2024, 12, 1),
                             campaign=campaign_by_key(s, "campaign_2024"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    groups = [c.value for c in sheet[4] if c.value]
    headers = [str(c.value).replace("\n", "") for c in sheet[5] if c.value]
    assert groups[-2:] == ["约谈", "质量技术帮扶"] and "案值（万元）" not in headers and len(headers) == 14
    assert "依法曝光案件（起）" in headers

    # A 2023 case closed in 2024 stays a 2023 case: 2024's 附件2 does not count its fine.
    old_case = next(i for i, v in b.log.items.items() if i != item and v["category"] == "电动自行车")
    with Session(world.db.reader) as s:
        state = s.get(HazardItem, old_case).state
    if state != "closed":
        b.close_case(world.leader, old_case, D(2024, 6, 21), "99999.00", "1.00", transferred=state == "transferred")
    assert report(world.db, "statistics", D(2024, 5, 1), D(2024, 11, 30))["total"] == own["total"]
    assert report(world.db, "statistics", D(2023, 6, 1), D(2023, 10, 31)) == \
        before["statistics city 2023-06-01…2023-10-31 by date"]


def test_what_is_special_to_a_campaign_comes_from_its_file(any_world):
    world = any_world
    load_2024(world.db)
    with Session(world.db.reader) as s:
        assert priority_category(s, D(2023, 7, 1)) == "燃气用品"
        assert priority_category(s, D(2024, 7, 1)) == "电动自行车"
        assert priority_category(s, D(2024, 2, 1)) == "燃气用品"  # between campaigns: still 2023's
        r2023, r2024 = (rules_of(campaign_by_key(s, k)) for k in ("campaign_2023", "campaign_2024"))
    assert r2023.cited_title == "《关于开展2023年度重点工业产品质量安全隐患排查治理专项行动的通知》"
    assert (r2023.special_inspection.window_years, r2023.special_inspection.min_failures) == (2, 2)
    assert (r2024.special_inspection.window_years, r2024.special_inspection.min_failures) == (3, 3)
    assert r2023.statistics_columns == STAT_COLUMNS

    # The special-inspection rule of 2024: two failures no longer flag an enterprise, three do; the registered
    # item takes the 2024 rule's problem type and quotes the 2024 notice.
    firm = new_enterprise(world, "310115", "上海三次不合格电热毯有限公司")

    def fail(day: dt.date) -> None:
        records.create_record(world.uow(), "sampling_inspection", world.handler, dict(
            date=day.isoformat(), enterprise_uscc=firm[1], category="老年用品和适老化产品", sub_product="电热毯",
            level="区级", channel="流通", batches_sampled=3, batches_failed=1), NOW_2024)

    fail(D(2024, 5, 10))
    fail(D(2024, 6, 10))
    with Session(world.db.reader) as s:
        assert special_inspection_candidates(s, world.handler, reference=D(2024, 7, 1)) == []
        assert [f.enterprise_id for f in special_inspection_candidates(
            s, world.handler, reference=D(2024, 7, 1), rule=r2023.special_inspection)] == [firm[0]]
    fail(D(2024, 6, 20))
    outcome = register_special_inspection(world.uow(), world.handler, firm[0], at(D(2024, 7, 1)))
    with Session(world.db.reader) as s:
        registered = s.get(HazardItem, outcome.item_id)
        assert registered.campaign_id == campaign_by_key(s, "campaign_2024").id
    assert registered.problem_type == "不符合强制性国家标准" and registered.source == "监督抽查"
    assert "三年内监督抽查不合格3次" in registered.facts
    assert "《关于开展2024年度重点工业产品质量安全隐患排查治理专项行动的通知》“对3年内3次及以上" in registered.facts


def test_a_record_moved_to_a_date_of_another_campaign_moves_to_that_campaign(any_world):
    world = any_world
    load_2024(world.db)
    made = records.create_record(world.uow(), "risk_information", world.handler, dict(
        date="2023-12-15", category="燃气用品", channel="投诉举报", title="t", summary="s"), NOW_2024)
    with Session(world.db.reader) as s:  # after 2023's end, before 2024's start: still 2023's
        assert s.get(RiskInformation, made["id"]).campaign_id == campaign_by_key(s, "campaign_2023").id
    records.update_record(world.uow(), "risk_information", world.handler, made["id"], {"date": "2024-06-01"},
                             NOW_2024)
    with Session(world.db.reader) as s:
        assert s.get(RiskInformation, made["id"]).campaign_id == campaign_by_key(s, "campaign_2024").id
    assert report(world.db, "statistics", D(2024, 5, 1), D(2024, 11, 30))["total"]["values"][0] == 1


def test_the_demo_loads_beside_two_campaigns(any_db):
    from demo import load_demo

    load_2024(any_db)
    summary = load_demo(any_db, today=D(2024, 9, 1), items_per_unit=4, enterprises_per_unit=4)
    assert not summary.skipped and summary.items == 19 * 4 and summary.activities["report_submission"] > 0
    with Session(any_db.reader) as s:
        c2024 = campaign_by_key(s, "campaign_2024")
        catalogs = {c.id: set(s.execute(select(Category.name).where(Category.campaign_id == c.id)).scalars())
                    for c in s.execute(select(Campaign)).scalars()}
        items = list(s.execute(select(HazardItem)).scalars())
        for i in items:
            assert i.category in catalogs[i.campaign_id]
            assert i.campaign_id == campaign_of_date(s, i.found_on).id
        assert {i.campaign_id for i in items} == {c2024.id}
        assert "电动自行车" in {i.category for i in items}  # the 2024 priority category, every fifth item
        deadlines = {r.campaign_id for r in s.execute(select(ReportSubmission)).scalars()}
        assert deadlines == {c2024.id}
        for record in s.execute(select(SamplingInspection)).scalars():
            assert record.campaign_id == campaign_of_date(s, record.date).id
            assert record.category in catalogs[record.campaign_id]
    table = report(any_db, "statistics", D(2024, 5, 1), D(2024, 11, 30))
    assert sum(table["total"]["values"]) > 0 and len(table["rows"]) == 21
    assert load_demo(any_db, today=D(2024, 9, 1)).skipped


# --- the command line ---------------------------------------------------------------------------------------------


def run(database, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """`hazardtrack ARGS` in this process, against `database`."""
    monkeypatch.setenv("HAZARDTRACK_DATABASE_URL", database.url)
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def bad_2024(tmp_path: Path, change) -> Path:
    data = json.loads(FILE_2024.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "campaign_bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_load_campaign_refuses_a_bad_file_naming_each_field_and_loads_nothing(any_db, monkeypatch, capsys, tmp_path):
    before = table_counts(any_db)

    def break_it(data):
        data["period"]["start"] = "2024-13-01"
        data["statistics_columns"][1]["key"] = "recalls"
        data["priority_category"]["name"] = "电动滑板车"
        data["special_inspection"]["problem_type"] = "无此问题"
        del data["categories"][2]["name"]
        data["statistics_columns"][-1]["group"] = "风险监测"  # 风险监测's columns must stay side by side

    code, out, err = run(any_db, monkeypatch, capsys, "load-campaign", str(bad_2024(tmp_path, break_it)))
    assert code == 1 and "未载入" in err
    for field in ("period.start", "statistics_columns[1].key", "priority_category.name",
                  "special_inspection.problem_type", "categories[2].name", "statistics_columns[13].group"):
        assert f"  {field}：" in err, field
    assert "recalls" in err and "本系统只会统计" in err and "YYYY-MM-DD" in err
    assert table_counts(any_db) == before

    broken = tmp_path / "broken.json"
    broken.write_text('{"key": "x",', encoding="utf-8")
    code, _, err = run(any_db, monkeypatch, capsys, "load-campaign", str(broken))
    assert code == 1 and "不是有效的 JSON" in err and "第 1 行" in err
    code, _, err = run(any_db, monkeypatch, capsys, "load-campaign", str(tmp_path / "missing.json"))
    assert code == 1 and "找不到文件" in err
    assert table_counts(any_db) == before


def test_load_campaign_twice_changes_nothing_and_a_loaded_campaign_cannot_be_rewritten(any_db, monkeypatch, capsys,
                                                                                       tmp_path):
    code, out, _ = run(any_db, monkeypatch, capsys, "load-campaign", str(FILE_2024))
    assert code == 0 and "已载入专项行动" in out
    after_first = table_counts(any_db)
    code, out, _ = run(any_db, monkeypatch, capsys, "load-campaign", str(FILE_2024))
    assert code == 0 and "无需更改" in out
    assert table_counts(any_db) == after_first
    code, out, _ = run(any_db, monkeypatch, capsys, "load-campaign", str(FILE_2023))  # the repo's own: same
    assert code == 0 and "无需更改" in out

    def rename(data):
        data["categories"][0]["name"] = "危险化学品（含气体）"

    code, _, err = run(any_db, monkeypatch, capsys, "load-campaign", str(bad_2024(tmp_path, rename)))
    assert code == 1 and "  key：" in err and "categories" in err

    def overlap(data):
        data["key"] = "campaign_2024b"
        data["period"] = {"start": "2024-11-01", "end": "2025-03-31"}

    code, _, err = run(any_db, monkeypatch, capsys, "load-campaign", str(bad_2024(tmp_path, overlap)))
    assert code == 1 and "  period：" in err and "重叠" in err
    assert table_counts(any_db) == after_first

    def no_key(data):
        del data["key"]
        data["period"] = {"start": "2025-05-01", "end": "2025-11-30"}

    code, _, _ = run(any_db, monkeypatch, capsys, "load-campaign", str(bad_2024(tmp_path, no_key)))
    assert code == 0
    with Session(any_db.reader) as s:  # without `key`, the file's stem
        assert campaign_by_key(s, "campaign_bad").starts_on == D(2025, 5, 1)


def test_cli_reports_pick_the_campaign_named_or_that_of_the_period(any_world, monkeypatch, capsys, tmp_path):
    load_2024(any_world.db)
    output = tmp_path / "out.json"
    code, _, err = run(any_world.db, monkeypatch, capsys, "report", "statistics", "--campaign", "campaign_2024",
                       "--format", "json", "--output", str(output))
    assert code == 0, err
    data = json.loads(output.read_text(encoding="utf-8"))
    assert (data["from"], data["to"], data["campaign"]) == ("2024-05-01", "2024-11-30", "campaign_2024")
    assert [c["key"] for c in data["columns"]] == KEYS_2024
    code, _, _ = run(any_world.db, monkeypatch, capsys, "report", "statistics", "--from", "2023-07-01", "--to",
                     "2023-07-31", "--format", "json", "--output", str(output))
    assert code == 0 and json.loads(output.read_text(encoding="utf-8"))["campaign"] == "campaign_2023"
    code, _, err = run(any_world.db, monkeypatch, capsys, "report", "ledger", "--campaign", "campaign_1999",
                       "--format", "json", "--output", str(output))
    assert code == 2 and "campaign_1999" in err


# --- migration 0005: an existing database gets the 2023 values ---------------------------------------------------


def test_migration_0005_gives_an_existing_campaign_the_2023_rules(any_db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from db.migrate import alembic_config, upgrade
    from alembic import command

    command.downgrade(alembic_config(any_db.url), "0004")
    with any_db.writer.begin() as connection:
        assert "rules" not in {c["name"] for c in inspect(connection).get_columns("campaign")}
    upgrade(any_db.url)
    with Session(any_db.reader) as s:
        stored = s.execute(select(Campaign)).scalars().one().rules
    assert stored == read_campaign(FILE_2023).rules.to_json()
    def on_campaign(diff) -> bool:  # ("add_column", schema, "campaign", …) or [("modify_type", schema, "campaign", …)]
        if isinstance(diff, list):
            return any(on_campaign(d) for d in diff)
        table = getattr(diff[-1], "table", None)
        return "campaign" in (getattr(table, "name", None), diff[2] if len(diff) > 2 else None)

    with any_db.writer.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, SQLModel.metadata) if on_campaign(d)]
    assert diffs == []  # the table is as db.models.Campaign describes it


# --- /api/v1/overdue: the priority category first, keyset-paged -------------------------------------------------


def make_app(world: World, data_dir: Path, day: dt.date):
    from workflow.accounts import hash_password
    from web.app import create_app
    from web.settings import Settings

    with Session(world.db.writer) as s:
        s.execute(update(User).values(password_hash=hash_password("correct-horse-battery")))
        s.commit()
    settings = Settings(secret_key="test-secret-key-0123456789abcdef", data_dir=data_dir, secure_cookies=False)
    return create_app(database=world.db, settings=settings,
                      clock=FixedClock(dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI)))


def token(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": "correct-horse-battery"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def all_pages(client: TestClient, headers: dict[str, str], limit: int, query: str = "") -> list[dict]:
    items, cursor, pages = [], None, 0
    while True:
        url = f"/api/v1/overdue?limit={limit}{query}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items if pages > 1 else pytest.fail("expected more than one page")


def overdue_world(world: World) -> dict[int, str]:
    """Overdue items of both units, found on a few days (so that deadlines tie), of four categories."""
    b = Builder(world)
    firms = {world.handler: new_enterprise(world, "310115"), world.other_handler: new_enterprise(world, "310110")}
    plan = [("电动自行车", 3), ("燃气用品", 5), ("安全帽", 3), ("燃气用品", 3), ("电动自行车", 4), ("燃气用品", 3),
            ("消防产品", 4), ("燃气用品", 6), ("电动自行车", 5), ("安全帽", 5), ("燃气用品", 4)]
    made = {}
    for n, (category, day) in enumerate(plan):
        handler = world.handler if n % 3 else world.other_handler
        made[b.item(handler, firms[handler], category, D(2023, 7, day))] = category
    return made


def expected_order(world: World, day: dt.date, ids) -> list[int]:
    with Session(world.db.reader) as s:
        rows = s.execute(select(HazardItem).where(HazardItem.id.in_(list(ids)))).scalars().all()
        first = priority_category(s, day)
    return [i.id for i in sorted(rows, key=lambda i: (i.category != first, i.deadline, i.id))]


def test_overdue_puts_the_priority_category_first_on_every_page(any_world, tmp_path):
    world = any_world
    made = overdue_world(world)
    day = D(2023, 8, 21)
    with TestClient(app=make_app(world, tmp_path, day)) as client:
        supervisor = token(client, "city.supervisor")
        listed = all_pages(client, supervisor, limit=3)
        ids = [i["id"] for i in listed]
        assert ids == expected_order(world, day, made)
        assert [made[i] for i in ids][:5] == ["燃气用品"] * 5 and "燃气用品" not in [made[i] for i in ids][5:]
        with Session(world.db.reader) as s:  # the supervisor page's order
            rows, total = overdue_items(s, world.supervisor, day)
        assert [r[0].id for r in rows] == ids and total == len(made)
        # a handler sees their own unit's, in the same order, over pages of one
        handler = token(client, "pd.handler")
        own = [i["id"] for i in all_pages(client, handler, limit=1)]
        assert own == [i for i in ids if i in own] and len(own) == sum(1 for n in range(len(made)) if n % 3)
        forged = client.get("/api/v1/overdue?cursor=WzIsIjIwMjMtMDctMDEiLDFd", headers=handler)  # rank 2
        assert forged.status_code == 422


def test_the_api_reports_and_overdue_follow_the_campaign(any_world, tmp_path):
    world = any_world
    made = overdue_world(world)
    load_2024(world.db)
    day = D(2024, 7, 15)  # 2024's campaign: 电动自行车 first
    with TestClient(app=make_app(world, tmp_path, day)) as client:
        supervisor = token(client, "city.supervisor")
        ids = [i["id"] for i in all_pages(client, supervisor, limit=4)]
        assert ids == expected_order(world, day, made)
        assert [made[i] for i in ids][:3] == ["电动自行车"] * 3
        own = client.get("/api/v1/reports/statistics", headers=supervisor).json()  # today's campaign, its period
        assert (own["campaign"], own["from"], own["to"]) == ("campaign_2024", "2024-05-01", "2024-11-30")
        assert [c["key"] for c in own["columns"]] == KEYS_2024
        named = client.get("/api/v1/reports/statistics?campaign=campaign_2023", headers=supervisor).json()
        assert (named["campaign"], named["from"], named["to"]) == ("campaign_2023", "2023-06-01", "2023-10-31")
        assert [c["key"] for c in named["columns"]] == [c.key for c in STAT_COLUMNS]
        by_date = client.get("/api/v1/reports/statistics?from=2023-07-01&to=2023-07-31", headers=supervisor).json()
        assert by_date["campaign"] == "campaign_2023"
        with Session(world.db.reader) as s:
            assert by_date == statistics(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31)).to_json()
        ledger_2023 = client.get("/api/v1/reports/ledger?campaign=campaign_2023&unit=310115", headers=supervisor)
        assert ledger_2023.status_code == 200 and ledger_2023.json()["campaign"] == "campaign_2023"
        issues = client.get("/api/v1/reports/issue-list?campaign=campaign_2023", headers=supervisor).json()
        assert sorted(i["id"] for i in issues["items"]) == sorted(made)
        assert client.get("/api/v1/reports/issue-list", headers=supervisor).json()["items"] == []
        assert client.get("/api/v1/reports/statistics?campaign=nope", headers=supervisor).status_code == 404
        status = client.get("/api/v1/reporting-status", headers=supervisor).json()
        assert status["campaign"] == "campaign_2024" and status["deadlines"][0]["key"] == "monthly-2024-05-31"
        client.get("/login")
        signed_in = client.post("/login", data={"username": "city.supervisor", "password": "correct-horse-battery",
                                                "next": "/", "_csrf_token": client.cookies.get("csrftoken")},
                                follow_redirects=False)
        assert signed_in.status_code == 303, signed_in.text
        page = client.get("/supervision")
        assert page.status_code == 200 and "电动自行车优先" in page.text and "燃气用品优先" not in page.text
        assert "3年内3次及以上监督抽查不合格" in page.text
