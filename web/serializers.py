"""Read models shared by the API and the pages: one item object everywhere (DESIGN §7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from db import queries
from db.models import Document, Enterprise, HazardItem, ItemEvent, Unit
from workflow.actor import Actor
from workflow.deadlines import days_left, is_overdue
from workflow.services import allowed_events
from workflow.workdays import calendar_note
from workflow.table import EVENTS, STATE_LABELS


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def document_json(document: Document) -> dict[str, Any]:
    return {"id": document.id, "kind": document.kind, "title": document.snapshot.get("title"),
            "number": document.number, "sha256": document.sha256, "created_at": _iso(document.created_at)}


def history_json(entry: ItemEvent) -> dict[str, Any]:
    return {"seq": entry.seq, "event": entry.event, "label": EVENTS[entry.event].label,
            "from_state": entry.from_state, "to_state": entry.to_state, "actor": entry.actor_name,
            "on_date": _iso(entry.on_date), "at": _iso(entry.at), "input": entry.input, "document_id": entry.document_id}


def item_summary(item: HazardItem, enterprise: Enterprise, unit: Unit, today: dt.date) -> dict[str, Any]:
    return {
        "id": item.id,
        "unit": {"code": unit.code, "name": unit.name, "label": unit.label},
        "enterprise": {"id": enterprise.id, "uscc": enterprise.uscc, "name": enterprise.name},
        "category": item.category,
        "sub_product": item.sub_product,
        "problem_type": item.problem_type,
        "source": item.source,
        "found_on": _iso(item.found_on),
        "state": item.state,
        "state_label": STATE_LABELS[item.state],
        "version": item.version,
        "deadline": _iso(item.deadline),
        "overdue": is_overdue(item.deadline, today),
        "days_left": days_left(item.deadline, today),
    }


def item_detail(session: Session, actor: Actor, item_id: int, today: dt.date) -> dict[str, Any]:
    item, enterprise, unit = queries.get_item(session, actor, item_id)
    data = item_summary(item, enterprise, unit, today)
    data.update(
        facts=item.facts,
        measures=item.measures,
        handler=queries.handler_name(session, item.handler_id),
        allowed_events=allowed_events(actor, item),
        history=[history_json(h) for h in queries.history(session, item.id)],
        documents=[document_json(d) for d in queries.documents(session, item.id)],
        # Working days count only for the 15-day verification deadline; say so when a year's official
        # holiday schedule is not known yet (weekends only, or an admin's file).
        calendar_note=calendar_note(item.found_on, item.deadline) if item.state == "found" else None,
        created_at=_iso(item.created_at),
        updated_at=_iso(item.updated_at),
    )
    data["enterprise"].update(address=enterprise.address, legal_rep=enterprise.legal_rep, phone=enterprise.phone)
    return data
