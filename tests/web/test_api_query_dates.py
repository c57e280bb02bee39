"""Dates in query parameters are input like any other: a malformed one is a 422 naming the parameter, never a 500."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.conftest import World
from tests.web.api_support import Api, make_app


@pytest.mark.parametrize("path", [
    "/api/v1/special-inspections?date=garbage",
    "/api/v1/special-inspections?date=2023-02-30",
    "/api/v1/reports/statistics?from=20230601",
    "/api/v1/sampling-inspections?to=yesterday",
])
def test_a_malformed_date_parameter_is_a_field_error(world: World, tmp_path, path):
    with TestClient(app=make_app(world, tmp_path)) as client:
        response = Api(client).get(path, "pd.handler")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_input"
    assert set(body["fields"]) == {path.split("?")[1].split("=")[0]}


def test_a_valid_reference_date_lists_the_enterprises_of_that_day(world: World, tmp_path):
    with TestClient(app=make_app(world, tmp_path)) as client:
        response = Api(client).get("/api/v1/special-inspections?date=2023-09-01", "pd.handler")
    assert response.status_code == 200 and response.json() == {"items": [], "next_cursor": None}
