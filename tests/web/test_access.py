"""Every registered route is in the access table, and the guard enforces the table for every role.

A new route that is not in web/access.py fails here (and the guard refuses it at run time: fail closed)."""

from __future__ import annotations

import re
from typing import Iterator

import pytest
from litestar.testing import TestClient

from tests.conftest import World, _new_sqlite_database
from tests.web.api_support import PASSWORD, Api, make_app
from web import access

ROLES = {"handler": "pd.handler", "leader": "pd.leader", "supervisor": "city.supervisor", "admin": "city.admin"}


@pytest.fixture(scope="module")
def app(sqlite_template, tmp_path_factory):
    """One app for the module: these tests read the access table and change nothing that another test reads (a
    refused request saves nothing), so they share the database, the app and the signed-in clients."""
    directory = tmp_path_factory.mktemp("access")
    database = _new_sqlite_database(directory, sqlite_template)
    yield make_app(World(database), directory)
    database.dispose()


def routes(app):
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods):
                yield route.path, method, handler.handler_name


def concrete(path: str) -> str:
    return re.sub(r"\{[^}:]+:int\}", "1", re.sub(r"\{[^}:]+(:(str|path))?\}", "x", path))


def test_every_route_is_in_the_access_table(app):
    missing = [(p, m, n) for p, m, n in routes(app) if access.roles_for(n, p) is None]
    assert missing == []


def test_the_access_table_has_no_stale_entries(app):
    registered = {n for _, _, n in routes(app)}
    assert set(access.ACCESS) - registered == set()


def page_login(client: TestClient, username: str) -> None:
    client.get("/login")
    token = client.cookies.get("csrftoken")
    response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/",
                                           "_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text


@pytest.fixture(scope="module")
def signed_in(app) -> Iterator[dict[str, tuple[TestClient, TestClient, dict[str, str]]]]:
    """Per role: a browser-like client signed in through the login form (with its CSRF header), and the bearer
    header of an API token from POST /api/v1/auth/token; each made once, not once per route."""
    clients: dict[str, tuple[TestClient, TestClient, dict[str, str]]] = {}
    opened: list[TestClient] = []
    for role, username in ROLES.items():
        page_client = TestClient(app=app)
        page_client.__enter__()
        opened.append(page_client)
        page_login(page_client, username)
        api_client = TestClient(app=app)
        api_client.__enter__()
        opened.append(api_client)
        bearer = {"Authorization": f"Bearer {Api(api_client).token(username)}"}
        clients[role] = (page_client, api_client, bearer)
    yield clients
    for client in opened:
        client.__exit__(None, None, None)


def test_the_guard_answers_by_the_table_for_every_route_and_role(app, signed_in):
    checked = 0
    with TestClient(app=app) as anonymous:
        for path, method, name in routes(app):
            roles = access.roles_for(name, path)
            if roles is access.PUBLIC or method in ("OPTIONS", "HEAD"):
                continue
            url = concrete(path)
            anonymous.cookies.clear()
            response = anonymous.request(method, url, follow_redirects=False)
            if path.startswith("/api/"):
                assert response.status_code == 401, (method, path)
            else:
                assert response.status_code in (303, 403), (method, path)  # login redirect (or CSRF refusal)
            for role in ROLES:
                if role in roles:
                    continue
                page_client, api_client, bearer = signed_in[role]
                if path.startswith("/api/"):
                    response = api_client.request(method, url, headers=bearer, json={})
                else:
                    token = page_client.cookies.get("csrftoken") or ""
                    response = page_client.request(method, url, follow_redirects=False, headers={"x-csrftoken": token})
                assert response.status_code == 403, (method, path, role, response.status_code)
                checked += 1
    assert checked > 10
    # The clients are still signed in as their roles: every refusal above was the guard's, not a lost session.
    for role, (page_client, api_client, bearer) in signed_in.items():
        assert page_client.get("/", follow_redirects=False).status_code == 200, role
        assert api_client.get("/api/v1/items", headers=bearer).status_code == 200, role


def test_a_post_form_without_a_csrf_token_is_refused(app):
    with TestClient(app=app) as client:
        page_login(client, "pd.handler")
        response = client.post("/logout", data={}, follow_redirects=False)
        assert response.status_code == 403


def test_session_cookie_is_httponly_and_samesite(app):
    with TestClient(app=app) as client:
        client.get("/login")
        token = client.cookies.get("csrftoken")
        response = client.post("/login", data={"username": "pd.handler", "password": PASSWORD, "next": "/",
                                               "_csrf_token": token}, follow_redirects=False)
        cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "hazardtrack_session" in v)
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("samesite", "SameSite")


def test_a_failed_page_login_says_so_in_chinese_and_open_redirects_are_refused(app):
    with TestClient(app=app) as client:
        client.get("/login")
        token = client.cookies.get("csrftoken")
        bad = client.post("/login", data={"username": "pd.handler", "password": "x", "_csrf_token": token})
        assert bad.status_code == 400 and "用户名或密码错误" in bad.text
        assert bad.headers["content-type"].startswith("text/html")  # the page again, not its markup as text
        assert '<form method="post" action="/login">' in bad.text and 'value="pd.handler"' in bad.text
        good = client.post("/login", data={"username": "pd.handler", "password": PASSWORD, "_csrf_token": token,
                                           "next": "//evil.example/"}, follow_redirects=False)
        assert good.headers["location"] == "/"


def test_every_response_carries_the_security_headers(app):
    with TestClient(app=app) as client:
        for path in ("/login", "/health", "/api/v1/items", "/nowhere"):
            response = client.get(path, follow_redirects=False)
            assert "script-src 'self'" in response.headers["content-security-policy"], path
            assert response.headers["x-frame-options"] == "DENY"
            assert response.headers["x-content-type-options"] == "nosniff"
