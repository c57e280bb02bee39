"""The HTML pages, driven through the real app (sessions, CSRF, the access guard) with Litestar's TestClient."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from db.models import Enterprise, HazardItem, ItemEvent
from db.models import SupervisionFlag
from db.uow import SqlUnitOfWork
from tests.conftest import NOW, PUDONG_USCC, YANGPU_USCC, MovableClock, World, register_input
from tests.web.api_support import PASSWORD, make_app
from workflow import services
from workflow.clock import business_date
from workflow.table import EVENTS
from workflow.uscc import make_uscc

TODAY = business_date(NOW)  # the app's clock is pinned at NOW
OVERDUE = "2023-06-01"  # found on this day, an item's 15-working-day deadline (2023-06-25) is past on TODAY


# --- support ----------------------------------------------------------------------------------------------------


@pytest.fixture
def app(world: World, tmp_path, clock: MovableClock):
    return make_app(world, tmp_path, clock)


def login(client: TestClient, username: str) -> TestClient:
    client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/",
                                           "_csrf_token": client.cookies.get("csrftoken")}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def csrf(client: TestClient, page: str) -> str:
    """The CSRF token from a rendered form, as a browser would submit it."""
    html = client.get(page).text
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF field on {page}"
    return match.group(1)


def post_form(client: TestClient, page: str, action: str, data: dict, **kw):
    return client.post(action, data={**data, "_csrf_token": csrf(client, page)}, follow_redirects=False, **kw)


def register(world: World, actor=None, moment: dt.datetime = NOW, **overrides) -> int:
    return services.register_item(SqlUnitOfWork(world.db), actor or world.handler, register_input(**overrides),
                                  moment).item_id


def fire(world: World, actor, item_id: int, event: str, data: dict, moment: dt.datetime = NOW) -> None:
    with Session(world.db.reader) as s:
        version = s.get(HazardItem, item_id).version
    services.fire_event(SqlUnitOfWork(world.db), actor, item_id, event, {**data, "version": version}, moment)


def item_state(world: World, item_id: int) -> tuple[str, int, int]:
    with Session(world.db.reader) as s:
        item = s.get(HazardItem, item_id)
        events = s.execute(select(func.count()).where(ItemEvent.item_id == item_id)).scalar_one()
        return item.state, item.version, events


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- every page renders for the roles that may open it --------------------------------------------------------------


PAGES_FOR_STAFF = ["/", "/items", "/items/new", "/items/{item}", "/enterprises", "/enterprises/{enterprise}",
                   "/enterprises/new", "/enterprises/{enterprise}/edit", "/enterprises/import", "/workflow",
                   "/enterprises/search?q=宏达", "/items?overdue=1&sort=deadline"]
PAGES_FOR_SUPERVISORS = ["/", "/items", "/items/{item}", "/enterprises", "/enterprises/{enterprise}", "/supervision",
                         "/workflow", "/enterprises/search?q=宏达", "/supervision?flag_unit=1"]


def _fill(path: str, item: int, enterprise: int) -> str:
    return path.format(item=item, enterprise=enterprise)


@pytest.mark.parametrize("username", ["pd.handler", "pd.leader"])
def test_every_page_renders_for_unit_staff(app, world, username):
    item = register(world)
    with Session(world.db.reader) as s:
        enterprise = s.execute(select(Enterprise.id).where(Enterprise.uscc == PUDONG_USCC)).scalar_one()
    with TestClient(app) as client:
        login(client, username)
        for path in PAGES_FOR_STAFF:
            response = client.get(_fill(path, item, enterprise))
            assert response.status_code == 200, (path, response.text[:500])
            assert '<html lang="zh-CN">' in response.text
        assert client.get("/supervision").status_code == 403


@pytest.mark.parametrize("username", ["city.supervisor", "city.admin"])
def test_every_page_renders_for_supervisors(app, world, username):
    item = register(world)
    with Session(world.db.reader) as s:
        enterprise = s.execute(select(Enterprise.id).where(Enterprise.uscc == YANGPU_USCC)).scalar_one()
    with TestClient(app) as client:
        login(client, username)
        for path in PAGES_FOR_SUPERVISORS:
            response = client.get(_fill(path, item, enterprise))
            assert response.status_code == 200, (path, response.text[:500])
        for path in ("/items/new", "/enterprises/new", "/enterprises/import"):
            assert client.get(path).status_code == 403, path


def test_a_signed_out_visitor_is_sent_to_the_login_page(app):
    with TestClient(app) as client:
        response = client.get("/items?state=found", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_the_dashboard_shows_the_units_work_and_an_inline_svg_chart(app, world):
    register(world, found_on=OVERDUE)
    register(world, actor=world.other_handler, enterprise_uscc=YANGPU_USCC, category="电动自行车", sub_product=None)
    with TestClient(app) as client:
        html = login(client, "pd.handler").get("/").text
    assert "浦东新区局" in html and "已逾期" in html
    assert "<svg" in html and "<script" not in html.split("</head>")[1].replace('<script src="/static/app.js"', "")
    assert "上海宏达燃气器具有限公司" in html
    assert "上海杨浦电动车销售有限公司" not in html  # another unit's item never shows


def test_a_handler_sees_only_their_units_items_in_the_list(app, world):
    register(world)
    register(world, actor=world.other_handler, enterprise_uscc=YANGPU_USCC, category="电动自行车", sub_product=None)
    with TestClient(app) as client:
        html = login(client, "pd.handler").get("/items").text
    assert "上海宏达燃气器具有限公司" in html and "上海杨浦电动车销售有限公司" not in html


# --- unit scoping and roles --------------------------------------------------------------------------------------


def test_another_units_item_is_a_404_page(app, world):
    item = register(world)
    with TestClient(app) as client:
        login(client, "yp.handler")
        page = client.get(f"/items/{item}")
        assert page.status_code == 404
        assert "找不到页面或记录" in page.text
        before = item_state(world, item)
        posted = post_form(client, "/", f"/items/{item}/events/order_rectification",
                           {"version": "1", "deadline": (TODAY + dt.timedelta(days=20)).isoformat(),
                            "requirements": "停止销售", "legal_basis": "产品质量法"})
        assert posted.status_code == 404
        assert item_state(world, item) == before


def test_a_handler_cannot_open_the_supervisor_view(app, world):
    with TestClient(app) as client:
        response = login(client, "pd.handler").get("/supervision")
        assert response.status_code == 403
        assert "无权访问" in response.text


def test_a_handler_is_offered_only_their_roles_events_and_refused_a_leaders_event(app, world):
    item = register(world)
    with TestClient(app) as client:
        html = login(client, "pd.handler").get(f"/items/{item}").text
        assert 'action="/items/%d/events/order_rectification"' % item in html
        assert "events/file_case" not in html and "events/dismiss" not in html
        response = post_form(client, f"/items/{item}", f"/items/{item}/events/dismiss",
                             {"version": "1", "reason": "核查不属实"})
        assert response.status_code == 403
    assert item_state(world, item)[0] == "found"


def test_a_leader_is_offered_the_leaders_events_and_the_handlers(app, world):
    item = register(world)
    with TestClient(app) as client:
        html = login(client, "pd.leader").get(f"/items/{item}").text
    for event in ("order_rectification", "file_case", "dismiss"):
        assert f"/items/{item}/events/{event}" in html


# --- event forms -------------------------------------------------------------------------------------------------


def test_every_event_form_is_generated_from_the_workflow_table(app, world):
    """Each field of the event's FieldSpecs has its widget, by kind."""
    item = register(world)
    fire(world, world.leader, item, "file_case", {"offence": "案由", "reasons": "理由", "legal_provisions": "依据"})
    with TestClient(app) as client:
        html = login(client, "pd.leader").get(f"/items/{item}").text
    seize = html[html.index('action="/items/%d/events/seize"' % item):]
    seize = seize[:seize.index("</form>")]
    assert 'name="items-0-name"' in seize and 'name="items-4-quantity"' in seize  # five blank rows
    assert re.search(r'name="period_days" type="number"[^>]*min="1"[^>]*max="30"', seize)
    assert "<textarea" not in seize  # the seizure's fields are one-line inputs, the list a table of them
    for spec in EVENTS["seize"].fields:
        assert spec.label in seize
    for column in ("物品名称", "规格", "单位", "数量"):
        assert f'aria-label="第 1 行 {column}"' in seize
    close = html[html.index('action="/items/%d/events/close_case"' % item):]
    close = close[:close.index("</form>")]
    assert re.search(r'<select id="close_case-outcome" name="outcome"', close)
    for outcome in ("处罚", "不予处罚", "移送已受理"):
        assert f'<option value="{outcome}">' in close
    assert re.search(r'name="fine_amount" type="number"[^>]*step="0.01"', close)
    assert 'name="version" value="2"' in close
    for spec in EVENTS["close_case"].fields:
        assert spec.label in close


def test_an_event_with_invalid_input_shows_chinese_errors_keeps_the_input_and_saves_nothing(app, world):
    item = register(world)
    before = item_state(world, item)
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = post_form(client, f"/items/{item}", f"/items/{item}/events/order_rectification",
                             {"version": str(before[1]), "deadline": "2020-01-01", "requirements": "",
                              "legal_basis": "《产品质量法》第四十九条"})
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("text/html")
        html = response.text
        assert "请填写改正内容及要求" in html
        assert "本次未保存任何内容" in html
        assert "《产品质量法》第四十九条" in html and 'value="2020-01-01"' in html  # the user's input is kept
        assert 'aria-invalid="true"' in html
        # The guard's own error (a deadline in the past) once the required fields are there.
        response = post_form(client, f"/items/{item}", f"/items/{item}/events/order_rectification",
                             {"version": str(before[1]), "deadline": "2020-01-01", "requirements": "停止销售",
                              "legal_basis": "法律依据"})
        assert response.status_code == 422
        assert "整改期限须晚于今天" in response.text
    assert item_state(world, item) == before  # version unchanged, no history row


def test_an_event_with_valid_input_redirects_with_a_flash_and_a_printable_document(app, world):
    item = register(world)
    deadline = (TODAY + dt.timedelta(days=20)).isoformat()
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = post_form(client, f"/items/{item}", f"/items/{item}/events/order_rectification",
                             {"version": "1", "deadline": deadline, "requirements": "立即停止销售并召回",
                              "legal_basis": "《产品质量法》第四十九条"})
        assert response.status_code == 303
        assert response.headers["location"] == f"/items/{item}"
        html = client.get(f"/items/{item}").text
        assert "已完成“责令改正”" in html and "责令改正通知书" in html
        assert "整改中" in html and "剩余 20 天" in html
        document = re.findall(r'href="/documents/(\d+)/pdf"', html)
        assert document
        pdf = client.get(f"/documents/{document[-1]}/pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    assert item_state(world, item)[:2] == ("rectifying", 2)


def test_seizure_items_rows_are_read_from_the_table_and_blank_rows_ignored(app, world):
    item = register(world)
    fire(world, world.leader, item, "file_case", {"offence": "案由", "reasons": "理由", "legal_provisions": "依据"})
    with TestClient(app) as client:
        login(client, "pd.leader")
        data = {"version": "2", "place": "当事人仓库", "period_days": "30",
                "items-0-name": "家用燃气灶", "items-0-spec": "JZT-2", "items-0-unit": "台", "items-0-quantity": "12",
                "items-2-name": "燃气软管", "items-2-unit": "根", "items-2-quantity": "40"}
        response = post_form(client, f"/items/{item}", f"/items/{item}/events/seize", data)
        assert response.status_code == 303, response.text
    with Session(world.db.reader) as s:
        entry = s.execute(select(ItemEvent).where(ItemEvent.item_id == item, ItemEvent.event == "seize")).scalar_one()
    assert [row["name"] for row in entry.input["items"]] == ["家用燃气灶", "燃气软管"]


def test_a_seizure_row_missing_its_quantity_names_the_row(app, world):
    item = register(world)
    fire(world, world.leader, item, "file_case", {"offence": "案由", "reasons": "理由", "legal_provisions": "依据"})
    before = item_state(world, item)
    with TestClient(app) as client:
        login(client, "pd.leader")
        response = post_form(client, f"/items/{item}", f"/items/{item}/events/seize",
                             {"version": "2", "place": "仓库", "period_days": "45", "items-0-name": "灶具",
                              "items-0-unit": "台"})
    assert response.status_code == 422
    assert "期限（日）不得大于 30" in response.text or "不得大于 30" in response.text
    assert 'value="灶具"' in response.text
    assert item_state(world, item) == before


def test_a_stale_version_is_a_409_that_saves_nothing(app, world):
    item = register(world)
    with TestClient(app) as client:
        login(client, "pd.handler")
        token = csrf(client, f"/items/{item}")
        fire(world, world.handler, item, "order_rectification",
             {"deadline": (TODAY + dt.timedelta(days=10)).isoformat(), "requirements": "整改", "legal_basis": "依据"})
        before = item_state(world, item)
        response = client.post(f"/items/{item}/events/verify_rectification", follow_redirects=False, data={
            "version": "1", "verified_on": TODAY.isoformat(), "findings": "已整改", "_csrf_token": token})
        assert response.status_code == 409
        assert "已被他人更新" in response.text
    assert item_state(world, item) == before


def test_an_unknown_event_is_a_404(app, world):
    item = register(world)
    with TestClient(app) as client:
        login(client, "pd.handler")
        assert post_form(client, f"/items/{item}", f"/items/{item}/events/set_state", {"version": "1"}) \
            .status_code == 404


def test_a_post_without_a_csrf_token_is_refused_and_saves_nothing(app, world):
    item = register(world)
    before = item_state(world, item)
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = client.post(f"/items/{item}/events/order_rectification", follow_redirects=False, data={
            "version": "1", "deadline": (TODAY + dt.timedelta(days=20)).isoformat(), "requirements": "整改",
            "legal_basis": "依据"})
        assert response.status_code == 403
        response = client.post("/items", data=register_input(), follow_redirects=False)
        assert response.status_code == 403
    assert item_state(world, item) == before


# --- register ----------------------------------------------------------------------------------------------------


def test_registering_through_the_form_creates_the_item_and_its_register_document(app, world):
    with TestClient(app) as client:
        login(client, "pd.handler")
        form = client.get("/items/new").text
        assert 'list="register-enterprise_uscc-options"' in form  # the enterprise lookup
        assert '<optgroup label="燃气用品" data-group="燃气用品">' in form  # sub-products grouped by category
        data = register_input(found_on=TODAY.isoformat())
        response = post_form(client, "/items/new", "/items", data)
        assert response.status_code == 303
        html = client.get(response.headers["location"]).text
    assert "已登记隐患" in html and "隐患登记表" in html and "已发现" in html


def test_registering_with_invalid_input_shows_the_errors_and_creates_nothing(app, world):
    with TestClient(app) as client:
        login(client, "pd.handler")
        data = register_input(enterprise_uscc="91310115591693856B", sub_product="家用燃气热水器", facts="")
        response = post_form(client, "/items/new", "/items", data)
    assert response.status_code == 422
    html = response.text
    assert "请填写隐患事实" in html
    assert 'value="91310115591693856B"' in html
    with Session(world.db.reader) as s:
        assert s.execute(select(func.count()).select_from(HazardItem)).scalar_one() == 0


def test_a_wrong_sub_product_for_the_category_is_refused_by_the_server(app, world):
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = post_form(client, "/items/new", "/items",
                             register_input(sub_product="电线", found_on=TODAY.isoformat()))
    assert response.status_code == 422
    assert "不属于燃气用品" in response.text


def test_the_enterprise_search_answers_json_for_the_form_script_and_a_page_otherwise(app, world):
    with TestClient(app) as client:
        login(client, "pd.handler")
        data = client.get("/enterprises/search", params={"q": "宏达", "format": "json"}).json()
        assert [e["uscc"] for e in data["items"]] == [PUDONG_USCC]
        by_code = client.get("/enterprises/search", params={"q": PUDONG_USCC[:8], "format": "json"}).json()
        assert PUDONG_USCC in [e["uscc"] for e in by_code["items"]]
        page = client.get("/enterprises/search", params={"q": "宏达"})
        assert page.status_code == 200 and f"/items/new?enterprise={PUDONG_USCC}" in page.text


# --- the list: filters, keyset pagination, bad parameters, export -----------------------------------------------------


def test_the_list_filters_by_category_state_and_overdue(app, world):
    gas = register(world)
    bike = register(world, category="电动自行车", sub_product=None, facts="电动自行车问题", found_on=OVERDUE)
    with TestClient(app) as client:
        login(client, "pd.handler")
        html = client.get("/items", params={"category": "电动自行车"}).text
        assert f'href="/items/{bike}"' in html and f'href="/items/{gas}"' not in html
        html = client.get("/items", params={"overdue": "1"}).text  # only the bike's deadline is past on TODAY
        assert f'href="/items/{bike}"' in html and f'href="/items/{gas}"' not in html
        html = client.get("/items", params={"overdue": "1", "state": "found", "q": "电动自行车问题"}).text
        assert f'href="/items/{bike}"' in html and f'href="/items/{gas}"' not in html
        html = client.get("/items", params={"state": "found", "q": "电动自行车问题"}).text
        assert f'href="/items/{bike}"' in html and f'href="/items/{gas}"' not in html


def test_the_list_pages_with_a_keyset_cursor(app, world, monkeypatch):
    from web.pages import items as item_pages

    monkeypatch.setattr(item_pages, "PAGE_SIZE", 2)
    ids = [register(world, facts=f"第{n}件") for n in range(5)]
    seen: list[int] = []
    with TestClient(app) as client:
        login(client, "pd.handler")
        url = "/items?sort=oldest"
        while url:
            html = client.get(url).text
            seen += [int(i) for i in dict.fromkeys(re.findall(r'<td class="nowrap"><a href="/items/(\d+)"', html))]
            match = re.search(r'href="/items(\?[^"]*cursor=[^"]+)" rel="next"', html)
            url = "/items" + match.group(1).replace("&amp;", "&") if match else None
            assert "offset" not in (url or "")
    assert seen == ids


@pytest.mark.parametrize("query", [
    "from=2023-13-45", "to=yesterday", "state=deleted", "sort=random", "overdue=maybe", "cursor=%%%",
    "cursor=" + base64.urlsafe_b64encode(json.dumps(["x", "y"]).encode()).decode().rstrip("="),
    "sort=deadline&cursor=" + base64.urlsafe_b64encode(json.dumps(["not-a-date", 3]).encode()).decode().rstrip("="),
    "cursor=" + base64.urlsafe_b64encode(json.dumps([10**30, 10**30]).encode()).decode().rstrip("="),
    "q=" + "9" * 30,
])
def test_bad_list_parameters_give_a_clear_message_never_a_500(app, world, query):
    register(world)
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = client.get("/items?" + query)
        assert response.status_code == 422, response.text[:300]
        assert "筛选条件有误" in response.text
        ignores_it = query.startswith("cursor=") or "&cursor=" in query  # the export takes every row, unpaged
        assert client.get("/items/export?" + query).status_code == (200 if ignores_it else 422), query


def test_wrong_ids_are_404_pages(app, world):
    with TestClient(app) as client:
        login(client, "pd.handler")
        for path in ("/items/999999", "/enterprises/999999", "/enterprises/999999/edit", "/documents/999999/pdf",
                     "/items/abc", "/no-such-page", "/items/" + "9" * 30, "/enterprises/" + "9" * 30,
                     "/documents/%s/pdf" % ("9" * 30), "/items/0"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert "找不到页面或记录" in response.text
        for action in ("/items/%s/events/dismiss" % ("9" * 30), "/enterprises/%s" % ("9" * 30)):
            assert post_form(client, "/", action, {"version": "1"}).status_code == 404, action


def test_the_export_reopens_in_openpyxl_with_the_filtered_rows(app, world):
    gas = register(world)
    register(world, category="电动自行车", sub_product=None)
    register(world, actor=world.other_handler, enterprise_uscc=YANGPU_USCC)
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = client.get("/items/export", params={"category": "燃气用品"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("编号", "单位", "企业名称", "统一社会信用代码", "产品类别")
    assert [(r[0], r[4]) for r in rows[1:]] == [(gas, "燃气用品")]  # own unit, gas only
    assert rows[1][8] == dt.datetime(2023, 7, 3)  # a real date cell


# --- enterprises -------------------------------------------------------------------------------------------------


def _import_csv(rows: list[list[str]]) -> bytes:
    header = "统一社会信用代码,企业名称,住所,法定代表人,联系电话,所属单位,企业类型"
    return ("\ufeff" + "\n".join([header] + [",".join(r) for r in rows]) + "\n").encode()


def _enterprise_count(world: World) -> int:
    with Session(world.db.reader) as s:
        return s.execute(select(func.count()).select_from(Enterprise)).scalar_one()


def test_an_import_with_a_bad_uscc_row_shows_the_row_error_and_imports_nothing(app, world):
    good = make_uscc("91310115000000017")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = _import_csv([[good, "上海甲公司", "浦东", "张三", "021-1", "310115", "生产"],
                        [bad, "上海乙公司", "浦东", "李四", "021-2", "310115", "销售"]])
    before = _enterprise_count(world)
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = client.post("/enterprises/import", files={"data": ("企业.csv", data, "text/csv")},
                               data={"_csrf_token": csrf(client, "/enterprises/import")}, follow_redirects=False)
    assert response.status_code == 422
    html = text_of(response.text)
    assert "所有企业均未导入" in html
    assert "第 3 行 统一社会信用代码" in html
    assert _enterprise_count(world) == before


def test_an_import_of_good_rows_adds_them_all(app, world):
    rows = [[make_uscc(f"9131011500000{n:04d}"), f"上海导入{n}号公司", "浦东", "王", "021-1", "310115", "生产"]
            for n in range(3)]
    before = _enterprise_count(world)
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = client.post("/enterprises/import", files={"data": ("企业.csv", _import_csv(rows), "text/csv")},
                               data={"_csrf_token": csrf(client, "/enterprises/import")}, follow_redirects=False)
        assert response.status_code == 303
        assert "已从 企业.csv 导入 3 家企业" in client.get("/enterprises").text
    assert _enterprise_count(world) == before + 3


def test_an_import_naming_another_unit_is_refused_for_that_row(app, world):
    rows = [[make_uscc("91310110000000077"), "上海杨浦某公司", "杨浦", "赵", "021-1", "310110", "销售"]]
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = client.post("/enterprises/import", files={"data": ("e.csv", _import_csv(rows), "text/csv")},
                               data={"_csrf_token": csrf(client, "/enterprises/import")}, follow_redirects=False)
    assert response.status_code == 422
    assert "只能导入本单位" in response.text


def test_an_import_without_a_file_or_with_a_wrong_type_explains_itself(app, world):
    with TestClient(app) as client:
        login(client, "pd.handler")
        token = csrf(client, "/enterprises/import")
        response = client.post("/enterprises/import", files={"data": ("list.txt", b"hello", "text/plain")},
                               data={"_csrf_token": token})
        assert response.status_code == 422 and "不支持的文件类型" in response.text
        response = client.post("/enterprises/import", data={"_csrf_token": token})
        assert response.status_code == 422 and "请选择要导入的" in response.text


def test_creating_an_enterprise_with_a_bad_uscc_shows_the_error(app, world):
    with TestClient(app) as client:
        login(client, "pd.handler")
        response = post_form(client, "/enterprises/new", "/enterprises",
                             {"uscc": "91310115591693856B", "name": "上海新公司", "kind": "生产"})
        assert response.status_code == 422
        assert "统一社会信用代码" in response.text and 'value="上海新公司"' in response.text
        uscc = make_uscc("91310115000009997")
        response = post_form(client, "/enterprises/new", "/enterprises",
                             {"uscc": uscc, "name": "上海新公司", "kind": "生产", "phone": "021-5888"})
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert "上海新公司" in page and uscc in page


def test_editing_is_for_the_enterprises_own_unit_only(app, world):
    with Session(world.db.reader) as s:
        pudong = s.execute(select(Enterprise).where(Enterprise.uscc == PUDONG_USCC)).scalar_one()
        yangpu = s.execute(select(Enterprise.id).where(Enterprise.uscc == YANGPU_USCC)).scalar_one()
    with TestClient(app) as client:
        login(client, "pd.handler")
        assert client.get(f"/enterprises/{yangpu}/edit").status_code == 404  # as for any other unit's record
        response = post_form(client, f"/enterprises/{pudong.id}/edit", f"/enterprises/{yangpu}",
                             {"uscc": YANGPU_USCC, "name": "改名", "kind": "生产"})
        assert response.status_code == 404
        response = post_form(client, f"/enterprises/{pudong.id}/edit", f"/enterprises/{pudong.id}",
                             {"uscc": PUDONG_USCC, "name": pudong.name, "kind": "销售", "phone": "电话"})
        assert response.status_code == 422 and "联系电话“电话”无效：只能包含数字" in response.text
        response = post_form(client, f"/enterprises/{pudong.id}/edit", f"/enterprises/{pudong.id}",
                             {"uscc": PUDONG_USCC, "name": pudong.name, "kind": "销售", "phone": "021-1"})
        assert response.status_code == 303


def test_the_enterprise_list_is_the_units_registry_with_a_city_wide_option(app, world):
    with TestClient(app) as client:
        login(client, "pd.handler")
        own = client.get("/enterprises").text
        assert "上海宏达燃气器具有限公司" in own and "上海杨浦电动车销售有限公司" not in own
        everywhere = client.get("/enterprises?scope=all").text
        assert "上海杨浦电动车销售有限公司" in everywhere
        assert client.get("/enterprises?cursor=abc").status_code == 422
        assert client.get("/enterprises?cursor=" + "9" * 30).status_code == 422


def test_the_enterprise_list_pages_with_a_keyset_cursor(app, world, monkeypatch):
    from web.pages import enterprises as enterprise_pages

    monkeypatch.setattr(enterprise_pages, "PAGE_SIZE", 1)
    with TestClient(app) as client:
        login(client, "city.supervisor")
        first = client.get("/enterprises").text
        assert "上海宏达燃气器具有限公司" in first and "上海杨浦电动车销售有限公司" not in first
        link = re.search(r'href="/enterprises(\?[^"]*cursor=\d+)" rel="next"', first).group(1).replace("&amp;", "&")
        second = client.get("/enterprises" + link).text
        assert "上海杨浦电动车销售有限公司" in second and "上海宏达燃气器具有限公司" not in second
        assert "« 第一页" in second


def test_the_enterprise_page_lists_its_items_and_its_sampling_history(app, world):
    item = register(world)
    with Session(world.db.reader) as s:
        enterprise = s.execute(select(Enterprise.id).where(Enterprise.uscc == PUDONG_USCC)).scalar_one()
    with TestClient(app) as client:
        html = login(client, "pd.handler").get(f"/enterprises/{enterprise}").text
    assert f'href="/items/{item}"' in html
    assert "监督抽查记录" in html


# --- supervision ---------------------------------------------------------------------------------------------------


def test_a_supervisor_flags_an_overdue_item_and_the_unit_sees_it_until_it_is_closed(app, world):
    item = register(world, found_on=OVERDUE)
    with TestClient(app) as supervisor:
        login(supervisor, "city.supervisor")
        page = supervisor.get("/supervision").text
        assert f'href="/items/{item}"' in page and "逾期督办清单" in page
        response = post_form(supervisor, f"/items/{item}", f"/supervision/items/{item}/flag",
                             {"note": "请五个工作日内整改到位"})
        assert response.status_code == 303
        assert "已对隐患" in supervisor.get(f"/items/{item}").text
    with TestClient(app) as handler:
        login(handler, "pd.handler")
        assert "请五个工作日内整改到位" in handler.get("/").text
        assert "请五个工作日内整改到位" in handler.get(f"/items/{item}").text
    with TestClient(app) as other:
        assert "请五个工作日内整改到位" not in login(other, "yp.handler").get("/").text
    with Session(world.db.reader) as s:
        flag = s.execute(select(SupervisionFlag)).scalar_one()
    with TestClient(app) as supervisor:
        login(supervisor, "city.supervisor")
        assert post_form(supervisor, "/supervision", f"/supervision/flags/{flag.id}/close", {}).status_code == 303
        assert post_form(supervisor, "/supervision", f"/supervision/flags/{flag.id}/close", {}).status_code == 409
    with TestClient(app) as handler:
        assert "请五个工作日内整改到位" not in login(handler, "pd.handler").get("/").text


def test_a_supervisor_flags_a_unit(app, world):
    with Session(world.db.reader) as s:
        unit_id = world.handler.unit_id
    with TestClient(app) as supervisor:
        login(supervisor, "city.supervisor")
        form = supervisor.get(f"/supervision?flag_unit={unit_id}").text
        assert f'action="/supervision/units/{unit_id}/flag"' in form
        empty = post_form(supervisor, "/supervision", f"/supervision/units/{unit_id}/flag", {"note": "  "})
        assert empty.status_code == 303 and "flag_unit" in empty.headers["location"]
        assert post_form(supervisor, "/supervision", f"/supervision/units/{unit_id}/flag",
                         {"note": "燃气用品隐患逾期较多"}).status_code == 303
        for unit in ("99999", "9" * 30):
            assert post_form(supervisor, "/supervision", f"/supervision/units/{unit}/flag",
                             {"note": "x"}).status_code == 404
    with TestClient(app) as handler:
        assert "燃气用品隐患逾期较多" in login(handler, "pd.handler").get("/").text
    with Session(world.db.reader) as s:
        assert s.execute(select(func.count()).select_from(SupervisionFlag)).scalar_one() == 1


def test_unit_staff_cannot_flag(app, world):
    item = register(world)
    with TestClient(app) as client:
        login(client, "pd.leader")
        assert post_form(client, "/", f"/supervision/items/{item}/flag", {"note": "x"}).status_code == 403
        assert post_form(client, "/", "/supervision/flags/1/close", {}).status_code == 403


def test_the_supervision_view_lists_cases_open_more_than_90_days_and_ranks_units(app, world, clock: MovableClock):
    item = register(world)
    fire(world, world.leader, item, "file_case", {"offence": "案由", "reasons": "理由", "legal_provisions": "依据"})
    clock.advance(days=100)  # the first case has been open 100 days; the second is filed today
    fresh = register(world, moment=clock.now(), found_on=clock.today().isoformat())
    fire(world, world.leader, fresh, "file_case", {"offence": "案由", "reasons": "理由", "legal_provisions": "依据"},
         clock.now())
    with TestClient(app) as client:
        html = login(client, "city.supervisor").get("/supervision").text
    stale = html[html.index('id="stale"'):html.index('id="ranking"')]
    assert f'href="/items/{item}"' in stale and f'href="/items/{fresh}"' not in stale
    ranking = text_of(html[html.index('id="ranking"'):html.index('id="flags"')])
    assert "浦东新区局" in ranking and "未登记隐患" in ranking


# --- the workflow page -------------------------------------------------------------------------------------------


def test_the_workflow_page_draws_every_state_and_event_from_the_table(app, world):
    with TestClient(app) as client:
        html = login(client, "pd.handler").get("/workflow").text
    diagram = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram"'):]
    diagram = diagram[:diagram.index("</svg>")]
    for spec in EVENTS.values():
        assert spec.label in diagram and spec.label in html
    for state in ("已发现", "整改中", "已立案", "已移送司法机关", "已办结", "回头看"):
        assert state in diagram
    assert "http://" not in diagram.replace('xmlns="http://www.w3.org/2000/svg"', "")
