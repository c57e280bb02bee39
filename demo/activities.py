"""Demo activity records for every 附件2 column and for 附件1, for every enforcing unit.

Called once at the end of demo.load_demo, after the hazard items have been played through the workflow:
- risk information, risk monitoring, sampling inspections, assistance and interviews across the months of today's
  campaign (June–October 2023 for the 2023 campaign), and a share in the weeks before `today` so current reports
  are not empty; each record belongs to the campaign of its date (a case's records: its item's campaign);
- exposures, credit listings and typical cases on some of the cases the demo filed and closed;
- in every unit an enterprise with two failed sampling inspections during the campaign, and in most units one
  with two failures in the two years before `today` (the 专门现场检查 list is never empty);
- report submissions of most units for the campaign's deadlines: most on time, some late, some missing.

Records are bulk-inserted through SQLAlchemy Core (11× faster than the ORM); submissions go through the real use
case (workflow.submissions.submit_report), so their numbers and frozen JSON are what the system itself produces.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlmodel import Session

from db.record_models import (
    Assistance,
    CreditListing,
    Exposure,
    Interview,
    RiskInformation,
    RiskMonitoring,
    SamplingInspection,
    TypicalCase,
)
from db.campaigns import campaign_of_date, periods
from db.engine import Database
from db.models import Enterprise, HazardItem, ItemEvent, Unit, User, utcnow
from db.repositories import load_catalog
from db.uow import SqlUnitOfWork
from workflow.submissions import reporting_deadlines, submit_report
from workflow.record_kinds import CREDIT_LIST_KINDS, RISK_CHANNELS
from workflow.actor import Actor
from demo.trades import TRADES
from workflow.campaigns import campaign_for
from workflow.clock import SHANGHAI, chinese_date

# Which catalog category an enterprise's name suggests (the demo names enterprises after their trade).
TRADE_WORDS = {word: category for category, word in TRADES.items()}

RISK_TITLES = (
    "{product}网络销售页面宣称参数与实物不符",
    "消费者投诉{product}使用中出现安全问题",
    "{product}行业出现原材料以次充好苗头",
    "外省市通报{product}抽查不合格涉及本区销售企业",
    "媒体报道{product}存在质量安全隐患",
    "{product}电商平台低价产品集中上架",
)
MONITORING_NOTES = ("委托检验机构开展风险监测", "结合风险信息监测站数据开展监测", "对网络销售产品开展风险监测", None)
FAILED_ITEMS = ("标志和说明不合格", "安全性能指标不合格", "关键元器件与认证不一致", "结构要求不合格", "材料性能不达标")
ASSISTANCE_NOTES = (
    "组织质量技术专家上门“把脉问诊”，帮助企业完善原材料进货检验和出厂检验制度。",
    "召开质量分析会，指导企业查找不合格原因，优化生产工艺和过程控制。",
    "开展强制性国家标准宣贯培训，帮助企业补齐检验能力短板。",
    "协调检验检测机构提供技术支持，帮助企业改进产品结构设计。",
)
INTERVIEW_REASONS = (
    "产品监督抽查连续不合格，约谈企业负责人，督促落实质量安全主体责任。",
    "投诉举报集中反映产品质量问题，约谈企业并要求限期整改。",
    "存在严重质量安全隐患，约谈企业法定代表人，督促召回问题产品。",
)
EXPOSURE_CHANNELS = ("上海市市场监督管理局门户网站", "区市场监管局微信公众号", "新闻媒体", "“铁拳”行动典型案例发布")
PROGRESS = {
    "closed": "已作出行政处罚决定并执行完毕，涉案产品已全部下架、召回，企业已完成整改。",
    "case_filed": "已立案调查，正在调取证据、委托检验，拟于法定期限内作出处理决定。",
    "transferred": "已移送公安机关，公安机关已受理，正在侦查。",
    "rechecking": "已结案，正在开展“回头看”，核查整改成效。",
}


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _when(rng: random.Random, today: dt.date, campaign: Any) -> dt.date:
    """A record date: mostly in the campaign, some in the weeks before today."""
    if rng.random() < 0.2:
        return _day(rng, today - dt.timedelta(days=60), today)
    return _day(rng, campaign.starts_on, min(campaign.ends_on, today))


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def _category_of(enterprise: Enterprise, rng: random.Random, categories: list[str]) -> str:
    for word, category in TRADE_WORDS.items():
        if word in enterprise.name and category in categories:
            return category
    return rng.choice(categories)


def load_demo_activities(database: Database, rng_seed: int, today: dt.date) -> dict[str, int]:
    """Insert demo activity records; returns how many of each kind. A second call adds nothing."""
    rng = random.Random(rng_seed * 7 + 1)
    counts: dict[str, int] = {}
    with Session(database.writer, expire_on_commit=False) as session:
        if session.execute(select(func.count()).select_from(SamplingInspection)).scalar_one():
            return counts
        campaign = campaign_of_date(session, today)
        catalog = load_catalog(session, campaign.id)
        names = list(catalog.categories)
        known = periods(session)
        catalogs = {c.id: list(load_catalog(session, c.id).categories) for c in known}
        units = [u for u in session.execute(select(Unit).where(Unit.enforces).order_by(Unit.position)).scalars()]
        users = list(session.execute(select(User).where(User.unit_id.is_not(None))).scalars())
        enterprises: dict[int, list[Enterprise]] = {}
        for e in session.execute(select(Enterprise).order_by(Enterprise.id)).scalars():
            enterprises.setdefault(e.unit_id, []).append(e)
        rows: dict[Any, list[dict]] = {t: [] for t in (RiskInformation, RiskMonitoring, SamplingInspection,
                                                      Assistance, Interview, Exposure, CreditListing, TypicalCase)}
        now = utcnow()

        def add(table: Any, unit: Unit, creator: User, campaign_id: int | None = None, **values: Any) -> None:
            if campaign_id is None:  # a dated record: the campaign of its date, in that campaign's catalog
                campaign_id = campaign_for(values["date"], known).id
                if values["category"] not in catalogs[campaign_id]:
                    values["category"] = rng.choice(catalogs[campaign_id])
                    if "sub_product" in values:
                        values["sub_product"] = None
            rows[table].append(dict(values, campaign_id=campaign_id, unit_id=unit.id, created_by=creator.id,
                                    created_at=now, updated_by=None, updated_at=now))

        def sub_product(category: str) -> str | None:
            subs = catalog.categories[category]
            return rng.choice(subs) if subs else None

        for unit in units:
            staff = [u for u in users if u.unit_id == unit.id and u.role == "handler"]
            own = enterprises.get(unit.id, [])
            if not staff or not own:
                continue
            pick = lambda: rng.choice(staff)  # noqa: E731
            for _ in range(rng.randint(6, 10)):
                category = rng.choice(names)
                product = sub_product(category) or category
                company = rng.choice(own) if rng.random() < 0.4 else None
                add(RiskInformation, unit, pick(), date=_when(rng, today, campaign), category=category,
                    enterprise_id=company.id if company else None, channel=rng.choice(RISK_CHANNELS),
                    title=rng.choice(RISK_TITLES).format(product=product),
                    summary=f"经{unit.label}研判，{product}存在一定质量安全风险，建议列入重点监测和监督抽查范围。")
            for _ in range(rng.randint(4, 8)):
                category = rng.choice(names)
                batches = rng.randint(5, 40)
                company = rng.choice(own) if rng.random() < 0.3 else None
                add(RiskMonitoring, unit, pick(), date=_when(rng, today, campaign), category=category,
                    enterprise_id=company.id if company else None, batches=batches,
                    problems_found=rng.randint(0, min(6, batches)), notes=rng.choice(MONITORING_NOTES))
            for company in rng.sample(own, min(len(own), rng.randint(8, 14))):
                category = _category_of(company, rng, names)
                for _ in range(1 if rng.random() < 0.8 else 2):
                    sampled = rng.randint(1, 6)
                    failed = rng.randint(1, min(2, sampled)) if rng.random() < 0.2 else 0
                    add(SamplingInspection, unit, pick(), date=_when(rng, today, campaign), enterprise_id=company.id,
                        category=category, sub_product=sub_product(category), level=rng.choice(("市级", "区级")),
                        channel=rng.choices(("生产", "流通", "网络", "农村"), weights=(4, 4, 2, 1))[0],
                        batches_sampled=sampled, batches_failed=failed,
                        notes=f"不合格项目：{rng.choice(FAILED_ITEMS)}" if failed else None)
            # Repeat failures: one enterprise during the campaign, and (most units) one in the last two years.
            repeaters = rng.sample(own, min(len(own), 2))
            windows = [(campaign.starts_on, min(campaign.ends_on, today))]
            if rng.random() < 0.8:
                windows.append((today - dt.timedelta(days=600), today - dt.timedelta(days=5)))
            for company, (start, end) in zip(repeaters, windows):
                category = _category_of(company, rng, names)
                for _ in range(rng.choice((2, 2, 3))):
                    sampled = rng.randint(2, 5)
                    add(SamplingInspection, unit, pick(), date=_day(rng, start, end), enterprise_id=company.id,
                        category=category, sub_product=sub_product(category), level=rng.choice(("市级", "区级")),
                        channel=rng.choice(("生产", "流通")), batches_sampled=sampled,
                        batches_failed=rng.randint(1, 2), notes=f"不合格项目：{rng.choice(FAILED_ITEMS)}")
            for company in rng.sample(own, min(len(own), rng.randint(3, 6))):
                add(Assistance, unit, pick(), date=_when(rng, today, campaign), enterprise_id=company.id,
                    category=_category_of(company, rng, names), problems_solved=rng.randint(1, 6),
                    output_value_wan=Decimal(rng.randint(500, 30000)) / 100, notes=rng.choice(ASSISTANCE_NOTES))
            for company in rng.sample(own, min(len(own), rng.randint(2, 4))):
                add(Interview, unit, pick(), date=_when(rng, today, campaign), enterprise_id=company.id,
                    category=_category_of(company, rng, names), reason=rng.choice(INTERVIEW_REASONS))

        _case_records(session, rng, today, units, users, add)
        for table, values in rows.items():
            if values:
                session.execute(insert(table), values)
            counts[table.__tablename__] = len(values)
        session.commit()
        leaders = {u.unit_id: u for u in users if u.role == "leader"}
        deadlines = reporting_deadlines(campaign)
    counts["report_submission"] = _submissions(database, rng, today, units, leaders, deadlines)
    return counts


def _case_records(session: Session, rng: random.Random, today: dt.date, units: list[Unit], users: list[User],
                  add: Any) -> None:
    """Exposures, credit listings and typical cases on some of the cases the demo filed."""
    filed: dict[int, dt.date] = dict(session.execute(
        select(ItemEvent.item_id, func.min(ItemEvent.on_date)).where(ItemEvent.event == "file_case")
        .group_by(ItemEvent.item_id)).all())
    closed: dict[int, tuple[dt.date, dict]] = {}
    for item_id, on_date, data in session.execute(
        select(ItemEvent.item_id, ItemEvent.on_date, ItemEvent.input).where(ItemEvent.event == "close_case")
        .order_by(ItemEvent.on_date)
    ):
        closed[item_id] = (on_date, data)
    if not filed:
        return
    items = {i.id: i for i in session.execute(select(HazardItem).where(HazardItem.id.in_(list(filed)))).scalars()}
    names = {e.id: e.name for e in session.execute(select(Enterprise)).scalars()}
    by_unit = {u.id: u for u in units}
    handlers = {u.unit_id: u for u in users if u.role == "handler"}
    typical_per_unit: dict[int, int] = {}
    for item_id in sorted(filed):
        item = items[item_id]
        unit, creator = by_unit.get(item.unit_id), handlers.get(item.unit_id)
        if unit is None or creator is None:
            continue
        closing = closed.get(item_id)
        punished = closing is not None and closing[1].get("outcome") == "处罚"
        if punished and rng.random() < 0.6:
            day = min(today, closing[0] + dt.timedelta(days=rng.randint(2, 20)))
            add(Exposure, unit, creator, item.campaign_id, date=day, item_id=item_id, channel=rng.choice(EXPOSURE_CHANNELS))
        if punished and rng.random() < 0.7:
            day = min(today, closing[0] + dt.timedelta(days=rng.randint(1, 15)))
            add(CreditListing, unit, creator, item.campaign_id, date=day, item_id=item_id, list_kind=CREDIT_LIST_KINDS[0])
            if rng.random() < 0.15:
                add(CreditListing, unit, creator, item.campaign_id, date=min(today, day + dt.timedelta(days=rng.randint(5, 30))),
                    item_id=item_id, list_kind=CREDIT_LIST_KINDS[1])
        if typical_per_unit.get(unit.id, 0) < 2 and (punished or item.state in ("case_filed", "transferred")):
            typical_per_unit[unit.id] = typical_per_unit.get(unit.id, 0) + 1
            reported = min(today, filed[item_id] + dt.timedelta(days=rng.randint(3, 25)))
            product = item.sub_product or item.category
            content = (f"{chinese_date(item.found_on)}，{unit.label}在{item.source}中发现{names[item.enterprise_id]}"
                       f"{product}存在“{item.problem_type}”问题，于{chinese_date(filed[item_id])}立案调查。")
            if punished:
                fine = Decimal(closing[1].get("fine_amount") or 0)
                content += f"经查，违法事实清楚，依法处以罚没款{fine:.2f}元。"
            add(TypicalCase, unit, creator, item.campaign_id, item_id=item_id, flagged=True, reported_on=reported, content=content,
                progress=PROGRESS.get(item.state, PROGRESS["case_filed"]))


def _submissions(database: Database, rng: random.Random, today: dt.date, units: list[Unit],
                 leaders: dict[int, User], deadlines: list) -> int:
    """Most units report each deadline on its due day; some late (1–6 days), some not at all."""
    count = 0
    plans = []
    for deadline in deadlines:
        if deadline.covers_from > today:
            continue
        for unit in units:
            leader = leaders.get(unit.id)
            if leader is None:
                continue
            roll = rng.random()
            if roll < 0.12:
                continue  # missing
            # on the due day (so the frozen tables hold the whole period), or 1–6 days late
            day = deadline.due_on if roll < 0.85 else deadline.due_on + dt.timedelta(days=rng.randint(1, 6))
            if day > today:
                continue
            plans.append((day, unit.position, leader, deadline))
    for day, _, leader, deadline in sorted(plans, key=lambda p: (p[0], p[1])):
        actor = Actor(leader.id, leader.username, leader.full_name, leader.role, leader.unit_id)
        submit_report(SqlUnitOfWork(database), actor, deadline.key, _moment(day, 16))
        count += 1
    return count
