"""The frozen JSON snapshot of everything a document prints. Rendering is a pure function of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workflow.table import DOCUMENT_KINDS, EVENTS, ROLE_LABELS

TEMPLATE_VERSION = 1


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _latest(history: list[Any], event: str, *, first: bool = False) -> Any | None:
    matches = [h for h in history if h.event == event]
    if not matches:
        return None
    return matches[0] if first else matches[-1]


def build(
    *,
    kind: str,
    number: str,
    issued_on: dt.date,
    unit: Any,
    enterprise: Any,
    item: Any,
    state_before: str | None,
    event: str,
    input_json: dict[str, Any],
    actor: Any,
    handler_name: str,
    history: list[Any],
    numbers_by_document: dict[int, str],
) -> dict[str, Any]:
    """`history` holds the item's earlier events (not this one); `item` already carries the new state/deadline."""
    filed = _latest(history, "file_case", first=True)
    ordered = _latest(history, "order_rectification")
    return {
        "template_version": TEMPLATE_VERSION,
        "kind": kind,
        "title": DOCUMENT_KINDS[kind].title,
        "number": number,
        "issued_on": issued_on.isoformat(),
        "agency": unit.name,
        "unit": {"code": unit.code, "name": unit.name, "short": unit.short_name},
        "party": {
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "address": enterprise.address,
            "legal_rep": enterprise.legal_rep,
            "phone": enterprise.phone,
        },
        "item": {
            "id": item.id,
            "category": item.category,
            "sub_product": item.sub_product,
            "problem_type": item.problem_type,
            "source": item.source,
            "facts": item.facts,
            "found_on": _iso(item.found_on),
            "state_before": state_before,
            "state_after": item.state,
            "deadline": _iso(item.deadline),
        },
        "event": {"name": event, "label": EVENTS[event].label, "input": input_json},
        "actor": {"name": actor.name, "role": actor.role, "role_label": ROLE_LABELS.get(actor.role, actor.role)},
        "handler": {"name": handler_name},
        "case": None
        if filed is None
        else {
            "offence": filed.input.get("offence"),
            "filed_on": _iso(filed.on_date),
            "number": numbers_by_document.get(filed.document_id or 0),
        },
        "rectification": None
        if ordered is None
        else {
            "ordered_on": _iso(ordered.on_date),
            "deadline": ordered.input.get("deadline"),
            "requirements": ordered.input.get("requirements"),
            "number": numbers_by_document.get(ordered.document_id or 0),
        },
    }
