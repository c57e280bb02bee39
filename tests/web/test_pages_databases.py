"""The pages' own queries (dashboard, list, export, supervision, enterprise page) on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import openpyxl
from litestar.testing import TestClient
from sqlalchemy import select
from sqlmodel import Session

from db.models import Enterprise
from tests.conftest import NOW, PUDONG_USCC, YANGPU_USCC, MovableClock, World
from tests.web.api_support import make_app
from tests.web.test_pages import fire, login, post_form, register


def test_every_read_page_works_on_both_databases(any_world: World, tmp_path, clock: MovableClock):
    app = make_app(any_world, tmp_path, clock)
    item = register(any_world)
    fire(any_world, any_world.leader, item, "file_case",
         {"offence": "案由", "reasons": "理由", "legal_provisions": "依据"}, NOW)
    clock.advance(days=100)  # the case has been open for more than 90 days: the supervision view lists it
    register(any_world, actor=any_world.other_handler, enterprise_uscc=YANGPU_USCC, category="电动自行车",
             sub_product=None)
    with Session(any_world.db.reader) as s:
        enterprise = s.execute(select(Enterprise.id).where(Enterprise.uscc == PUDONG_USCC)).scalar_one()
    with TestClient(app) as client:
        login(client, "city.supervisor")
        for path in ("/", "/items", "/items?overdue=1&sort=deadline", "/items?q=燃气&from=2023-01-01&to=2023-12-31",
                     f"/items/{item}", "/supervision", f"/enterprises/{enterprise}", "/enterprises?q=上海",
                     "/workflow"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
        stale = client.get("/supervision").text
        assert f'href="/items/{item}"' in stale[stale.index('id="stale"'):]
        assert post_form(client, "/supervision", f"/supervision/items/{item}/flag", {"note": "督办"}).status_code == 303
        sheet = openpyxl.load_workbook(io.BytesIO(client.get("/items/export?sort=deadline").content)).active
        assert sheet.max_row == 3
    with TestClient(app) as client:
        assert "督办" in login(client, "pd.handler").get("/").text
