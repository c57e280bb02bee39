"""What every page handler shares: the page context (who is signed in, their unit) and flash messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import MediaType, Request
from litestar.response import Template
from sqlmodel import Session

from db.campaigns import rules_of_date
from db.models import Unit
from workflow.labels import CITY_LABEL
from workflow.errors import NotFound


def unit_label(request: Request) -> str:
    actor = request.state.actor
    if actor is None or actor.unit_id is None:
        return CITY_LABEL
    with Session(request.app.state.runtime.database.reader) as session:
        unit = session.get(Unit, actor.unit_id)
        return unit.label if unit else ""


def priority(request: Request) -> dict[str, str] | None:
    """The priority category of today's campaign and its mark ({name, label}; 2023: 燃气用品, 全覆盖整治), which
    every page marks on its rows; None when the campaign has none or nobody is signed in."""
    if request.state.actor is None:
        return None
    runtime = request.app.state.runtime
    with Session(runtime.database.reader) as session:
        try:
            chosen = rules_of_date(session, runtime.clock.today()).priority
        except NotFound:
            return None
    return {"name": chosen.name, "label": chosen.label} if chosen else None


def flash(request: Request, text: str, kind: str = "ok") -> None:
    messages = list(request.session.get("flashes", []))
    messages.append({"text": text, "kind": kind})
    request.session["flashes"] = messages


def page(request: Request, template: str, *, nav: str = "", status_code: int = 200, **context: Any) -> Template:
    flashes = request.session.pop("flashes", []) if "session" in request.scope and request.session else []
    return Template(template, status_code=status_code, media_type=MediaType.HTML, context={
        "actor": request.state.actor, "unit_label": unit_label(request), "nav": nav, "flashes": flashes,
        "priority": priority(request), **context})


# --- helpers for the page modules ---------------------------------------------------------------------------


def runtime_of(request: Request):
    return request.app.state.runtime


def reader(runtime) -> Session:
    """A read-only session (SQLite: an ordinary deferred transaction that never queues behind writers)."""
    return Session(runtime.database.reader)


def today(runtime) -> "dt.date":
    """The business date on the app's clock."""
    return runtime.clock.today()


def query_dict(request: Request) -> dict[str, str]:
    """Query parameters as plain strings (the last value of a repeated parameter wins)."""
    return {key: value for key, value in request.query_params.items()}


def pagination_link(request: Request, **changes: Any) -> str:
    """The current URL's query string with some parameters replaced (None removes one)."""
    from urllib.parse import urlencode

    params = query_dict(request)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    params = {k: v for k, v in params.items() if v not in ("", None)}
    return "?" + urlencode(params) if params else "?"


MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL; SQLite refuses integers past 64 bits


def record_id(value: int, what: str = "记录") -> int:
    """A path id that cannot exist (0, negative, past the column's range) is a 404, never a database error."""
    from workflow.errors import NotFound

    if not 1 <= value <= MAX_ID:
        raise NotFound(f"{what}不存在或无权查看")
    return value
