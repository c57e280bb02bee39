"""The campaigns in the database, resolved by the one rule of workflow.campaigns (which campaign a date belongs to).

Both the unit of work's repository (db.uow) and the read side (reports, pages) ask here; nothing else picks a
campaign.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from db.models import Campaign
from workflow.campaigns import CampaignPeriod, CampaignRules, campaign_for
from workflow.errors import NotFound

NO_CAMPAIGN = "尚未载入专项行动目录，请先运行 hazardtrack init"


def periods(session: Session) -> list[CampaignPeriod]:
    rows = session.execute(select(Campaign.id, Campaign.key, Campaign.starts_on, Campaign.ends_on)).all()
    return [CampaignPeriod(r.id, r.key, r.starts_on, r.ends_on) for r in rows]


def campaign_of_date(session: Session, day: dt.date) -> Campaign:
    """The campaign `day` belongs to; NotFound when no campaign is loaded."""
    chosen = campaign_for(day, periods(session))
    if chosen is None:
        raise NotFound(NO_CAMPAIGN)
    return session.get(Campaign, chosen.id)


def campaign_by_key(session: Session, key: str) -> Campaign:
    campaign = session.execute(select(Campaign).where(Campaign.key == key)).scalars().first()
    if campaign is None:
        raise NotFound(f"没有代码为“{key}”的专项行动")
    return campaign


def report_campaign(session: Session, *, key: str | None, date_from: dt.date | None, today: dt.date) -> Campaign:
    """The campaign a report covers: the one named, else the campaign of the period's first day, else today's."""
    if key:
        return campaign_by_key(session, key)
    return campaign_of_date(session, date_from or today)


def rules_of(campaign: Campaign) -> CampaignRules:
    """What is special to the campaign (its file's rules, stored in Campaign.rules)."""
    return CampaignRules.from_json(campaign.rules)


def rules_of_date(session: Session, day: dt.date) -> CampaignRules:
    """The rules of the campaign `day` belongs to; NotFound when no campaign is loaded."""
    return rules_of(campaign_of_date(session, day))


def priority_category(session: Session, day: dt.date) -> str | None:
    """The priority category of `day`'s campaign (2023: 燃气用品), None without one or without any campaign.

    Lists that put it first (overdue work for supervisors, /api/v1/overdue) and the marks on pages take the
    campaign in progress: its focus is the current one, whichever campaign an older item belongs to.
    """
    try:
        return rules_of_date(session, day).priority_category
    except NotFound:
        return None
