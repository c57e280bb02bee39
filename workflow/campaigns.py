"""Which campaign: the one rule that says which campaign a record, a date or a report period belongs to.

A campaign is data (a file like db/reference/campaign_2023.json, loaded by `hazardtrack init` or
`hazardtrack load-campaign FILE.json`). Every record belongs to one campaign, chosen from its date:
- the campaign whose period contains the date (the latest started, if periods overlap);
- else the latest campaign that started before the date: work found after a campaign's end (回头看, follow-ups)
  stays with it until the next campaign starts;
- else (a date before every campaign) the earliest campaign.
A report for a period uses the campaign of the period's first day, unless one is named explicitly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class CampaignPeriod:
    """What the rule needs to know of a campaign."""

    id: int
    key: str
    starts_on: dt.date
    ends_on: dt.date


def campaign_for(day: dt.date, campaigns: Iterable[CampaignPeriod]) -> CampaignPeriod | None:
    """The campaign `day` belongs to (see the module doc); None only when there is no campaign at all."""
    ordered: Sequence[CampaignPeriod] = sorted(campaigns, key=lambda c: (c.starts_on, c.id))
    if not ordered:
        return None
    containing = [c for c in ordered if c.starts_on <= day <= c.ends_on]
    if containing:
        return containing[-1]
    started = [c for c in ordered if c.starts_on <= day]
    return started[-1] if started else ordered[0]
