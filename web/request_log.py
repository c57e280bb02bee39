"""Request ids and the access log: one line per HTTP request.

`RequestLog` is a plain ASGI middleware wrapped around the whole Litestar application (`install(app)`), outside
routing: Litestar's own `middleware=` runs per route, so it would miss 404s for unknown paths and 405s. Around the
application it sees every response — errors, redirects, static files.

Per request it
- takes the client's `X-Request-ID` if it is sane (1–64 visible ASCII characters, no spaces or controls) or makes a
  new one (32 hex digits);
- puts it in `scope["state"]["request_id"]` (handlers: `request.state.request_id`) and in the context variable
  `web.logging_setup.request_id_var`, so that every log record written during the request carries it;
- answers with it in the `X-Request-ID` response header;
- at the end logs one INFO line on `hazardtrack.access`:
  `GET /items 200 12.3ms user=3` (the request id is in the line's prefix / JSON field). The path is logged without
  its query string (it may hold search terms); `user` is the id of `request.state.actor` (set by the access guard),
  `-` when nobody is signed in. The record's `access` attribute holds the same fields as a dict.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from litestar import Litestar
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from web.logging_setup import escape_controls, request_id_var

HEADER = "X-Request-ID"
_HEADER_KEY = HEADER.lower().encode("latin-1")
SANE_ID = re.compile(r"[!-~]{1,64}")

log = logging.getLogger("hazardtrack.access")


def sane_request_id(value: str | None) -> str | None:
    return value if value is not None and SANE_ID.fullmatch(value) else None


def new_request_id() -> str:
    return uuid.uuid4().hex


def _incoming_id(scope: Scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == _HEADER_KEY:
            return sane_request_id(value.decode("latin-1"))
    return None


def _user_id(state: dict[str, Any]) -> int | None:
    actor = state.get("actor")
    return getattr(actor, "user_id", None)


class RequestLog:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or new_request_id()
        state = scope.setdefault("state", {})  # type: ignore[typeddict-item]
        state["request_id"] = request_id
        status: list[int] = []
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != _HEADER_KEY]
                headers.append((_HEADER_KEY, request_id.encode("latin-1")))
                message["headers"] = headers  # type: ignore[typeddict-unknown-key]
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            if not status:
                status.append(500)
            raise
        finally:
            self._log(scope, status[0] if status else None, started, _user_id(state))
            request_id_var.reset(token)

    @staticmethod
    def _log(scope: Scope, status: int | None, started: float, user_id: int | None) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        method, path = scope.get("method", "?"), scope.get("path", "")
        log.info("%s %s %s %.1fms user=%s", escape_controls(method), escape_controls(path),
                 status if status is not None else "-", duration_ms, user_id if user_id is not None else "-",
                 extra={"access": {"method": method, "path": path, "status": status, "duration_ms": duration_ms,
                                   "user_id": user_id}})


def install(app: Litestar) -> Litestar:
    """Wrap the application's request handling (idempotent)."""
    if not isinstance(app.asgi_handler, RequestLog):
        app.asgi_handler = RequestLog(app.asgi_handler)
    return app
