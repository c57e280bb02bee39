"""Activity records: validation through FieldSpecs, unit scoping, updates and lists."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from workflow import records
from db import record_queries
from db.record_models import STORES
from tests.conftest import PUDONG_USCC, YANGPU_USCC
from tests.db.activity_builders import LATER, Builder, at, new_enterprise
from workflow.record_kinds import KINDS
from workflow.errors import Conflict, Forbidden, InputInvalid, NotFound
from workflow.uscc import make_uscc

SAMPLING = dict(enterprise_uscc=PUDONG_USCC, date="2023-07-10", category="电线电缆", level="区级", channel="流通",
                batches_sampled=3, batches_failed=1)


def create(world, kind, actor, **raw):
    return records.create_record(world.uow(), kind, actor, raw, LATER)


# One valid record of every kind, and one field an update changes (item-keyed kinds get the case's item_id).
SAMPLES: dict[str, tuple[dict, tuple[str, object]]] = {
    "risk_information": (dict(date="2023-07-05", category="燃气用品", enterprise_uscc=PUDONG_USCC, channel="投诉举报",
                              title="网络平台反映燃气灶熄火保护失效", summary="经研判存在风险"), ("title", "改后的标题")),
    "risk_monitoring": (dict(date="2023-07-05", category="电线电缆", batches=8, problems_found=2), ("batches", 9)),
    "sampling_inspection": (SAMPLING, ("batches_failed", 2)),
    "assistance": (dict(date="2023-07-05", enterprise_uscc=PUDONG_USCC, category="燃气用品", problems_solved=2,
                        output_value_wan="12.50", notes="上门帮扶"), ("problems_solved", 3)),
    "interview": (dict(date="2023-07-05", enterprise_uscc=PUDONG_USCC, category="燃气用品", reason="抽查不合格"),
                  ("reason", "再次抽查不合格")),
    "exposure": (dict(date="2023-07-05", channel="市局门户网站"), ("channel", "新闻媒体")),
    "credit_listing": (dict(date="2023-07-05", list_kind="严重违法失信名单"), ("date", "2023-07-06")),
    "typical_case": (dict(reported_on="2023-07-05", content="案例内容", progress="已立案"), ("progress", "已结案")),
}


def test_every_kind_is_created_read_updated_and_listed_for_its_unit_only(world):
    assert set(SAMPLES) == set(KINDS), "a new record kind needs a sample here"
    item = _case(world, Builder(world))  # a case filed on 2023-07-03, for the item-keyed kinds
    with Session(world.db.reader) as s:
        before = {key: record_queries.list_records(s, key, world.handler)[0] for key in KINDS}
    assert before == {key: [] for key in KINDS}
    for key, (sample, (field, value)) in SAMPLES.items():
        raw = {**sample, "item_id": item} if KINDS[key].item_keyed else sample
        made = records.create_record(world.uow(), key, world.handler, raw, LATER)
        assert made["unit"]["code"] == "310115" and made["created_by"] == world.handler.user_id, key
        assert made[KINDS[key].date_field] == raw[KINDS[key].date_field], key
        with Session(world.db.reader) as s:
            assert untimed(record_queries.get_record(s, key, world.leader, made["id"])) == untimed(made), key
        changed = records.update_record(world.uow(), key, world.leader, made["id"], {field: value}, LATER)
        assert changed[field] == value and changed["updated_by"] == world.leader.user_id, key
        assert untimed(changed, field, "updated_by") == untimed(made, field, "updated_by"), key
        with Session(world.db.reader) as s:
            mine, _ = record_queries.list_records(s, key, world.handler)
            theirs, _ = record_queries.list_records(s, key, world.other_handler)
            city, _ = record_queries.list_records(s, key, world.supervisor)
        assert [untimed(r) for r in mine] == [untimed(changed)] == [untimed(r) for r in city] and theirs == [], key


def untimed(record: dict, *also: str) -> dict:
    """A record without its timestamps and without the fields named in `also`."""
    return {k: v for k, v in record.items() if k not in ("created_at", "updated_at", *also)}


def test_a_record_reads_back_with_the_timestamps_its_create_returned(world):
    now = LATER.astimezone(dt.timezone.utc)  # what the app's clock gives
    made = records.create_record(world.uow(), "sampling_inspection", world.handler, SAMPLING, now)
    with Session(world.db.reader) as s:
        read = record_queries.get_record(s, "sampling_inspection", world.handler, made["id"])
    assert (read["created_at"], read["updated_at"]) == (made["created_at"], made["updated_at"])


def test_a_sampling_inspection_is_stored_with_its_enterprise_and_unit(world):
    made = records.create_record(world.uow(), "sampling_inspection", world.handler, SAMPLING, LATER)
    assert made["enterprise"]["uscc"] == PUDONG_USCC
    assert made["unit"]["code"] == "310115"
    assert made["batches_failed"] == 1 and made["date"] == "2023-07-10"


def test_more_failed_batches_than_sampled_are_refused(world):
    with pytest.raises(InputInvalid) as refused:
        create(world, "sampling_inspection", world.handler, **{**SAMPLING, "batches_failed": 4})
    assert set(refused.value.fields) == {"batches_failed"}


def test_a_category_outside_the_catalog_is_refused(world):
    with pytest.raises(InputInvalid) as refused:
        create(world, "interview", world.handler, enterprise_uscc=PUDONG_USCC, date="2023-07-10",
               category="玩具", reason="r")
    assert "category" in refused.value.fields


def test_a_category_with_products_needs_one_of_them_on_a_sampling_inspection(world):
    with pytest.raises(InputInvalid) as refused:
        create(world, "sampling_inspection", world.handler, **{**SAMPLING, "category": "燃气用品"})
    assert "sub_product" in refused.value.fields
    made = create(world, "sampling_inspection", world.handler,
                  **{**SAMPLING, "category": "燃气用品", "sub_product": "燃气调压器"})
    assert made["sub_product"] == "燃气调压器"


def test_field_errors_name_every_offending_field(world):
    with pytest.raises(InputInvalid) as refused:
        create(world, "assistance", world.handler, enterprise_uscc=PUDONG_USCC, date="2023-13-01",
               category="水泥", problems_solved=-1, output_value_wan="abc")
    assert set(refused.value.fields) == {"date", "problems_solved", "output_value_wan"}
    assert "万元" in refused.value.fields["output_value_wan"]


def test_a_record_dated_after_today_is_refused(world):
    with pytest.raises(InputInvalid) as refused:
        records.create_record(world.uow(), "risk_monitoring", world.handler,
                                 dict(date="2023-07-11", category="水泥", batches=3, problems_found=0),
                                 at(dt.date(2023, 7, 10)))
    assert "date" in refused.value.fields


def test_an_unknown_or_malformed_enterprise_code_is_invalid_input(world):
    for code in (make_uscc("91310115000000001"), "91310115MA1K4LXXXX"):
        with pytest.raises(InputInvalid) as refused:
            create(world, "sampling_inspection", world.handler, **{**SAMPLING, "enterprise_uscc": code})
        assert "enterprise_uscc" in refused.value.fields


def test_another_units_enterprise_is_forbidden(world):
    with pytest.raises(Forbidden):
        create(world, "sampling_inspection", world.handler, **{**SAMPLING, "enterprise_uscc": YANGPU_USCC})


def test_supervisors_and_admins_read_but_do_not_write(world):
    for actor in (world.supervisor, world.admin):
        with pytest.raises(Forbidden):
            create(world, "sampling_inspection", actor, **SAMPLING)


def test_another_units_record_is_not_found_for_reading_and_updating(world):
    made = create(world, "sampling_inspection", world.handler, **SAMPLING)
    with Session(world.db.reader) as s, pytest.raises(NotFound):
        record_queries.get_record(s, "sampling_inspection", world.other_handler, made["id"])
    with pytest.raises(NotFound):
        records.update_record(world.uow(), "sampling_inspection", world.other_leader, made["id"], {"batches_failed": 0},
                                              LATER)
    with pytest.raises(Forbidden):  # a supervisor sees it but may not change it
        records.update_record(world.uow(), "sampling_inspection", world.supervisor, made["id"], {"batches_failed": 0},
                                              LATER)


def test_an_update_changes_only_the_fields_sent_and_is_validated_again(world):
    made = create(world, "sampling_inspection", world.handler, **SAMPLING)
    changed = records.update_record(world.uow(), "sampling_inspection", world.leader, made["id"], {"batches_sampled": 5},
                                                    LATER)
    assert changed["batches_sampled"] == 5 and changed["batches_failed"] == 1 and changed["channel"] == "流通"
    assert changed["updated_by"] == world.leader.user_id
    with pytest.raises(InputInvalid):
        records.update_record(world.uow(), "sampling_inspection", world.handler, made["id"], {"batches_failed": 6}, LATER)


def _case(world, builder, actor=None, leader=None, filed=True):
    actor, leader = actor or world.handler, leader or world.leader
    firm = new_enterprise(world, "310115" if actor.unit_id == world.handler.unit_id else "310110")
    item = builder.item(actor, firm, "水泥", dt.date(2023, 7, 1))
    if filed:
        builder.file_case(leader, item, dt.date(2023, 7, 3))
    return item


def test_an_exposure_needs_a_filed_case_of_the_own_unit(world):
    b = Builder(world)
    unfiled = _case(world, b, filed=False)
    with pytest.raises(InputInvalid) as refused:
        create(world, "exposure", world.handler, item_id=unfiled, date="2023-07-05", channel="网站")
    assert "item_id" in refused.value.fields
    filed = _case(world, b)
    with pytest.raises(NotFound):
        create(world, "exposure", world.other_handler, item_id=filed, date="2023-07-05", channel="网站")
    with pytest.raises(NotFound):
        create(world, "credit_listing", world.handler, item_id=999999, date="2023-07-05",
               list_kind="纳入国家企业信用信息公示系统")
    made = create(world, "exposure", world.handler, item_id=filed, date="2023-07-05", channel="网站")
    assert made["category"] == "水泥" and made["enterprise"] is not None


def test_a_side_record_may_not_predate_the_hazard(world):
    b = Builder(world)
    filed = _case(world, b)
    with pytest.raises(InputInvalid) as refused:
        create(world, "credit_listing", world.handler, item_id=filed, date="2023-06-30",
               list_kind="严重违法失信名单")
    assert "date" in refused.value.fields


def test_an_item_has_at_most_one_typical_case_which_can_be_withdrawn(world):
    b = Builder(world)
    item = _case(world, b)
    made = create(world, "typical_case", world.handler, item_id=item, reported_on="2023-07-20",
                  content="案例内容", progress="已立案")
    assert made["flagged"] is True
    with pytest.raises(Conflict):
        create(world, "typical_case", world.handler, item_id=item, reported_on="2023-07-21", content="x",
               progress="y")
    withdrawn = records.update_record(world.uow(), "typical_case", world.handler, made["id"], {"flagged": False}, LATER)
    assert withdrawn["flagged"] is False
    with pytest.raises(InputInvalid):
        records.update_record(world.uow(), "typical_case", world.handler, made["id"], {"item_id": item + 1}, LATER)


def test_lists_are_scoped_newest_first_and_paged_by_cursor(world):
    for day in range(1, 8):
        create(world, "risk_information", world.handler, date=f"2023-07-{day:02d}", category="水泥",
               channel="日常监管", title=f"t{day}", summary="s")
    create(world, "risk_information", world.other_handler, date="2023-07-04", category="水泥",
           channel="日常监管", title="yangpu", summary="s")
    with Session(world.db.reader) as s:
        page, cursor = record_queries.list_records(s, "risk_information", world.handler, limit=3)
        assert [r["title"] for r in page] == ["t7", "t6", "t5"] and cursor
        rest, end = record_queries.list_records(s, "risk_information", world.handler, cursor=cursor, limit=50)
        assert [r["title"] for r in rest] == ["t4", "t3", "t2", "t1"] and end is None
        window, _ = record_queries.list_records(s, "risk_information", world.handler, date_from=dt.date(2023, 7, 2),
                                                     date_to=dt.date(2023, 7, 3))
        assert [r["title"] for r in window] == ["t3", "t2"]
        everything, _ = record_queries.list_records(s, "risk_information", world.supervisor, limit=200)
        assert len(everything) == 8
        yangpu, _ = record_queries.list_records(s, "risk_information", world.supervisor, unit_id=world.other_handler.unit_id)
        assert [r["title"] for r in yangpu] == ["yangpu"]
        with pytest.raises(NotFound):
            record_queries.list_records(s, "risk_information", world.handler, unit_id=world.other_handler.unit_id)
        with pytest.raises(InputInvalid):
            record_queries.list_records(s, "risk_information", world.handler, limit=0)
        with pytest.raises(InputInvalid):
            record_queries.list_records(s, "risk_information", world.handler, cursor="garbage")


def test_the_migration_creates_the_activity_tables_exactly_as_the_models_describe_them(any_db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    mine = {store.table.__tablename__ for store in STORES.values()} | {"report_submission"}

    def concerns_mine(diff) -> bool:
        if isinstance(diff, list):
            return any(concerns_mine(d) for d in diff)
        for part in diff[1:]:
            table = getattr(part, "table", None)
            name = getattr(part, "name", None) if table is None else getattr(table, "name", None)
            if name in mine or (isinstance(part, str) and part in mine):
                return True
        return False

    with any_db.writer.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, SQLModel.metadata) if concerns_mine(d)]
    assert diffs == []
