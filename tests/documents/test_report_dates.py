"""The 问题清单 is dated by the application's clock on the Shanghai calendar, never by the machine's date."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from litestar.testing import TestClient
from sqlalchemy import update
from sqlmodel import Session

from db.models import User
from tests.conftest import NOW, World, register_input
from tests.documents.pdf_probe import pdf_pages, squeeze
from tests.web.api_support import PASSWORD, password_hash
from web.api.reporting import build_for
from web.app import create_app
from web.settings import Settings
from workflow import services
from workflow.clock import SHANGHAI, FixedClock

# 00:30 in Shanghai on 10 July is still 9 July in UTC (and on a machine set to UTC).
JUST_AFTER_MIDNIGHT = dt.datetime(2023, 7, 10, 0, 30, tzinfo=SHANGHAI)
JULY = {"from": "2023-07-01", "to": "2023-07-31"}


@pytest.fixture
def app(world: World, tmp_path):
    services.register_item(world.uow(), world.handler, register_input(), NOW)
    with Session(world.db.writer) as s:
        s.execute(update(User).values(password_hash=password_hash()))
        s.commit()
    settings = Settings(secret_key="test-secret-key-0123456789abcdef", data_dir=tmp_path, secure_cookies=False)
    return create_app(database=world.db, settings=settings, clock=FixedClock(JUST_AFTER_MIDNIGHT))


def test_the_clock_of_the_test_is_a_day_apart_in_utc():
    assert JUST_AFTER_MIDNIGHT.astimezone(dt.timezone.utc).date() == dt.date(2023, 7, 9)


def test_the_issue_list_pdf_is_dated_by_the_app_clocks_shanghai_day(app, world):
    data, media_type, _ = build_for(app.state.runtime, world.handler, "issue-list", {**JULY, "format": "pdf"})
    assert media_type == "application/pdf"
    first = squeeze(pdf_pages(data)[0])
    assert "制表日期：2023年7月10日" in first
    assert "2023年7月9日" not in first


def test_the_issue_list_xlsx_is_dated_by_the_app_clocks_shanghai_day(app, world):
    data, _, _ = build_for(app.state.runtime, world.handler, "issue-list", {**JULY, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert "制表日期：2023年7月10日" in sheet["A2"].value
    assert book.properties.created == dt.datetime(2023, 7, 10)


def test_the_reports_page_download_uses_the_same_clock(app):
    with TestClient(app) as client:
        client.get("/login")
        response = client.post("/login", data={"username": "pd.leader", "password": PASSWORD, "next": "/",
                                               "_csrf_token": client.cookies.get("csrftoken")}, follow_redirects=False)
        assert response.status_code == 303
        response = client.get("/reports/issue-list/download", params={**JULY, "format": "xlsx"})
    assert response.status_code == 200, response.text[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "制表日期：2023年7月10日" in sheet["A2"].value
