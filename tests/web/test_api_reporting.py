"""The reporting API: activity records, the 附件2/附件1/问题清单 reports, submissions and the risk rule."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from litestar.testing import TestClient

from tests.conftest import NOW, PUDONG_USCC, MovableClock, World, register_input
from tests.web.api_support import Api, make_app
from workflow.clock import SHANGHAI, business_date

TODAY = business_date(NOW)  # the app's clock is pinned at NOW


@pytest.fixture
def api(world: World, tmp_path, clock: MovableClock):
    with TestClient(app=make_app(world, tmp_path, clock)) as client:
        yield Api(client)


def inspection(days_ago: int = 3, failed: int = 1, **overrides) -> dict:
    data = dict(date=(TODAY - dt.timedelta(days=days_ago)).isoformat(), enterprise_uscc=PUDONG_USCC,
                category="燃气用品", sub_product="家用燃气灶", level="区级", channel="流通",
                batches_sampled=3, batches_failed=failed)
    data.update(overrides)
    return data


def test_records_are_created_listed_and_scoped_by_unit(api: Api):
    created = api.post("/api/v1/sampling-inspections", "pd.handler", json=inspection())
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["enterprise"]["uscc"] == PUDONG_USCC and record["unit"]["code"] == "310115"
    listed = api.get("/api/v1/sampling-inspections", "pd.leader").json()
    assert [r["id"] for r in listed["items"]] == [record["id"]] and listed["next_cursor"] is None
    assert api.get("/api/v1/sampling-inspections", "yp.handler").json()["items"] == []
    assert api.get(f"/api/v1/sampling-inspections/{record['id']}", "yp.handler").status_code == 404
    assert len(api.get("/api/v1/sampling-inspections", "city.supervisor").json()["items"]) == 1
    edited = api.patch(f"/api/v1/sampling-inspections/{record['id']}", "pd.handler", json={"batches_failed": 2})
    assert edited.status_code == 200 and edited.json()["batches_failed"] == 2


def test_record_validation_and_roles(api: Api):
    bad = api.post("/api/v1/sampling-inspections", "pd.handler", json=inspection(batches_failed=9, category="玩具"))
    assert bad.status_code == 422 and {"batches_failed", "category"} <= set(bad.json()["fields"])
    assert api.post("/api/v1/sampling-inspections", "city.supervisor", json=inspection()).status_code == 403
    assert api.post("/api/v1/sampling-inspections", None, json=inspection()).status_code == 401
    other = api.post("/api/v1/interviews", "yp.handler", json=dict(
        date=TODAY.isoformat(), enterprise_uscc=PUDONG_USCC, category="燃气用品", reason="质量问题"))
    assert other.status_code == 403  # another unit's enterprise


def test_statistics_json_counts_the_records_and_files_are_real(api: Api):
    api.post("/api/v1/sampling-inspections", "pd.handler", json=inspection(failed=2))
    query = f"from={(TODAY - dt.timedelta(days=30)).isoformat()}&to={TODAY.isoformat()}"
    data = api.get(f"/api/v1/reports/statistics?{query}&format=json", "pd.handler").json()
    assert data["unit"] == "上海市浦东新区市场监督管理局"
    assert [c["header"] for c in data["columns"]][:3] == ["采集风险信息（条）", "开展风险监测产品（批次）", "发现质量问题（个）"]
    gas = next(r for r in data["rows"] if r["category"] == "燃气用品")
    assert gas["values"][3:6] == [1, 3, 2]  # 抽查企业（家）, 抽查批次数, 发现不合格产品（批次）
    assert data["total"]["values"][3:6] == [1, 3, 2]
    xlsx = api.get(f"/api/v1/reports/statistics?{query}&format=xlsx", "pd.handler")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    openpyxl.load_workbook(io.BytesIO(xlsx.content))
    pdf = api.get(f"/api/v1/reports/ledger?{query}&format=pdf", "pd.handler")
    assert pdf.content.startswith(b"%PDF")
    issues = api.get(f"/api/v1/reports/issue-list?{query}&format=json", "pd.handler")
    assert issues.status_code == 200 and issues.json()["items"] == []
    assert api.get(f"/api/v1/reports/statistics?{query}&unit=310110", "pd.handler").status_code == 404
    city = api.get(f"/api/v1/reports/statistics?{query}&unit=310110", "city.supervisor").json()
    assert city["total"]["values"][3] == 0
    bad = api.get("/api/v1/reports/statistics?from=2023-08-01&to=2023-07-01&format=doc", "pd.handler")
    assert bad.status_code == 422
    assert api.get("/api/v1/reports/nonsense", "pd.handler").status_code == 404


def test_a_leader_submits_and_the_supervisor_sees_the_status_on_the_apps_clock(api: Api, clock: MovableClock):
    key = "monthly-2023-07-31"  # due on 2023-07-31; the clock says 2023-07-10

    def july(unit_code: str) -> dict:
        status = api.get("/api/v1/reporting-status", "city.supervisor").json()["deadlines"]
        entry = next(d for d in status if d["key"] == key)
        return next(u for u in entry["units"] if u["unit_code"] == unit_code)

    assert july("310115")["status"] == "pending" and july("310110")["status"] == "pending"
    assert api.post("/api/v1/submissions", "pd.handler", json={"deadline_key": key}).status_code == 403
    made = api.post("/api/v1/submissions", "pd.leader", json={"deadline_key": key})
    assert made.status_code == 201, made.text
    submission = made.json()
    assert submission["number"] == "沪市监浦报统〔2023〕1号"
    assert api.get(f"/api/v1/submissions/{submission['id']}/pdf", "pd.handler").content.startswith(b"%PDF")
    assert api.get(f"/api/v1/submissions/{submission['id']}", "yp.leader").status_code == 404
    pudong = july("310115")
    assert pudong["status"] == "submitted" and pudong["number"] == submission["number"]
    clock.set(dt.datetime(2023, 8, 2, 9, 0, tzinfo=SHANGHAI))  # past the deadline
    assert july("310115")["status"] == "submitted" and july("310110")["status"] == "missing"
    assert api.post("/api/v1/submissions", "yp.leader", json={"deadline_key": key}).status_code == 201
    assert july("310110")["status"] == "late"
    assert api.get("/api/v1/reporting-status", "pd.leader").status_code == 403
    assert api.post("/api/v1/submissions", "pd.leader", json={"deadline_key": "monthly-1999-01-31"}).status_code == 422


def test_two_failed_inspections_list_the_enterprise_and_one_click_registers_the_inspection(api: Api):
    api.post("/api/v1/sampling-inspections", "pd.handler", json=inspection(days_ago=200))
    assert api.get("/api/v1/special-inspections", "pd.handler").json()["items"] == []
    api.post("/api/v1/sampling-inspections", "pd.handler", json=inspection(days_ago=20))
    flagged = api.get("/api/v1/special-inspections", "city.supervisor").json()["items"]
    assert [f["uscc"] for f in flagged] == [PUDONG_USCC] and flagged[0]["failed_count"] == 2
    assert api.get("/api/v1/special-inspections", "yp.handler").json()["items"] == []
    registered = api.post(f"/api/v1/special-inspections/{flagged[0]['enterprise_id']}/register", "pd.handler")
    assert registered.status_code == 201, registered.text
    item = registered.json()
    assert item["state"] == "found" and item["enterprise"]["uscc"] == PUDONG_USCC
    again = api.post(f"/api/v1/special-inspections/{flagged[0]['enterprise_id']}/register", "pd.handler")
    assert again.status_code == 409


def test_case_side_records_need_a_filed_case(api: Api):
    item = api.post("/api/v1/items", "pd.handler", json=register_input(found_on=TODAY.isoformat())).json()
    early = api.post("/api/v1/exposures", "pd.handler", json={"item_id": item["id"], "date": TODAY.isoformat(),
                                                              "channel": "市局门户网站"})
    assert early.status_code == 422
