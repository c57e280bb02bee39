"""Reporting pages in the browser's shape: forms with CSRF, Chinese errors, nothing saved on error."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from db.record_models import SamplingInspection
from tests.conftest import NOW, PUDONG_USCC, MovableClock, World
from tests.web.api_support import make_app
from tests.web.test_access import page_login
from workflow.clock import business_date

TODAY = business_date(NOW)  # the app's clock is pinned at NOW


@pytest.fixture
def app(world: World, tmp_path, clock: MovableClock):
    return make_app(world, tmp_path, clock)


def signed_in(app, username: str) -> TestClient:
    client = TestClient(app=app)
    client.__enter__()
    page_login(client, username)
    return client


def form(client: TestClient, **fields) -> dict:
    return {"_csrf_token": client.cookies.get("csrftoken"), **fields}


def inspection_form(client, **overrides):
    data = dict(date=(TODAY - dt.timedelta(days=2)).isoformat(), enterprise_uscc=PUDONG_USCC, category="燃气用品",
                sub_product="家用燃气灶", level="区级", channel="流通", batches_sampled="4", batches_failed="1")
    data.update(overrides)
    return form(client, **data)


def inspections(world: World) -> int:
    with Session(world.db.reader) as s:
        return s.execute(select(func.count()).select_from(SamplingInspection)).scalar_one()


def test_a_handler_records_a_sampling_inspection_through_the_form(app, world: World):
    client = signed_in(app, "pd.handler")
    new = client.get("/records/sampling-inspections/new")
    assert new.status_code == 200 and "新增监督抽查记录" in new.text and "_csrf_token" in new.text
    assert 'name="date" type="date" value="2023-07-10"' in new.text  # prefilled with the app clock's date
    saved = client.post("/records/sampling-inspections", data=inspection_form(client), follow_redirects=False)
    assert saved.status_code == 303 and inspections(world) == 1
    listing = client.get("/records/sampling-inspections")
    assert "已保存监督抽查记录" in listing.text and "上海宏达燃气器具有限公司" in listing.text


def test_an_invalid_record_form_shows_chinese_errors_and_saves_nothing(app, world: World):
    client = signed_in(app, "pd.handler")
    response = client.post("/records/sampling-inspections",
                           data=inspection_form(client, batches_failed="9", category=""))
    assert response.status_code == 422
    assert "请选择" in response.text or "请填写产品类别" in response.text
    assert "本次未保存任何内容" in response.text
    assert inspections(world) == 0


def test_reports_page_shows_the_statistics_table_and_downloads(app):
    client = signed_in(app, "pd.leader")
    page = client.get(f"/reports?from=2023-07-01&to=2023-07-31")
    assert page.status_code == 200 and "采集风险信息（条）" in page.text and "儿童学生用品" in page.text
    pdf = client.get("/reports/statistics/download?from=2023-07-01&to=2023-07-31&format=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert client.get("/reports?from=2023-13-01").status_code == 422
    assert client.get("/reports/statistics/download?unit=310110&format=pdf").status_code == 404


def test_a_leader_submits_a_month_and_the_supervisor_sees_it(app):
    leader = signed_in(app, "pd.leader")
    assert "报送" in leader.get("/submissions").text
    done = leader.post("/submissions", data=form(leader, deadline_key="monthly-2023-07-31"))
    assert done.status_code == 200 and "已报送" in done.text and "报统〔" in done.text
    handler = signed_in(app, "pd.handler")
    assert handler.post("/submissions", data=form(handler, deadline_key="monthly-2023-07-31"),
                        follow_redirects=False).status_code == 403
    supervisor = signed_in(app, "city.supervisor")
    overview = supervisor.get("/submissions")
    assert "各单位报送情况" in overview.text and "浦东新区局" in overview.text
    # On the app's clock (2023-07-10) Pudong is on time and July is not yet due for the others.
    html = overview.text
    assert '<span class="tag status-submitted">按时报送</span> 浦东新区局' in html
    assert '<span class="tag status-pending">未到期</span> 杨浦区局' in html and "status-late" not in html


def test_special_inspection_one_click_registration(app, world: World):
    client = signed_in(app, "pd.handler")
    for days in (300, 30):
        client.post("/records/sampling-inspections",
                    data=inspection_form(client, date=(TODAY - dt.timedelta(days=days)).isoformat()))
    listing = client.get("/special-inspections")
    assert "上海宏达燃气器具有限公司" in listing.text and "登记为隐患" in listing.text
    supervisor = signed_in(app, "city.supervisor")
    assert "上海宏达燃气器具有限公司" in supervisor.get("/special-inspections").text
    view = supervisor.get("/supervision").text
    assert "专门现场检查" in view and "上海宏达燃气器具有限公司" in view and "待单位登记" in view
    from db.models import Enterprise

    with Session(world.db.reader) as s:
        enterprise_id = s.execute(select(Enterprise.id).where(Enterprise.uscc == PUDONG_USCC)).scalar_one()
    registered = client.post(f"/special-inspections/{enterprise_id}/register", data=form(client), follow_redirects=False)
    assert registered.status_code == 303 and registered.headers["location"].startswith("/items/")


def test_a_filed_case_links_to_its_side_records_prefilled(app, world: World):
    from tests.conftest import event_input, register_input
    from workflow import services

    outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
    client = signed_in(app, "pd.leader")
    assert "案件附加记录" not in client.get(f"/items/{outcome.item_id}").text
    services.fire_event(world.uow(), world.leader, outcome.item_id, "file_case",
                        {**event_input("file_case", "found", NOW.date()), "version": 1}, NOW)
    page = client.get(f"/items/{outcome.item_id}").text
    assert f"/records/typical-cases/new?item_id={outcome.item_id}" in page
    form_page = client.get(f"/records/typical-cases/new?item_id={outcome.item_id}").text
    assert f'value="{outcome.item_id}"' in form_page
