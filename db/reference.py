"""Reference data kept as files in the repo (db/reference/): units, and one file per campaign.

`load_reference` (`hazardtrack init`) is idempotent: rows are matched by their natural keys (unit code, campaign
key, category name, term name) and only inserted when missing; running `hazardtrack init` twice changes nothing.
Existing rows are left as they are, so an admin's edits (a unit's number format, say) survive a re-run.

`load_campaign_file` (`hazardtrack load-campaign FILE.json`) loads another campaign: the file is checked first
(workflow.campaign_file: every error names its field), then the campaign, its categories and terms are inserted.
Loading the same file again changes nothing; a file whose key is loaded with different content, or whose period
overlaps a loaded campaign's, is refused: a loaded campaign never changes, so none of its figures can.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from db.models import Campaign, CatalogTerm, Category, Unit
from workflow.campaign_file import CampaignFile, read_campaign_file
from workflow.errors import InputInvalid

REFERENCE_DIR = Path(__file__).parent / "reference"


def _read(name: str) -> Any:
    return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))


def campaign_files() -> list[Path]:
    return sorted(REFERENCE_DIR.glob("campaign_*.json"))


def read_campaign(path: Path) -> CampaignFile:
    """A campaign file from disk, checked; InputInvalid names the file's problem or each offending field."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputInvalid({"(文件)": f"找不到文件 {path}"}) from None
    except UnicodeDecodeError:
        raise InputInvalid({"(文件)": "应为 UTF-8 编码的 JSON 文件"}) from None
    except json.JSONDecodeError as exc:
        raise InputInvalid({"(文件)": f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"}) from None
    return read_campaign_file(data, fallback_key=Path(path).stem)


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
        added_here = _load_campaign(session, read_campaign(path), strict=False)
        for key, count in added_here.items():
            added[key] += count
    session.flush()
    return added


def load_campaign_file(session: Session, path: Path) -> dict[str, int]:
    """`hazardtrack load-campaign`: check the file, insert its campaign, categories and terms (flushes; the caller
    commits). Returns how many rows of each kind were added: all zero when the same file was loaded before.
    InputInvalid for a bad file, a loaded key with different content, or a period overlapping a loaded campaign."""
    return _load_campaign(session, read_campaign(path), strict=True)


def _stored_form(campaign: Campaign, categories: list[Category], terms: list[CatalogTerm]) -> dict[str, Any]:
    """A loaded campaign in the shape `_file_form` gives a file, so that the two compare field by field."""
    return {
        "name": campaign.name, "notice_number": campaign.notice_number, "issued_on": campaign.issued_on,
        "period": (campaign.starts_on, campaign.ends_on), "phases": campaign.phases,
        "reporting_deadlines": campaign.reporting_deadlines, "rules": campaign.rules,
        "categories": [(c.position, c.name, list(c.sub_products)) for c in categories],
        "problem_types": [(t.name, t.domain) for t in terms if t.kind == "problem_type"],
        "sources": [t.name for t in terms if t.kind == "source"],
    }


def _file_form(data: CampaignFile) -> dict[str, Any]:
    return {
        "name": data.name, "notice_number": data.notice_number, "issued_on": data.issued_on,
        "period": (data.starts_on, data.ends_on), "phases": data.phases,
        "reporting_deadlines": data.reporting_deadlines, "rules": data.rules.to_json(),
        "categories": sorted(data.categories), "problem_types": data.problem_types, "sources": data.sources,
    }


def _load_campaign(session: Session, data: CampaignFile, *, strict: bool) -> dict[str, int]:
    """Insert the campaign of `data` and what is missing of its catalog. `strict` (load-campaign): a loaded key must
    hold exactly this content, and a new campaign's period may not overlap a loaded one's."""
    added = {"campaigns": 0, "categories": 0, "terms": 0}
    campaign = session.execute(select(Campaign).where(Campaign.key == data.key)).scalars().first()
    if campaign is not None and strict:
        categories = list(session.execute(select(Category).where(Category.campaign_id == campaign.id)
                                          .order_by(Category.position, Category.id)).scalars())
        terms = list(session.execute(select(CatalogTerm).where(CatalogTerm.campaign_id == campaign.id)
                                     .order_by(CatalogTerm.position, CatalogTerm.id)).scalars())
        stored, wanted = _stored_form(campaign, categories, terms), _file_form(data)
        different = [name for name in wanted if stored[name] != wanted[name]]
        if different:
            raise InputInvalid({"key": (
                f"专项行动“{data.key}”已经载入，文件中的 {'、'.join(different)} 与已载入的不同。已载入的专项行动不能更改"
                "（以免改变已有的统计数字），新的专项行动请使用新的 key")})
        return added
    if campaign is None:
        if strict:
            for other in session.execute(select(Campaign).order_by(Campaign.starts_on)).scalars():
                if data.starts_on <= other.ends_on and other.starts_on <= data.ends_on:
                    raise InputInvalid({"period": (
                        f"与已载入的专项行动“{other.name}”（{other.key}，{other.starts_on.isoformat()}至"
                        f"{other.ends_on.isoformat()}）的周期重叠；每个日期只能属于一个专项行动")})
        campaign = Campaign(
            key=data.key, name=data.name, notice_number=data.notice_number, issued_on=data.issued_on,
            starts_on=data.starts_on, ends_on=data.ends_on, phases=data.phases,
            reporting_deadlines=data.reporting_deadlines, rules=data.rules.to_json(),
        )
        session.add(campaign)
        session.flush()
        added["campaigns"] += 1
    have = set(session.execute(select(Category.name).where(Category.campaign_id == campaign.id)).scalars())
    for position, name, sub_products in data.categories:
        if name not in have:
            session.add(Category(campaign_id=campaign.id, position=position, name=name, sub_products=sub_products))
            added["categories"] += 1
    terms = {(t.kind, t.name) for t in session.execute(
        select(CatalogTerm).where(CatalogTerm.campaign_id == campaign.id)).scalars()}
    entries = [("problem_type", name, domain) for name, domain in data.problem_types]
    entries += [("source", name, None) for name in data.sources]
    positions: dict[str, int] = {}
    for kind, name, domain in entries:
        positions[kind] = positions.get(kind, 0) + 1
        if (kind, name) not in terms:
            session.add(CatalogTerm(campaign_id=campaign.id, kind=kind, position=positions[kind], name=name,
                                    domain=domain))
            added["terms"] += 1
    session.flush()
    return added
