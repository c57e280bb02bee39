"""The frozen JSON snapshot of everything a document prints. Rendering is a pure function of it.

Its shape is `DocumentSnapshot` below (TypedDicts: at run time plain dicts, so the stored JSON, its canonical
text and its hash are what they always were); documents/render.py reads nothing that is not declared here.
Dates are ISO texts (YYYY-MM-DD); `event.input` is the event's cleaned input, as JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, TypedDict

from workflow.table import DOCUMENT_KINDS, EVENTS, ROLE_LABELS

TEMPLATE_VERSION = 1


class UnitJson(TypedDict):
    code: str
    name: str
    short: str


class PartyJson(TypedDict):
    """当事人: the enterprise as the 范本 party block prints it."""

    name: str
    uscc: str
    address: str | None
    legal_rep: str | None
    phone: str | None


class ItemJson(TypedDict):
    id: int
    category: str
    sub_product: str | None
    problem_type: str
    source: str
    facts: str
    found_on: str | None
    state_before: str | None
    state_after: str
    deadline: str | None


class EventJson(TypedDict):
    name: str
    label: str
    input: dict[str, Any]


class ActorJson(TypedDict):
    name: str
    role: str
    role_label: str


class HandlerJson(TypedDict):
    name: str


class CaseJson(TypedDict):
    """The case as first filed (立案): 案由, date and the 立案审批表's number."""

    offence: str | None
    filed_on: str | None
    number: str | None


class RectificationJson(TypedDict):
    """The latest 责令改正通知书: when, until when, what, its number."""

    ordered_on: str | None
    deadline: str | None
    requirements: str | None
    number: str | None


class DocumentSnapshot(TypedDict):
    template_version: int
    kind: str
    title: str
    number: str
    issued_on: str
    agency: str
    unit: UnitJson
    party: PartyJson
    item: ItemJson
    event: EventJson
    actor: ActorJson
    handler: HandlerJson
    case: CaseJson | None
    rectification: RectificationJson | None


def canonical_json(snapshot: DocumentSnapshot | dict[str, Any]) -> str:
    """The canonical JSON text of a snapshot (sorted keys, no spaces, UTF-8 as is): the input of its hash."""
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_sha256(snapshot: DocumentSnapshot | dict[str, Any]) -> str:
    """Full sha256 hex digest of the snapshot's canonical JSON: stored with the document at creation
    (document.snapshot_sha256) and printed, shortened, in its footer."""
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


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
) -> DocumentSnapshot:
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
