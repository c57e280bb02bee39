"""The one rule for "which campaign"."""

import datetime as dt

from workflow.campaigns import CampaignPeriod, campaign_for

C2023 = CampaignPeriod(1, "campaign_2023", dt.date(2023, 6, 1), dt.date(2023, 10, 31))
C2024 = CampaignPeriod(2, "campaign_2024", dt.date(2024, 5, 1), dt.date(2024, 11, 30))


def test_a_date_inside_a_campaign_belongs_to_it():
    assert campaign_for(dt.date(2023, 7, 10), [C2024, C2023]) == C2023
    assert campaign_for(dt.date(2024, 5, 1), [C2023, C2024]) == C2024


def test_work_after_a_campaign_ends_stays_with_it_until_the_next_starts():
    assert campaign_for(dt.date(2024, 2, 1), [C2023, C2024]) == C2023
    assert campaign_for(dt.date(2026, 12, 6), [C2023, C2024]) == C2024


def test_a_date_before_every_campaign_belongs_to_the_earliest():
    assert campaign_for(dt.date(2020, 1, 1), [C2024, C2023]) == C2023


def test_overlapping_periods_prefer_the_campaign_started_last():
    late = CampaignPeriod(3, "special", dt.date(2023, 7, 1), dt.date(2023, 8, 31))
    assert campaign_for(dt.date(2023, 7, 10), [C2023, late]) == late
    assert campaign_for(dt.date(2023, 9, 10), [C2023, late]) == C2023


def test_no_campaign_at_all():
    assert campaign_for(dt.date(2023, 7, 10), []) is None
