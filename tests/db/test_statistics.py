"""附件2 figures: every column against an independent count in Python, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlmodel import Session

from db.statistics import statistics
from tests.db.activity_builders import CATEGORIES, Builder, generate, new_enterprise
from workflow.statistics_columns import STAT_COLUMNS
from workflow.errors import InputInvalid

D = dt.date
KEYS = [c.key for c in STAT_COLUMNS]
CENT = Decimal("0.01")


# --- an independent count ------------------------------------------------------------------------------------


def _wan(amount: Decimal) -> Decimal:
    return (amount / 10000).quantize(CENT, rounding=ROUND_HALF_UP)


def expected(log, unit_id, date_from, date_to):
    """The 15 figures per category and 合计, counted from the builder's log by the rules of DESIGN §5."""

    def in_period(day):
        return date_from <= day <= date_to

    def mine(unit):
        return unit_id is None or unit == unit_id

    recs = [r for r in log.records if mine(r["unit"])]
    rows = {}
    for cat in CATEGORIES:
        r = [x for x in recs if x.get("category") == cat and "date" in x and in_period(x["date"])]
        of = lambda kind: [x for x in r if x["kind"] == kind]  # noqa: E731
        items = {i: v for i, v in log.items.items() if v["category"] == cat and mine(v["unit"])}
        first = {}
        for ev in log.events:
            if ev["item_id"] in items and ev["event"] in ("file_case", "transfer_to_judiciary"):
                key = (ev["item_id"], ev["event"])
                first[key] = min(first.get(key, ev["date"]), ev["date"])
        closings = [e for e in log.events if e["item_id"] in items and e["event"] == "close_case"
                    and in_period(e["date"])]
        exposed = {x["item_id"] for x in log.records if x["kind"] == "exposure" and x["item_id"] in items
                   and in_period(x["date"])}
        rows[cat] = {
            "risk_information": len(of("risk_information")),
            "monitoring_batches": sum(x["batches"] for x in of("risk_monitoring")),
            "monitoring_problems": sum(x["problems_found"] for x in of("risk_monitoring")),
            "sampled_enterprises": len({x["enterprise_id"] for x in of("sampling_inspection")}),
            "sampled_batches": sum(x["batches_sampled"] for x in of("sampling_inspection")),
            "failed_batches": sum(x["batches_failed"] for x in of("sampling_inspection")),
            "cases_filed": sum(1 for (i, e), d in first.items() if e == "file_case" and in_period(d)),
            "fines": _wan(sum((e["fine"] for e in closings), Decimal(0))),
            "case_value": _wan(sum((e["value"] for e in closings), Decimal(0))),
            "cases_transferred": sum(1 for (i, e), d in first.items() if e == "transfer_to_judiciary" and in_period(d)),
            "cases_exposed": len(exposed),
            "assisted_enterprises": len({x["enterprise_id"] for x in of("assistance")}),
            "problems_solved": sum(x["problems_solved"] for x in of("assistance")),
            "output_value": sum((Decimal(x["output_value_wan"]) for x in of("assistance")), Decimal("0.00")),
            "interviewed_enterprises": len({x["enterprise_id"] for x in of("interview")}),
        }
    total = {k: sum(rows[c][k] for c in CATEGORIES) for k in KEYS}
    for key, kind in (("sampled_enterprises", "sampling_inspection"), ("assisted_enterprises", "assistance"),
                      ("interviewed_enterprises", "interview")):
        total[key] = len({x["enterprise_id"] for x in recs if x["kind"] == kind and in_period(x["date"])})
    return rows, total


PERIODS = [
    (D(2023, 7, 1), D(2023, 7, 31)),
    (D(2023, 6, 30), D(2023, 6, 30)),
    (D(2023, 7, 31), D(2023, 8, 1)),
    (D(2023, 6, 1), D(2023, 8, 31)),
]


def check(database, log, unit_id, date_from, date_to):
    with Session(database.reader) as s:
        table = statistics(s, unit_id=unit_id, date_from=date_from, date_to=date_to)
    rows, total = expected(log, unit_id, date_from, date_to)
    shown = dict(table.rows)
    for category in CATEGORIES:
        got = dict(zip(KEYS, shown[category]))
        assert got == rows[category], (unit_id, date_from, date_to, category)
    assert dict(zip(KEYS, table.total)) == total, (unit_id, date_from, date_to, "合计")
    for category, values in table.rows:
        if category not in CATEGORIES:
            assert all(v == 0 for v in values), category
    return table


# --- tests -------------------------------------------------------------------------------------------------------


def test_every_figure_matches_an_independent_count_for_each_unit_the_city_and_several_periods(any_world):
    builder = generate(any_world)
    units = [any_world.handler.unit_id, any_world.other_handler.unit_id, None]
    nonzero = set()
    for unit_id in units:
        for date_from, date_to in PERIODS:
            table = check(any_world.db, builder.log, unit_id, date_from, date_to)
            nonzero |= {k for k, v in zip(KEYS, table.total) if v}
    # the generated data exercises every column
    assert nonzero == set(KEYS)


def test_the_json_has_the_notices_columns_twenty_rows_and_numbers(any_world):
    builder = generate(any_world, seed=3)
    with Session(any_world.db.reader) as s:
        table = statistics(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
    data = table.to_json()
    assert set(data) >= {"unit", "from", "to", "columns", "rows", "total"}
    assert data["unit"] == "全市" and data["from"] == "2023-07-01" and data["to"] == "2023-07-31"
    assert [c["header"] for c in data["columns"]] == [c.header for c in STAT_COLUMNS]
    assert len(data["rows"]) == 20 and data["rows"][11]["category"] == "燃气用品"
    for row in data["rows"] + [data["total"]]:
        assert len(row["values"]) == 15
        assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row["values"])
    rows, total = expected(builder.log, None, D(2023, 7, 1), D(2023, 7, 31))
    fines = KEYS.index("fines")
    assert data["total"]["values"][fines] == float(total["fines"])
    assert data["total"]["values"][fines] == round(data["total"]["values"][fines], 2)


def test_a_first_filing_before_the_period_is_not_counted_again_when_the_case_is_filed_again(any_world):
    b = Builder(any_world)
    firm = new_enterprise(any_world, "310115")
    item = b.item(any_world.handler, firm, "燃气用品", D(2023, 6, 10))
    b.file_case(any_world.leader, item, D(2023, 6, 12))
    b.close_case(any_world.leader, item, D(2023, 6, 20), "10000", "10000")
    b.refile_after_recheck(any_world.leader, any_world.handler, item, D(2023, 7, 3), D(2023, 7, 5))
    with Session(any_world.db.reader) as s:
        july = statistics(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
        june = statistics(s, unit_id=None, date_from=D(2023, 6, 1), date_to=D(2023, 6, 30))
    assert july.value("燃气用品", "cases_filed") == 0
    assert june.value("燃气用品", "cases_filed") == 1
    assert june.value("燃气用品", "fines") == Decimal("1.00")


def test_period_ends_are_inclusive_on_both_sides(any_world):
    b = Builder(any_world)
    for day in (D(2023, 6, 30), D(2023, 7, 1), D(2023, 7, 31), D(2023, 8, 1)):
        b.record("risk_information", any_world.handler, None, date=day.isoformat(), category="水泥",
                 channel="舆情监测", title="t", summary="s")
    with Session(any_world.db.reader) as s:
        table = statistics(s, unit_id=any_world.handler.unit_id, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
    assert table.value("水泥", "risk_information") == 2
    assert table.value("合计", "risk_information") == 2


def test_the_total_counts_an_enterprise_sampled_for_two_categories_once(any_world):
    b = Builder(any_world)
    firm = new_enterprise(any_world, "310115")
    other = new_enterprise(any_world, "310115")
    for category, enterprise in (("水泥", firm), ("电线电缆", firm), ("电线电缆", other)):
        b.record("sampling_inspection", any_world.handler, enterprise, date="2023-07-10", category=category,
                 level="区级", channel="流通", batches_sampled=2, batches_failed=1)
        b.record("assistance", any_world.handler, enterprise, date="2023-07-10", category=category,
                 problems_solved=1, output_value_wan="1.50")
        b.record("interview", any_world.handler, enterprise, date="2023-07-10", category=category, reason="r")
    with Session(any_world.db.reader) as s:
        table = statistics(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
    for key in ("sampled_enterprises", "assisted_enterprises", "interviewed_enterprises"):
        assert table.value("水泥", key) == 1
        assert table.value("电线电缆", key) == 2
        assert table.value("合计", key) == 2  # not 3: the first enterprise counts once
    assert table.value("合计", "sampled_batches") == 6
    assert table.value("合计", "output_value") == Decimal("4.50")


def test_a_unit_sees_only_its_own_records_in_its_table(any_world):
    b = Builder(any_world)
    b.record("risk_monitoring", any_world.handler, None, date="2023-07-10", category="化肥", batches=5,
             problems_found=1)
    b.record("risk_monitoring", any_world.other_handler, None, date="2023-07-10", category="化肥", batches=7,
             problems_found=2)
    with Session(any_world.db.reader) as s:
        pudong = statistics(s, unit_id=any_world.handler.unit_id, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
        city = statistics(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
    assert pudong.value("化肥", "monitoring_batches") == 5
    assert pudong.unit == "上海市浦东新区市场监督管理局"
    assert city.value("化肥", "monitoring_batches") == 12


def test_money_is_summed_exactly_and_rounded_half_up_to_two_decimals_of_wan_yuan(any_world):
    b = Builder(any_world)
    firm = new_enterprise(any_world, "310115")
    # Each fine alone rounds to 0.00 万元; their exact sum, 50.00 元 = 0.005 万元, rounds half up to 0.01.
    amounts = ["49.99", "0.01"]
    for n, fine in enumerate(amounts):
        item = b.item(any_world.handler, firm, "安全帽", D(2023, 7, 1))
        b.file_case(any_world.leader, item, D(2023, 7, 2))
        b.close_case(any_world.leader, item, D(2023, 7, 3 + n), fine, "0.10")
    with Session(any_world.db.reader) as s:
        table = statistics(s, unit_id=None, date_from=D(2023, 7, 1), date_to=D(2023, 7, 31))
    assert table.value("安全帽", "fines") == Decimal("0.01")
    assert table.value("安全帽", "case_value") == Decimal("0.00")


def test_a_reversed_period_is_refused(db):
    with Session(db.reader) as s, pytest.raises(InputInvalid):
        statistics(s, unit_id=None, date_from=D(2023, 8, 1), date_to=D(2023, 7, 1))


def test_the_demo_data_fills_every_column_and_flags_repeat_failures(db):
    from demo import load_demo
    from db.special_inspections import special_inspection_candidates
    from tests.conftest import add_user

    database = db
    today = D(2024, 3, 15)
    load_demo(database, today=today, items_per_unit=10, enterprises_per_unit=8)
    supervisor = add_user(database, "city.check", "supervisor", None)
    with Session(database.reader) as s:
        campaign = statistics(s, unit_id=None, date_from=D(2023, 6, 1), date_to=D(2023, 10, 31))
        recent = special_inspection_candidates(s, supervisor, reference=today)
        in_campaign = special_inspection_candidates(s, supervisor, reference=D(2023, 10, 31))
    assert all(v for v in campaign.total), dict(zip(KEYS, campaign.total))
    assert recent and len(in_campaign) >= 10
