"""The Litestar application factory: routes, the access guard, sessions (in the database), CSRF (bound to the
session), templates, error handlers."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, get
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope
from litestar.config.csrf import CSRFConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from db.engine import Database, open_database
from documents.store import PdfStore
from web import api, errors, pages
from web.api import schemas as api_schemas
from web.auth import access_guard, api_token, login_page, login_submit, logout
from web.app_state import Runtime
from web.csrf import SessionCSRFMiddleware
from web.sessions import DatabaseStore, SessionConfig
from web import logging_setup, request_log
from web.settings import Settings, load_settings
from workflow.clock import Clock
from web.template_env import configure_environment

WEB_DIR = Path(__file__).parent
MAX_JSON_BODY = 1024 * 1024  # DESIGN §7: a JSON body up to 1 MB; uploads raise it per route to 20 MB


# Scripts only from this site (no inline handlers); inline styles stay allowed for the server-rendered SVG charts.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


async def security_headers(message: Message, scope: Scope) -> None:
    """Every response, error pages and unknown paths included, carries SECURITY_HEADERS (a before_send hook)."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value


async def no_store_when_signed_in(message: Message, scope: Scope) -> None:
    """Every response to a signed-in person or API client (pages, API answers, PDFs, error pages) is sent with
    `Cache-Control: no-store`: after 退出 the back button shows no case data. Public responses (the login page,
    static files, /health) keep their caching."""
    if message["type"] == "http.response.start" and (scope.get("state") or {}).get("actor") is not None:
        MutableScopeHeaders.from_message(message)["Cache-Control"] = "no-store"


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app(database: Database | None = None, settings: Settings | None = None,
               clock: Clock | None = None) -> Litestar:
    logging_setup.configure()
    settings = settings or load_settings()
    database = database or open_database()
    runtime = Runtime(database=database, settings=settings, store=PdfStore(settings.pdf_dir), clock=clock or Clock())
    session_config = SessionConfig(
        key="hazardtrack_session", httponly=True, samesite="lax", secure=settings.secure_cookies,
        max_age=12 * 3600, store="sessions")
    csrf_config = CSRFConfig(secret=settings.secret_key, cookie_httponly=True, cookie_secure=settings.secure_cookies,
                             exclude=["/api/"])
    app = Litestar(
        route_handlers=[
            health, login_page, login_submit, logout, api_token,
            *api.ROUTES, *pages.ROUTES,
            create_static_files_router(path="/static", directories=[WEB_DIR / "static"], name="static"),
        ],
        guards=[access_guard],
        # Sessions in the database (web/sessions.py); CSRF bound to the session (web/csrf.py) instead of
        # Litestar's csrf_config, whose token passes for any visitor.
        middleware=[session_config.middleware,
                    DefineMiddleware(SessionCSRFMiddleware, config=csrf_config, session_cookie=session_config.key)],
        before_send=[security_headers, no_store_when_signed_in],
        stores={"sessions": DatabaseStore(database, runtime.clock)},
        template_config=TemplateConfig(directory=WEB_DIR / "templates", engine=JinjaTemplateEngine,
                                       engine_callback=configure_environment),
        exception_handlers=errors.HANDLERS,
        openapi_config=OpenAPIConfig(title="hazardtrack API", version="1.0.0", path="/schema",
                                     components=api_schemas.COMPONENTS),
        request_max_body_size=MAX_JSON_BODY,
        logging_config=None,  # logging is configured once, by web.logging_setup: Litestar's own would replace it
    )
    request_log.install(app)  # request id + one access line per request, around routing (404s included)
    app.state.runtime = runtime
    app.state.csrf_config = csrf_config
    return app
