"""Logging through the real app: request ids, one access line per request, audit records for signing in and out."""

from __future__ import annotations

import asyncio
import threading
import json
import logging
import re

import anyio.to_thread
import pytest
from litestar.testing import TestClient

from tests.conftest import World
from tests.web.api_support import PASSWORD, make_app
from web import logging_setup
from web.request_log import RequestLog

WRONG_PASSWORD = "Wr0ng-Passw0rd-do-not-log"


@pytest.fixture
def app(world: World, tmp_path):
    return make_app(world, tmp_path)


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


@pytest.fixture(autouse=True)
def text_logging_at_info(caplog):
    logging_setup.configure(fmt="text", level="INFO")
    caplog.set_level(logging.INFO)
    yield
    logging_setup.configure(fmt="text", level="INFO")


def run_on_own_loop(coroutine) -> None:
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps an event loop in the main thread."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if failure:
        raise failure[0]


def access_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "hazardtrack.access"]


def audit_records(caplog, event: str | None = None) -> list[logging.LogRecord]:
    return [r for r in caplog.records
            if r.name == "hazardtrack.audit" and (event is None or r.audit["event"] == event)]


def everything_logged(caplog) -> str:
    """Each record the app wrote, as the text and the JSON formatter write it, and its attributes (the test's own
    HTTP client, httpx, logs the URLs it requests: not the app's)."""
    text, js = logging_setup.TextFormatter(), logging_setup.JsonFormatter()
    return "\n".join(f"{text.format(r)}\n{js.format(r)}\n{r.__dict__!r}" for r in caplog.records
                     if not r.name.startswith(("httpx", "httpcore")))


def page_login(client: TestClient, username: str, password: str):
    client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "next": "/",
                                       "_csrf_token": client.cookies.get("csrftoken")}, follow_redirects=False)


# --- request ids ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, status", [("/health", 200), ("/no/such/page", 404), ("/static/app.css", 200),
                                          ("/api/v1/items", 401), ("/items", 303)])
def test_every_response_carries_a_fresh_request_id(client, path, status):
    first = client.get(path, follow_redirects=False)
    second = client.get(path, follow_redirects=False)
    assert first.status_code == status
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_sane_request_id_from_the_client_is_echoed(client, caplog):
    supplied = "Root=1-5759e988-bd862e3f;Parent=53995c3f42cd8ad8"
    response = client.get("/health", headers={"X-Request-ID": supplied})
    assert response.headers["X-Request-ID"] == supplied
    (line,) = access_records(caplog)
    assert line.request_id == supplied


@pytest.mark.parametrize("insane", ["x" * 65, "", "two words", "abc\x01def", "tab\there",
                                    "請求".encode("utf-8"), b"caf\xe9"])
def test_an_insane_request_id_from_the_client_is_replaced(client, caplog, insane):
    response = client.get("/health", headers={"X-Request-ID": insane})
    echoed = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)
    assert access_records(caplog)[0].request_id == echoed


def test_the_longest_sane_request_id_is_kept(client):
    assert client.get("/health", headers={"X-Request-ID": "a" * 64}).headers["X-Request-ID"] == "a" * 64


# --- the access line --------------------------------------------------------------------------------------------


def test_a_request_is_logged_once_with_method_path_status_user_and_id_but_no_query(client, caplog, world):
    assert page_login(client, "pd.handler", PASSWORD).status_code == 303
    caplog.clear()
    response = client.get("/items?q=secret-search-term")
    assert response.status_code == 200
    (line,) = access_records(caplog)
    rid = response.headers["X-Request-ID"]
    assert line.access["method"] == "GET" and line.access["path"] == "/items" and line.access["status"] == 200
    assert line.access["user_id"] == world.handler.user_id and line.access["duration_ms"] >= 0
    assert line.request_id == rid
    text = logging_setup.TextFormatter().format(line)
    assert f"[{rid}]" in text and f"GET /items 200 " in text and f"user={world.handler.user_id}" in text
    assert "secret-search-term" not in everything_logged(caplog)


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("get", "/no/such/page", {}, 404),
    ("post", "/api/v1/auth/token", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422),
    ("delete", "/health", {}, 405),
    ("get", "/static/app.js", {}, 200),
])
def test_error_responses_and_static_files_get_exactly_one_access_line(client, caplog, method, path, kwargs, status):
    response = client.request(method.upper(), path, **kwargs)
    assert response.status_code == status
    (line,) = access_records(caplog)
    assert (line.access["method"], line.access["path"], line.access["status"]) == (method.upper(), path, status)
    assert line.access["user_id"] is None
    assert line.request_id == response.headers["X-Request-ID"]


def test_a_500_is_logged_once_and_the_error_record_carries_the_same_request_id(client, caplog, monkeypatch):
    def broken(connection):
        raise RuntimeError("boom")

    monkeypatch.setattr("web.auth.resolve_actor", broken)
    response = client.get("/health")
    assert response.status_code == 500
    (line,) = access_records(caplog)
    assert line.access["status"] == 500
    errors = [r for r in caplog.records if r.name == "hazardtrack.web" and r.levelno == logging.ERROR]
    assert errors and all(r.request_id == response.headers["X-Request-ID"] for r in errors)


def test_an_exception_escaping_the_app_is_logged_as_500_and_raised(caplog):
    async def raising_app(scope, receive, send):
        raise RuntimeError("boom")

    scope = {"type": "http", "method": "GET", "path": "/x", "headers": []}
    with pytest.raises(RuntimeError, match="boom"):
        run_on_own_loop(RequestLog(raising_app)(scope, None, None))
    (line,) = access_records(caplog)
    assert line.access["status"] == 500 and line.access["path"] == "/x"


def test_records_written_in_a_worker_thread_carry_the_request_id(caplog):
    async def app(scope, receive, send):
        await anyio.to_thread.run_sync(lambda: logging.getLogger("hazardtrack.test").info("in a thread"))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [(b"x-request-id", b"rid-7")]}
    run_on_own_loop(RequestLog(app)(scope, None, send))
    (record,) = [r for r in caplog.records if r.name == "hazardtrack.test"]
    assert record.request_id == "rid-7" and scope["state"]["request_id"] == "rid-7"
    assert (b"x-request-id", b"rid-7") in sent[0]["headers"]


def test_records_outside_a_request_have_no_request_id(caplog):
    logging.getLogger("hazardtrack.test").info("hello")
    (record,) = [r for r in caplog.records if r.name == "hazardtrack.test"]
    assert record.request_id is None
    assert "[-] hello" in logging_setup.TextFormatter().format(record)


def test_a_path_cannot_forge_a_log_line(client, caplog):
    client.get("/no%0A2023-07-10 10:00:00,000 INFO hazardtrack.audit forged")
    (line,) = access_records(caplog)
    assert "\n" not in logging_setup.TextFormatter().format(line)


# --- audit records ----------------------------------------------------------------------------------------------


def test_a_failed_token_sign_in_is_audited_without_the_password(client, caplog):
    response = client.post("/api/v1/auth/token", json={"username": "pd.handler", "password": WRONG_PASSWORD})
    assert response.status_code == 401
    (record,) = audit_records(caplog, "sign_in_failed")
    assert record.audit["username"] == "pd.handler" and record.audit["via"] == "token"
    assert record.audit["address"] and record.request_id == response.headers["X-Request-ID"]
    assert WRONG_PASSWORD not in everything_logged(caplog)


def test_a_failed_form_sign_in_is_audited_without_the_password(client, caplog):
    response = page_login(client, "pd.handler", WRONG_PASSWORD)
    assert response.status_code == 400
    (record,) = audit_records(caplog, "sign_in_failed")
    assert record.audit["username"] == "pd.handler" and record.audit["via"] == "page"
    assert WRONG_PASSWORD not in everything_logged(caplog)


def test_the_typed_username_is_cut_to_50_characters(client, caplog):
    client.post("/api/v1/auth/token", json={"username": "u" * 500, "password": WRONG_PASSWORD})
    (record,) = audit_records(caplog, "sign_in_failed")
    assert record.audit["username"] == "u" * 50


@pytest.mark.parametrize("via", ["page", "token"])
def test_a_successful_sign_in_is_audited_with_the_user(client, caplog, world, via):
    if via == "page":
        assert page_login(client, "pd.handler", PASSWORD).status_code == 303
    else:
        response = client.post("/api/v1/auth/token", json={"username": "pd.handler", "password": PASSWORD})
        assert response.status_code == 200
    (record,) = audit_records(caplog, "sign_in")
    assert record.audit == {"event": "sign_in", "user_id": world.handler.user_id, "username": "pd.handler",
                            "address": record.audit["address"], "via": via}
    assert not audit_records(caplog, "sign_in_failed")
    assert PASSWORD not in everything_logged(caplog)


@pytest.mark.parametrize("via", ["page", "token"])
def test_enough_failures_are_audited_as_a_lockout(client, caplog, via):
    def attempt():
        if via == "page":
            return page_login(client, "pd.leader", WRONG_PASSWORD)
        return client.post("/api/v1/auth/token", json={"username": "pd.leader", "password": WRONG_PASSWORD})

    statuses = [attempt().status_code for _ in range(6)]
    assert statuses[-1] == 429 and 429 not in statuses[:-1]
    assert len(audit_records(caplog, "sign_in_failed")) == 5
    (record,) = audit_records(caplog, "lockout")
    assert record.audit["username"] == "pd.leader" and record.audit["address"] and record.audit["retry_after"] > 0
    assert record.audit["via"] == via


def test_signing_out_is_audited_with_the_user(client, caplog, world):
    page_login(client, "pd.handler", PASSWORD)
    caplog.clear()
    response = client.post("/logout", data={"_csrf_token": client.cookies.get("csrftoken")}, follow_redirects=False)
    assert response.status_code == 303
    (record,) = audit_records(caplog, "sign_out")
    assert record.audit["user_id"] == world.handler.user_id


# --- configuration ----------------------------------------------------------------------------------------------


def test_configuring_twice_and_building_two_apps_adds_no_second_handler(world, tmp_path):
    before = len(logging.getLogger().handlers)
    logging_setup.configure()
    logging_setup.configure(fmt="json")
    make_app(world, tmp_path / "a")
    make_app(world, tmp_path / "b")
    assert len(logging.getLogger().handlers) == before
    assert len([h for h in logging.getLogger().handlers if getattr(h, "_hazardtrack_handler", False)]) == 1


def test_building_the_app_keeps_our_handler_on_the_root_logger(world, tmp_path):
    handler = logging_setup.configure()
    make_app(world, tmp_path)  # Litestar's default logging config would replace the root logger's handlers
    assert handler in logging.getLogger().handlers


def test_the_level_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("HAZARDTRACK_LOG_LEVEL", "warning")
    logging_setup.configure()
    assert logging.getLogger().level == logging.WARNING
    assert logging.getLogger("weasyprint.progress").getEffectiveLevel() == logging.WARNING
    monkeypatch.setenv("HAZARDTRACK_LOG_LEVEL", "chatty")
    logging_setup.configure()
    assert logging.getLogger().level == logging.INFO


def stderr_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_json_format_writes_one_parseable_object_per_line(client, capsys, monkeypatch):
    monkeypatch.setenv("HAZARDTRACK_LOG_FORMAT", "json")
    logging_setup.configure()
    capsys.readouterr()
    response = client.post("/api/v1/auth/token", json={"username": "pd.handler", "password": WRONG_PASSWORD},
                           headers={"X-Request-ID": "req-42"})
    lines = [json.loads(line) for line in stderr_lines(capsys)]
    access = [line for line in lines if line["logger"] == "hazardtrack.access"]
    assert access == [{"time": access[0]["time"], "level": "INFO", "logger": "hazardtrack.access",
                       "message": access[0]["message"], "method": "POST", "path": "/api/v1/auth/token",
                       "status": 401, "duration_ms": access[0]["duration_ms"], "user_id": None,
                       "request_id": "req-42"}]
    (audit,) = [line for line in lines if line["logger"] == "hazardtrack.audit"]
    assert audit["event"] == "sign_in_failed" and audit["username"] == "pd.handler"
    assert audit["request_id"] == "req-42" and audit["time"]
    assert response.headers["X-Request-ID"] == "req-42"


def test_text_format_writes_readable_lines_and_audit_lines_as_json(client, capsys):
    capsys.readouterr()
    client.post("/api/v1/auth/token", json={"username": "pd.handler", "password": WRONG_PASSWORD},
                headers={"X-Request-ID": "req-43"})
    lines = stderr_lines(capsys)
    (access,) = [line for line in lines if " hazardtrack.access " in line]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO hazardtrack\.access \[req-43\] "
                        r"POST /api/v1/auth/token 401 \d+\.\dms user=-", access)
    (audit,) = [json.loads(line) for line in lines if '"hazardtrack.audit"' in line]
    assert audit["event"] == "sign_in_failed" and audit["request_id"] == "req-43"
    assert list(audit)[:4] == ["time", "level", "logger", "event"]


def test_serve_leaves_the_access_log_and_the_logging_setup_to_us(monkeypatch):
    import uvicorn

    from web.cli import build_parser, cmd_serve

    calls = []
    monkeypatch.setattr("web.app.create_app", lambda: "app")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    assert cmd_serve(build_parser().parse_args(["serve", "--port", "8123"])) == 0
    ((app, kw),) = calls
    assert app == "app" and kw["access_log"] is False and kw["log_config"] is None and kw["port"] == 8123
