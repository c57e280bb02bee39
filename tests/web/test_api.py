"""The JSON API of DESIGN §7: each route's success, 401, 403, 404, 409 and 422, in the documented order."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from db.models import ItemEvent
from tests.conftest import NOW, PUDONG_USCC, MovableClock, World, event_input, register_input
from tests.web.api_support import Api, make_app
from workflow.clock import SHANGHAI, business_date
from workflow.uscc import make_uscc

TODAY = business_date(NOW)  # the app's clock is pinned at NOW


def reg(**overrides):
    return register_input(**{"found_on": TODAY.isoformat(), **overrides})


@pytest.fixture
def api(world: World, tmp_path, clock: MovableClock):
    with TestClient(app=make_app(world, tmp_path, clock)) as client:
        yield Api(client)


@pytest.fixture
def item(api: Api) -> dict:
    response = api.post("/api/v1/items", "pd.handler", json=reg())
    assert response.status_code == 201, response.text
    return response.json()


def history_count(world: World) -> int:
    with Session(world.db.reader) as s:
        return s.execute(select(func.count()).select_from(ItemEvent)).scalar_one()


def test_token_requires_the_right_password(api: Api):
    assert api.client.post("/api/v1/auth/token", json={"username": "pd.handler", "password": "wrong"}).status_code == 401
    bad = api.client.post("/api/v1/auth/token", json={"username": "", "password": ""})
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"username", "password"}


def test_repeated_failed_logins_are_slowed_down(api: Api):
    for _ in range(5):
        api.client.post("/api/v1/auth/token", json={"username": "pd.leader", "password": "nope"})
    blocked = api.client.post("/api/v1/auth/token", json={"username": "pd.leader", "password": "correct-horse-battery"})
    assert blocked.status_code == 429 and blocked.json()["error"] == "too_many_requests"
    assert "Retry-After" in blocked.headers


def test_every_api_route_needs_authentication(api: Api, item):
    for path in ("/api/v1/items", f"/api/v1/items/{item['id']}", "/api/v1/overdue", "/api/v1/enterprises",
                 f"/api/v1/documents/{item['documents'][0]['id']}"):
        response = api.get(path)
        assert response.status_code == 401, path
        assert response.json()["error"] == "unauthorized"
    assert api.client.get("/api/v1/items", headers={"Authorization": "Bearer 1.2.3.forged"}).status_code == 401


def test_register_returns_the_full_item(api: Api, item):
    assert item["state"] == "found" and item["version"] == 1
    assert item["enterprise"]["uscc"] == PUDONG_USCC
    assert item["history"][0]["event"] == "register"
    assert item["documents"][0]["kind"] == "hazard_register"
    assert len(item["documents"][0]["sha256"]) == 64
    assert item["allowed_events"] == ["order_rectification"]
    assert item["deadline"] and item["overdue"] is False


def test_register_validation_names_the_fields(api: Api, world: World):
    response = api.post("/api/v1/items", "pd.handler", json=reg(category="玩具", found_on="2023-02-30"))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input" and set(body["fields"]) >= {"found_on"}
    assert history_count(world) == 0
    malformed = api.client.post("/api/v1/items", content=b"{not json", headers={
        "Authorization": f"Bearer {api.token('pd.handler')}", "Content-Type": "application/json"})
    assert malformed.status_code == 422 and malformed.json()["error"] == "invalid_input"


def test_supervisors_may_not_register(api: Api):
    assert api.post("/api/v1/items", "city.supervisor", json=reg()).status_code == 403


def test_item_detail_is_hidden_from_other_units(api: Api, item):
    path = f"/api/v1/items/{item['id']}"
    assert api.get(path, "pd.leader").json() == {**item, "allowed_events": ["order_rectification", "file_case", "dismiss"]}
    assert api.get(path, "yp.handler").status_code == 404
    assert api.get(path, "yp.leader").json()["error"] == "not_found"
    assert api.get(path, "city.supervisor").status_code == 200
    assert api.get("/api/v1/items/999999", "pd.handler").status_code == 404


def test_fire_event_returns_the_same_item_object(api: Api, item, world: World):
    data = {**event_input("order_rectification", "found", TODAY), "version": 1}
    response = api.post(f"/api/v1/items/{item['id']}/events/order_rectification", "pd.handler", json=data)
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["state"] == "rectifying" and moved["version"] == 2
    assert [d["kind"] for d in moved["documents"]] == ["hazard_register", "rectification_order"]
    assert moved == api.get(f"/api/v1/items/{item['id']}", "pd.handler").json()


def test_event_errors_follow_the_documented_order(api: Api, item, world: World):
    path = f"/api/v1/items/{item['id']}/events/file_case"
    good = {**event_input("file_case", "found", TODAY), "version": 1}
    assert api.post(path, None, json=good).status_code == 401
    assert api.post(path, "yp.leader", json=good).status_code == 404  # another unit: existence not revealed
    assert api.post(path, "pd.handler", json=good).status_code == 403  # role
    assert api.post(path, "city.supervisor", json=good).status_code == 403
    stale = api.post(path, "pd.leader", json={**good, "version": 7})
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    wrong_state = api.post(f"/api/v1/items/{item['id']}/events/close_case", "pd.leader", json={"version": 1})
    assert wrong_state.status_code == 409
    invalid = api.post(path, "pd.leader", json={"version": 1, "offence": "", "reasons": "x" * 10_001})
    assert invalid.status_code == 422
    assert set(invalid.json()["fields"]) == {"offence", "reasons", "legal_provisions"}
    assert api.post(f"/api/v1/items/{item['id']}/events/teleport", "pd.leader", json=good).status_code == 404
    assert history_count(world) == 1
    assert api.post(path, "pd.leader", json=good).status_code == 200


def test_documents_metadata_and_pdf(api: Api, item):
    document = item["documents"][0]
    meta = api.get(f"/api/v1/documents/{document['id']}", "pd.handler").json()
    assert meta["number"] == document["number"] and meta["sha256"] == document["sha256"]
    pdf = api.get(f"/api/v1/documents/{document['id']}/pdf", "pd.handler")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    import hashlib

    assert hashlib.sha256(pdf.content).hexdigest() == document["sha256"]
    assert api.get(f"/api/v1/documents/{document['id']}/pdf", "yp.handler").status_code == 404


def test_item_list_filters_and_paginates_with_a_cursor(api: Api, world: World):
    for n in range(5):
        api.post("/api/v1/items", "pd.handler", json=reg(category="电线电缆", sub_product=None) if n % 2 else reg())
    first = api.get("/api/v1/items?limit=2", "pd.handler").json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = api.get(f"/api/v1/items?limit=2&cursor={first['next_cursor']}", "pd.handler").json()
    third = api.get(f"/api/v1/items?limit=2&cursor={second['next_cursor']}", "pd.handler").json()
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5 and third["next_cursor"] is None
    cables = api.get("/api/v1/items?category=电线电缆", "pd.handler").json()["items"]
    assert len(cables) == 2
    assert api.get("/api/v1/items", "yp.handler").json()["items"] == []
    assert len(api.get("/api/v1/items?unit=310115", "city.supervisor").json()["items"]) == 5
    bad = api.get("/api/v1/items?limit=500&state=lost&overdue=maybe", "pd.handler")
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"limit", "state", "overdue"}
    bad = api.get("/api/v1/items?state=lost&overdue=maybe", "pd.handler")
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"state", "overdue"}
    assert api.get("/api/v1/items?cursor=%%%", "pd.handler").status_code == 422


def test_overdue_lists_items_past_their_deadline(api: Api, world: World):
    old = (TODAY - dt.timedelta(days=60)).isoformat()
    overdue_item = api.post("/api/v1/items", "pd.handler", json=reg(found_on=old)).json()
    api.post("/api/v1/items", "pd.handler", json=reg())
    listed = api.get("/api/v1/overdue", "pd.handler").json()
    assert [i["id"] for i in listed["items"]] == [overdue_item["id"]]
    assert listed["items"][0]["overdue"] is True and listed["next_cursor"] is None
    assert api.get("/api/v1/overdue", "yp.handler").json()["items"] == []
    assert len(api.get("/api/v1/overdue", "city.supervisor").json()["items"]) == 1


def test_enterprises_list_create_and_update(api: Api):
    created = api.post("/api/v1/enterprises", "pd.handler", json={
        "uscc": make_uscc("91310115MA1K3YJ20"), "name": "上海新企业有限公司", "kind": "销售"})
    assert created.status_code == 201, created.text
    enterprise = created.json()
    assert enterprise["unit"]["code"] == "310115"
    bad = api.post("/api/v1/enterprises", "pd.handler", json={"uscc": "91310115591693856B", "name": "", "kind": "x"})
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"name", "kind"}
    assert api.post("/api/v1/enterprises", "city.supervisor", json={}).status_code == 403
    assert api.patch(f"/api/v1/enterprises/{enterprise['id']}", "yp.handler", json={"name": "改名"}).status_code == 404
    renamed = api.patch(f"/api/v1/enterprises/{enterprise['id']}", "pd.handler", json={"name": "上海改名有限公司"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "上海改名有限公司"
    found = api.get("/api/v1/enterprises?q=改名", "yp.handler").json()["items"]
    assert [e["id"] for e in found] == [enterprise["id"]]


def test_json_bodies_over_one_megabyte_are_refused(api: Api, item):
    big = {"version": 1, "offence": "x" * (1024 * 1024 + 10)}
    response = api.post(f"/api/v1/items/{item['id']}/events/file_case", "pd.leader", json=big)
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_openapi_schema_is_published(api: Api):
    schema = api.client.get("/schema/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/items/{item_id}/events/{event}" in schema.json()["paths"]


def test_impossible_ids_cursors_and_numbers_are_answered_not_crashed_on(api: Api):
    assert api.get("/api/v1/items/99999999999999999999", "pd.handler").status_code == 404
    assert api.get("/api/v1/documents/9223372036854775808/pdf", "pd.handler").status_code == 404
    import base64
    import json

    for forged in ([["x"], 1], ["2023-99-99", 5], [None, 2**70], [None, "1"]):
        cursor = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
        response = api.get(f"/api/v1/items?sort=deadline&cursor={cursor}", "pd.handler")
        assert response.status_code == 422, forged
    assert api.get("/api/v1/items?q=" + "9" * 40, "pd.handler").status_code == 200


def test_overdue_for_another_unit_is_not_found_and_supervisors_may_pick_a_unit(api: Api):
    old = (TODAY - dt.timedelta(days=60)).isoformat()
    api.post("/api/v1/items", "pd.handler", json=reg(found_on=old))
    assert api.get("/api/v1/overdue?unit=310110", "pd.handler").status_code == 404
    assert len(api.get("/api/v1/overdue?unit=310115", "pd.handler").json()["items"]) == 1
    assert api.get("/api/v1/overdue?unit=310110", "city.supervisor").json()["items"] == []
    assert len(api.get("/api/v1/overdue?unit=310115", "city.supervisor").json()["items"]) == 1


def test_a_deadline_in_a_year_without_the_official_holiday_schedule_says_so(api: Api, clock: MovableClock,
                                                                             monkeypatch):
    from workflow import workdays

    real = workdays.default_calendar().basis
    monkeypatch.setattr(workdays.WorkCalendar, "basis", lambda self, year: "weekends" if year >= 2024 else real(year))
    clock.set(dt.datetime(2023, 12, 20, 10, 0, tzinfo=SHANGHAI))  # 15 working days from here end in January 2024
    item = api.post("/api/v1/items", "pd.handler", json=reg(found_on="2023-12-20")).json()
    assert item["deadline"] > "2024-01-01"
    assert item["calendar_note"] and "周末" in item["calendar_note"]
    july = api.post("/api/v1/items", "pd.handler", json=reg(found_on="2023-07-03")).json()
    assert july["deadline"] < "2024" and july["calendar_note"] is None


def test_the_api_reads_the_business_date_from_the_apps_clock(api: Api, clock: MovableClock, item):
    assert item["overdue"] is False and item["deadline"] == "2023-07-31"  # 15 working days after 2023-07-10
    assert api.get("/api/v1/overdue", "pd.handler").json()["items"] == []
    clock.set(dt.datetime(2023, 8, 1, 9, 0, tzinfo=SHANGHAI))
    moved = api.get(f"/api/v1/items/{item['id']}", "pd.handler").json()
    assert moved["overdue"] is True
    assert [i["id"] for i in api.get("/api/v1/overdue", "pd.handler").json()["items"]] == [item["id"]]
