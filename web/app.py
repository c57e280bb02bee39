"""The Litestar application factory: routes, the access guard, sessions, CSRF, templates, error handlers."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, get
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope
from litestar.config.csrf import CSRFConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.stores.file import FileStore
from litestar.template.config import TemplateConfig

from db.engine import Database, open_database
from documents.store import PdfStore
from web import api, errors, pages
from web.api import schemas as api_schemas
from web.auth import access_guard, api_token, login_page, login_submit, logout
from web.app_state import Runtime
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


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app(database: Database | None = None, settings: Settings | None = None,
               clock: Clock | None = None) -> Litestar:
    logging_setup.configure()
    settings = settings or load_settings()
    database = database or open_database()
    runtime = Runtime(database=database, settings=settings, store=PdfStore(settings.pdf_dir), clock=clock or Clock())
    session_config = ServerSideSessionConfig(
        key="hazardtrack_session", httponly=True, samesite="lax", secure=settings.secure_cookies,
        max_age=12 * 3600, store="sessions")
    app = Litestar(
        route_handlers=[
            health, login_page, login_submit, logout, api_token,
            *api.ROUTES, *pages.ROUTES,
            create_static_files_router(path="/static", directories=[WEB_DIR / "static"], name="static"),
        ],
        guards=[access_guard],
        middleware=[session_config.middleware],
        before_send=[security_headers],
        stores={"sessions": FileStore(settings.data_dir / "sessions", create_directories=True)},
        csrf_config=CSRFConfig(secret=settings.secret_key, cookie_httponly=True, cookie_secure=settings.secure_cookies,
                               exclude=["/api/"]),
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
    return app
