"""One enterprise field definition (workflow.enterprise_fields) for the table, the form, the import and the API: every
field at its maximum length saves through each of them, on SQLite and on PostgreSQL, and one character more is
refused with the field named — never a 500 from a column narrower than the form."""

from __future__ import annotations

import csv
import io

from litestar.testing import TestClient
from sqlalchemy import select
from sqlmodel import Session

from db.models import Enterprise
from tests.conftest import World
from tests.web.api_support import Api, make_app
from tests.web.test_pages import csrf, login, post_form
from workflow.enterprise_fields import FIELD, FIELDS
from workflow.enterprise_rows import COLUMNS
from workflow.uscc import make_uscc


def longest(uscc: str) -> dict[str, str]:
    """Every text field as long as its definition allows (the phone number in digits, the kind a choice)."""
    values = {f.name: "企" * f.max_length for f in FIELDS if not f.choices and f.problem is None}
    values.update(uscc=uscc, phone="0" * FIELD["phone"].max_length, kind="生产和销售")
    return values


def stored(world: World, uscc: str) -> Enterprise:
    with Session(world.db.reader) as s:
        return s.execute(select(Enterprise).where(Enterprise.uscc == uscc)).scalar_one()


def assert_saved_whole(world: World, values: dict[str, str]) -> None:
    row = stored(world, values["uscc"])
    for f in FIELDS:
        assert getattr(row, f.name) == values[f.name], f.name


def test_every_field_at_its_maximum_saves_through_the_api(any_world: World, tmp_path):
    values = longest(make_uscc("91310115MA1G8CK01"))
    with TestClient(app=make_app(any_world, tmp_path)) as client:
        api = Api(client)
        response = api.post("/api/v1/enterprises", "pd.handler", json=values)
        assert response.status_code == 201, response.text
        too_long = {**longest(make_uscc("91310115MA1G8CK02")), "legal_rep": "企" * (FIELD["legal_rep"].max_length + 1)}
        refused = api.post("/api/v1/enterprises", "pd.handler", json=too_long)
        assert refused.status_code == 422 and set(refused.json()["fields"]) == {"legal_rep"}
        changed = api.patch(f"/api/v1/enterprises/{response.json()['id']}", "pd.handler",
                            json={"address": "沪" * FIELD["address"].max_length})
        assert changed.status_code == 200, changed.text
    assert_saved_whole(any_world, {**values, "address": "沪" * FIELD["address"].max_length})


def test_every_field_at_its_maximum_saves_through_the_form(any_world: World, tmp_path):
    values = longest(make_uscc("91310115MA1G8CK03"))
    with TestClient(app=make_app(any_world, tmp_path)) as client:
        login(client, "pd.handler")
        response = post_form(client, "/enterprises/new", "/enterprises", values)
        assert response.status_code == 303, response.text[:500]
        bad_phone = post_form(client, "/enterprises/new", "/enterprises",
                              {**longest(make_uscc("91310115MA1G8CK04")), "phone": "---"})
        assert bad_phone.status_code == 422 and "联系电话" in bad_phone.text
    assert_saved_whole(any_world, values)


def test_every_field_at_its_maximum_saves_through_the_import(any_world: World, tmp_path):
    values = longest(make_uscc("91310115MA1G8CK05"))
    row = {FIELD[name].column: value for name, value in values.items()} | {"所属单位": "310115"}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow([row[c] for c in COLUMNS])
    with TestClient(app=make_app(any_world, tmp_path)) as client:
        login(client, "pd.handler")
        response = client.post("/enterprises/import",
                               files={"data": ("企业.csv", buffer.getvalue().encode("utf-8"), "text/csv")},
                               data={"_csrf_token": csrf(client, "/enterprises/import")}, follow_redirects=False)
        assert response.status_code == 303, response.text[:500]
    assert_saved_whole(any_world, values)
