"""What every page handler shares: the page context (who is signed in, their unit) and flash messages."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from litestar import Request
from litestar.response import Template
from sqlmodel import Session

from db.models import Unit




def unit_label(request: Request) -> str:
    actor = request.state.actor
    if actor is None or actor.unit_id is None:
        return "全市"
    with Session(request.app.state.runtime.database.reader) as session:
        unit = session.get(Unit, actor.unit_id)
        return unit.label if unit else ""


def flash(request: Request, text: str, kind: str = "ok") -> None:
    messages = list(request.session.get("flashes", []))
    messages.append({"text": text, "kind": kind})
    request.session["flashes"] = messages


def page(request: Request, template: str, *, nav: str = "", status_code: int = 200, **context: Any) -> Template:
    flashes = request.session.pop("flashes", []) if "session" in request.scope and request.session else []
    return Template(template, status_code=status_code, context={
        "actor": request.state.actor, "unit_label": unit_label(request), "nav": nav, "flashes": flashes, **context})
