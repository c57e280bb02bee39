"""Reference data kept as files in the repo (db/reference/): units, and one catalog file per campaign.

`load_reference` is idempotent: rows are matched by their natural keys (unit code, campaign key, category name,
term name) and only inserted when missing; running `hazardtrack init` twice changes nothing. Existing rows are
left as they are, so an admin's edits (a unit's number format, say) survive a re-run.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from db.models import Campaign, CatalogTerm, Category, Unit

REFERENCE_DIR = Path(__file__).parent / "reference"


def _read(name: str) -> Any:
    return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))


def campaign_files() -> list[Path]:
    return sorted(REFERENCE_DIR.glob("campaign_*.json"))


def load_reference(session: Session) -> dict[str, int]:
    """Insert what is missing; return how many rows of each kind were added."""
    added = {"units": 0, "campaigns": 0, "categories": 0, "terms": 0}
    units = _read("units.json")
    existing = set(session.execute(select(Unit.code)).scalars())
    for position, unit in enumerate(units["units"] if isinstance(units, dict) else units, start=1):
        if unit["code"] in existing:
            continue
        session.add(
            Unit(
                code=unit["code"],
                name=unit["name"],
                label=unit.get("label", unit["name"]),
                short_name=unit["short_name"],
                kind=unit["kind"],
                enforces=bool(unit.get("enforces", True)),
                position=position,
            )
        )
        added["units"] += 1
    for path in campaign_files():
        added_here = _load_campaign(session, path.stem, json.loads(path.read_text(encoding="utf-8")))
        for key, count in added_here.items():
            added[key] += count
    session.flush()
    return added


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _load_campaign(session: Session, key: str, data: dict[str, Any]) -> dict[str, int]:
    added = {"campaigns": 0, "categories": 0, "terms": 0}
    campaign = session.execute(select(Campaign).where(Campaign.key == key)).scalars().first()
    if campaign is None:
        period = data["period"]
        campaign = Campaign(
            key=key,
            name=data["name"],
            notice_number=data["notice_number"],
            issued_on=_date(data["issued_on"]),
            starts_on=_date(period["start"]),
            ends_on=_date(period["end"]),
            phases=data["phases"],
            reporting_deadlines=data["reporting_deadlines"],
        )
        session.add(campaign)
        session.flush()
        added["campaigns"] += 1
    have = set(session.execute(select(Category.name).where(Category.campaign_id == campaign.id)).scalars())
    for position, category in enumerate(data["categories"], start=1):
        if category["name"] not in have:
            session.add(Category(campaign_id=campaign.id, position=category.get("position", position),
                                 name=category["name"], sub_products=list(category.get("sub_products", []))))
            added["categories"] += 1
    terms = {(t.kind, t.name) for t in session.execute(
        select(CatalogTerm).where(CatalogTerm.campaign_id == campaign.id)).scalars()}
    for kind, entries in (("problem_type", data["problem_types"]), ("source", data["sources"])):
        for position, entry in enumerate(entries, start=1):
            name = entry["name"] if isinstance(entry, dict) else entry
            domain = entry.get("domain") if isinstance(entry, dict) else None
            if (kind, name) not in terms:
                session.add(CatalogTerm(campaign_id=campaign.id, kind=kind, position=position, name=name, domain=domain))
                added["terms"] += 1
    return added
