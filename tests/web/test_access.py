"""Every registered route is in the access table, and the guard enforces the table for every role.

A new route that is not in web/access.py fails here (and the guard refuses it at run time: fail closed)."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from tests.conftest import World
from tests.web.api_support import PASSWORD, Api, make_app
from web import access

ROLES = {"handler": "pd.handler", "leader": "pd.leader", "supervisor": "city.supervisor", "admin": "city.admin"}


@pytest.fixture
def app(world: World, tmp_path):
    return make_app(world, tmp_path)


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


def test_the_guard_answers_by_the_table_for_every_route_and_role(app):
    checked = 0
    for path, method, name in routes(app):
        roles = access.roles_for(name, path)
        if roles is access.PUBLIC or method in ("OPTIONS", "HEAD"):
            continue
        url = concrete(path)
        with TestClient(app=app) as anonymous:
            response = anonymous.request(method, url, follow_redirects=False)
            if path.startswith("/api/"):
                assert response.status_code == 401, (method, path)
            else:
                assert response.status_code in (303, 403), (method, path)  # login redirect (or CSRF refusal)
        for role, username in ROLES.items():
            if role in roles:
                continue
            with TestClient(app=app) as client:
                if path.startswith("/api/"):
                    response = Api(client).client.request(
                        method, url, headers={"Authorization": f"Bearer {Api(client).token(username)}"}, json={})
                else:
                    page_login(client, username)
                    token = client.cookies.get("csrftoken")
                    response = client.request(method, url, follow_redirects=False,
                                              headers={"x-csrftoken": token or ""})
                assert response.status_code == 403, (method, path, role, response.status_code)
                checked += 1
    assert checked > 10


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
