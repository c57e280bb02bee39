"""The unit's 问题清单: each hazard item with its enterprise, problem, measures, person responsible, deadline, state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from db.campaigns import campaign_of_date
from db.models import Campaign, Enterprise, HazardItem, Unit, User
from workflow.table import STATE_LABELS


def issue_list_rows(session: Session, *, unit_id: int | None, date_from: dt.date, date_to: dt.date,
                    campaign: Campaign | None = None) -> list[dict[str, Any]]:
    """Items of `campaign` (default: the campaign of `date_from`) found within [date_from, date_to] (both
    inclusive), for one unit or the city, oldest first."""
    campaign = campaign or campaign_of_date(session, date_from)
    query = (
        select(HazardItem, Enterprise, User, Unit)
        .join(Enterprise, Enterprise.id == HazardItem.enterprise_id)
        .join(User, User.id == HazardItem.handler_id)
        .join(Unit, Unit.id == HazardItem.unit_id)
        .where(HazardItem.found_on >= date_from, HazardItem.found_on <= date_to,
               HazardItem.campaign_id == campaign.id)
        .order_by(HazardItem.found_on, HazardItem.id)
    )
    if unit_id is not None:
        query = query.where(HazardItem.unit_id == unit_id)
    rows = []
    for item, enterprise, handler, unit in session.execute(query).all():
        rows.append({
            "id": item.id,
            "unit": unit.label,
            "enterprise": enterprise.name,
            "uscc": enterprise.uscc,
            "category": item.category,
            "sub_product": item.sub_product,
            "problem": _problem(item.problem_type, item.facts),
            "measures": item.measures,
            "responsible": handler.full_name,
            "deadline": item.deadline.isoformat() if item.deadline else None,
            "state_label": STATE_LABELS[item.state],
        })
    return rows


SUMMARY_CHARS = 48  # the list is a one-line-per-problem overview; the full facts are on the item page


def _problem(problem_type: str, facts: str) -> str:
    summary = " ".join(facts.split())
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1] + "…"
    return f"{problem_type}：{summary}"
