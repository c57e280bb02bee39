"""The reference data files agree with the campaign notice (沪市监产质〔2023〕349号)."""

import datetime as dt
import json
from pathlib import Path



REPO = Path(__file__).resolve().parents[2]
UNITS = json.loads((REPO / "db/reference/units.json").read_text(encoding="utf-8"))["units"]
CAMPAIGN = json.loads((REPO / "db/reference/campaign_2023.json").read_text(encoding="utf-8"))
# The notice is public (此件公开发布) and kept in the repo beside the catalog transcribed from it.
SEED = Path(__file__).resolve().parents[2] / "db" / "reference" / "notice_2023.txt"

CATEGORIES = [
    "危险化学品", "危险化学品车载常压罐体", "水泥", "电线电缆", "化肥", "消防产品", "成品油", "防爆电气",
    "电动自行车", "电动自行车充电器和电池", "电动自行车乘员头盔", "燃气用品", "烟花爆竹", "老年用品",
    "食品用纸包装和容器等制品", "电热食品加工设备", "农用地膜", "安全帽", "与成品油性质相近的化工产品", "儿童学生用品",
]



def notice_text():
    return SEED.read_text(encoding="utf-8")


def appendix2_rows(text):
    """The category rows of 附件2: the non-empty cells after the last header cell (约谈企业（家）)."""
    table = text[text.rindex("附件2") :]
    body = table[table.rindex("（家）") + len("（家）") :]
    return [line.strip() for line in body.splitlines() if line.strip()]


def test_the_campaign_has_the_20_categories_in_the_notices_order():
    categories = CAMPAIGN["categories"]
    assert [c["name"] for c in categories] == CATEGORIES
    assert [c["position"] for c in categories] == list(range(1, 21))


def test_the_category_names_are_the_rows_of_appendix_2_of_the_notice():
    assert appendix2_rows(notice_text()) == [c["name"] for c in CAMPAIGN["categories"]]


def test_sub_products_are_written_exactly_as_in_the_notice():
    text = notice_text()
    for category in CAMPAIGN["categories"]:
        if category["sub_products"]:
            assert f"{category['name']}（{'、'.join(category['sub_products'])}）" in text, category["name"]
        else:
            assert f"{category['name']}（" not in text, category["name"]


def test_gas_appliances_list_the_six_products():
    gas = next(c for c in CAMPAIGN["categories"] if c["name"] == "燃气用品")
    assert gas["sub_products"] == [
        "家用燃气灶", "家用燃气快速热水器", "燃气采暖热水炉", "燃气调压器", "燃气用不锈钢波纹软管", "燃气泄漏报警器",
    ]


def test_the_notice_number_and_issue_date_are_the_notices():
    text = notice_text()
    assert CAMPAIGN["notice_number"] in text
    assert CAMPAIGN["name"] in text
    assert "2023年7月19日" in text and CAMPAIGN["issued_on"] == "2023-07-19"


def test_every_problem_type_comes_from_the_notices_key_problems():
    text = notice_text()
    key_problems = text[text.index("（三）重点问题") : text.index("（四）打击重点")]
    for problem in CAMPAIGN["problem_types"]:
        words = problem["name"].removeprefix("不符合")
        assert words in key_problems, problem["name"]


def test_problem_types_are_split_into_production_and_circulation():
    by_domain = {}
    for problem in CAMPAIGN["problem_types"]:
        by_domain.setdefault(problem["domain"], []).append(problem["name"])
    assert by_domain == {
        "production": ["无证生产", "超范围生产", "未检验出厂或出厂检验记录不全", "偷工减料、掺杂掺假"],
        "circulation": ["销售无证产品", "产品一致性不符", "质量低劣", "不符合强制性国家标准", "不符合强制性产品认证要求"],
    }


def test_phases_and_deadlines_lie_in_order_and_monthly_reports_cover_their_month():
    period = CAMPAIGN["period"]
    assert (period["start"], period["end"]) == ("2023-06-01", "2023-10-31")
    assert [(p["name"], p["start"], p["end"]) for p in CAMPAIGN["phases"]] == [
        ("部署启动", "2023-06-01", "2023-07-31"),
        ("排查", "2023-07-01", "2023-08-31"),
        ("化解隐患", "2023-09-01", "2023-09-30"),
        ("巩固提升", "2023-10-01", "2023-10-31"),
    ]
    deadlines = CAMPAIGN["reporting_deadlines"]
    assert [d["due_on"] for d in deadlines] == sorted(d["due_on"] for d in deadlines)
    monthly = [d for d in deadlines if d["kind"] == "monthly"]
    assert [d["due_on"] for d in monthly] == ["2023-06-30", "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31"]
    for d in monthly:
        start, end = dt.date.fromisoformat(d["covers_start"]), dt.date.fromisoformat(d["covers_end"])
        assert start.day == 1 and end == dt.date.fromisoformat(d["due_on"]) and start.month == end.month
    assert {d["kind"]: d["due_on"] for d in deadlines if d["kind"] != "monthly"} == {
        "phase_summary": "2023-08-15",
        "annual": "2023-11-15",
    }


def test_sources_are_the_seven_of_the_design():
    assert CAMPAIGN["sources"] == ["日常巡查", "监督抽查", "执法检查", "投诉举报", "舆情监测", "风险监测", "企业自查"]


def test_there_are_22_units_with_unique_codes_names_and_short_names():
    assert len(UNITS) == 22
    for key in ("code", "name", "short_name", "label"):
        values = [u[key] for u in UNITS]
        assert len(set(values)) == len(values), key
    assert all(u["code"].isascii() and u["code"].isalnum() and len(u["code"]) <= 6 for u in UNITS)


def test_the_16_districts_have_their_area_codes_and_one_character_short_names():
    districts = {u["code"]: u for u in UNITS if u["kind"] == "district"}
    assert sorted(districts) == [
        "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
        "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151",
    ]
    assert districts["310115"]["name"] == "上海市浦东新区市场监督管理局"
    assert districts["310115"]["short_name"] == "浦"
    assert districts["310115"]["label"] == "浦东新区局"
    assert districts["310101"]["short_name"] == "黄"
    assert all(len(u["short_name"]) == 1 for u in districts.values())


def test_the_19_enforcement_units_enforce_and_the_three_divisions_do_not():
    enforcing = [u for u in UNITS if u["enforces"]]
    assert len(enforcing) == 19
    assert {u["kind"] for u in enforcing} == {"district", "special", "enforcement"}
    divisions = [u for u in UNITS if u["kind"] == "division"]
    assert [u["name"] for u in divisions] == [
        "上海市市场监督管理局产品质量安全监督管理处",
        "上海市市场监督管理局消费者权益保护处",
        "上海市市场监督管理局认证监督管理处",
    ]
    assert not any(u["enforces"] for u in divisions)
    by_short = {u["short_name"]: u["name"] for u in UNITS}
    assert by_short["总队"] == "上海市市场监督管理局执法总队"
    assert by_short["机场"] == "上海市市场监督管理局机场分局"
    assert by_short["临港"] == "中国（上海）自由贸易试验区临港新片区市场监督管理局"


def test_the_campaign_lead_and_report_receiver_is_a_known_unit():
    codes = {u["code"] for u in UNITS}
    assert CAMPAIGN["lead_unit"] in codes
    assert all(d["to_unit"] in codes for d in CAMPAIGN["reporting_deadlines"])
