"""Realistic demo data: units' users, enterprises with valid USCCs, hazard items in every state.

Items are driven through the real use cases (workflow.services) in date order across today's campaign (the 2023
campaign when only it is loaded), so every history row, deadline and document number is exactly what the system
itself would have produced. A share of items is recent (the last weeks before today) so the dashboards show work
due this week and overdue work. Each item takes its category from the catalog of the campaign its date belongs
to, and every fifth one the priority category of that campaign (2023: 燃气用品).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import func, insert, select
from sqlmodel import Session

from workflow.accounts import hash_password
from workflow.labels import scope_label
from db.campaigns import campaign_of_date, periods, rules_of
from demo.activities import load_demo_activities
from demo.trades import TRADES
from db.engine import Database
from db.models import Campaign, Enterprise, HazardItem, Unit, User, utcnow
from db.repositories import load_catalog
from db.uow import SqlUnitOfWork
from workflow import services
from workflow.campaigns import campaign_for
from workflow.ports import Catalog
from workflow.actor import Actor
from workflow.clock import SHANGHAI, business_date
from workflow.errors import DomainError
from workflow.uscc import make_uscc

DEMO_PASSWORD = "hazard2023"

# Pinyin slugs for demo usernames (pudong.handler, pudong.leader, …).
SLUGS = {
    "310101": "huangpu", "310104": "xuhui", "310105": "changning", "310106": "jingan", "310107": "putuo",
    "310109": "hongkou", "310110": "yangpu", "310112": "minhang", "310113": "baoshan", "310114": "jiading",
    "310115": "pudong", "310116": "jinshan", "310117": "songjiang", "310118": "qingpu", "310120": "fengxian",
    "310151": "chongming",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "霞",
         "平", "刚", "建华", "志强", "海燕", "晓东", "卫东", "国庆", "丽华", "文杰", "雪梅", "春生"]
TRADE_NAMES = ["宏达", "华安", "申欣", "恒通", "金盾", "永固", "联创", "瑞丰", "东方", "协力", "新亚", "兴业", "中环",
               "浦江", "长江", "光明", "百汇", "鑫源", "利民", "安泰", "捷诚", "振华", "明珠", "九州", "天翔", "佳美",
               "锦程", "嘉禾", "宝利", "同济", "和平", "星火", "嘉信", "凯越", "润泽", "德昌", "海鸥", "顺昌"]
# Where the non-district units' enterprises sit (临港 is in 浦东新区; the airport branch covers 虹桥 and 浦东 airports).
ADDRESS_DISTRICT = {"LG": "浦东新区临港新片区", "JCFJ": "长宁区", "ZFZD": "闵行区"}
ROADS = ["张江路", "金科路", "龙阳路", "漕宝路", "沪闵路", "中山北路", "江场路", "共和新路", "宝杨路", "曹安公路",
         "沪南公路", "九新公路", "嘉松中路", "南亭公路", "亭林路", "陈海公路", "殷行路", "长阳路", "天山路", "真北路"]

# Paths through the workflow (each event after register). Weighted toward what a campaign actually sees.
PATHS: list[tuple[int, list[str]]] = [
    (10, []),
    (6, ["dismiss"]),
    (10, ["order_rectification"]),
    (4, ["order_rectification", "extend_rectification"]),
    (22, ["order_rectification", "verify_rectification"]),
    (4, ["order_rectification", "verify_rectification", "start_recheck"]),
    (8, ["order_rectification", "verify_rectification", "start_recheck", "pass_recheck"]),
    (3, ["order_rectification", "verify_rectification", "start_recheck", "order_rectification"]),
    (6, ["file_case"]),
    (3, ["file_case", "seize"]),
    (12, ["order_rectification", "file_case", "close_case"]),
    (6, ["file_case", "seize", "close_case"]),
    (2, ["file_case", "transfer_to_judiciary"]),
    (2, ["file_case", "transfer_to_judiciary", "close_case"]),
    (2, ["file_case", "transfer_to_judiciary", "judiciary_returned", "close_case"]),
]

LEGAL_BASIS = "《中华人民共和国产品质量法》第十三条、第四十九条；《市场监督管理行政处罚程序规定》第十八条"
OFFENCES = {
    "无证生产": "未取得生产许可证擅自生产列入目录产品案",
    "超范围生产": "超出许可范围生产列入目录产品案",
    "未检验出厂或出厂检验记录不全": "产品未经检验出厂案",
    "偷工减料、掺杂掺假": "在产品中掺杂、掺假案",
    "销售无证产品": "销售未取得生产许可证的列入目录产品案",
    "产品一致性不符": "销售与认证型式不一致的产品案",
    "质量低劣": "销售不合格产品案",
    "不符合强制性国家标准": "生产、销售不符合保障人身、财产安全的国家标准的产品案",
    "不符合强制性产品认证要求": "销售未经强制性产品认证的产品案",
}


@dataclass
class DemoSummary:
    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role label, unit label
    enterprises: int = 0
    items: int = 0
    events: int = 0
    activities: dict[str, int] = field(default_factory=dict)
    skipped: bool = False

    def describe(self) -> str:
        if self.skipped:
            return "演示数据已存在，未重复载入。"
        from workflow.record_kinds import KINDS

        records = "，".join(f"{KINDS[k].label} {n}" for k, n in self.activities.items() if k in KINDS)
        lines = [f"已载入演示数据：企业 {self.enterprises} 家，隐患 {self.items} 条，事件 {self.events} 个。",
                 *([f"附件2 活动记录：{records}。"] if records else []),
                 f"演示账号（密码均为 {DEMO_PASSWORD}）："]
        lines += [f"  {u:<22} {r:<8} {unit}" for u, r, unit in self.users]
        return "\n".join(lines)


def demo_accounts(units: list[Unit]) -> list[dict[str, Any]]:
    """The demo users: a handler and a leader per district bureau (plus the special units), a supervisor, an admin."""
    rng = random.Random(7)
    accounts = [
        dict(username="supervisor", role="supervisor", unit=None, full_name="周督导"),
        dict(username="admin", role="admin", unit=None, full_name="系统管理员"),
    ]
    for unit in units:
        if not unit.enforces:
            continue
        slug = SLUGS.get(unit.code, unit.code.lower())
        for role in ("handler", "leader"):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            accounts.append(dict(username=f"{slug}.{role}", role=role, unit=unit, full_name=name))
        accounts.append(dict(username=f"{slug}.handler2", role="handler", unit=unit,
                             full_name=rng.choice(SURNAMES) + rng.choice(GIVEN)))
    return accounts


def load_demo(database: Database, seed: int = 2023, *, items_per_unit: int = 20, today: dt.date | None = None,
              enterprises_per_unit: int = 20) -> DemoSummary:
    """Fill a database that has reference data but no demo data yet. Safe to run twice (second run is a no-op)."""
    rng = random.Random(seed)
    today = today or business_date(utcnow())
    summary = DemoSummary()
    with Session(database.writer, expire_on_commit=False) as session:
        if session.execute(select(func.count()).select_from(User).where(User.username == "supervisor")).scalar_one():
            summary.skipped = True
            return summary
        units = list(session.execute(select(Unit).order_by(Unit.position)).scalars())
        campaign = campaign_of_date(session, today)
        catalog = load_catalog(session, campaign.id)
        catalog_for = _catalogs_by_date(session)
        password_hash = hash_password(DEMO_PASSWORD)  # one hash for all demo accounts: argon2 costs ~170 ms
        accounts = demo_accounts(units)
        session.execute(insert(User), [
            dict(username=a["username"], full_name=a["full_name"], role=a["role"],
                 unit_id=a["unit"].id if a["unit"] else None, password_hash=password_hash, active=True,
                 created_at=utcnow())
            for a in accounts
        ])
        for a in accounts:
            summary.users.append((a["username"], a["role"], scope_label(a["unit"])))
        enterprise_rows = _enterprises(rng, [u for u in units if u.enforces], catalog.categories, enterprises_per_unit)
        session.execute(insert(Enterprise), enterprise_rows)
        summary.enterprises = len(enterprise_rows)
        session.commit()
        users = {u.username: u for u in session.execute(select(User)).scalars()}
        enterprises = list(session.execute(select(Enterprise)).scalars())

    plans = _plan_items(rng, units, users, enterprises, catalog_for, campaign, today, items_per_unit)
    summary.items, summary.events = _play(database, plans)
    summary.activities = load_demo_activities(database, seed, today)
    return summary


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _enterprises(rng: random.Random, units: list[Unit], categories: dict[str, list[str]], per_unit: int) -> list[dict]:
    rows, seen = [], set()
    names = list(categories)
    now = utcnow()
    for unit in units:
        region = unit.code if unit.code.isdigit() else "310000"
        district = ADDRESS_DISTRICT.get(unit.code, unit.label.removesuffix("局"))
        for _ in range(per_unit):
            category = rng.choice(names)
            while True:
                body = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice("0123456789X")
                uscc = make_uscc("91" + region + body.replace("X", "A"))
                if uscc not in seen:
                    seen.add(uscc)
                    break
            kind = rng.choice(["生产", "销售", "生产和销售"])
            suffix = "有限公司" if rng.random() < 0.8 else "股份有限公司"
            trade = TRADES.get(category, "实业")  # a category of another campaign's catalog: a generic trade
            name = f"上海{rng.choice(TRADE_NAMES)}{trade}{suffix}"
            if name in seen:
                name = f"上海{district}{rng.choice(TRADE_NAMES)}{trade}{suffix}"
            seen.add(name)
            rows.append(dict(
                uscc=uscc, name=name, unit_id=unit.id, kind=kind,
                address=f"上海市{district}{rng.choice(ROADS)}{rng.randint(1, 2999)}号",
                legal_rep=_person(rng), phone=f"021-{rng.randint(50000000, 69999999)}",
                created_at=now, updated_at=now,
            ))
    return rows


@dataclass
class _Plan:
    unit: Unit
    actor_handler: Actor
    actor_leader: Actor
    register: dict[str, Any]
    when: dt.date
    steps: list[tuple[str, dt.date]]


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.full_name, user.role, user.unit_id)


def _catalogs_by_date(session: Session) -> Callable[[dt.date], tuple[Catalog, str | None]]:
    """day → (the catalog of the campaign `day` belongs to, that campaign's priority category)."""
    known = periods(session)
    catalogs = {c.id: (load_catalog(session, c.id), rules_of(session.get(Campaign, c.id)).priority_category)
                for c in known}

    def catalog_for(day: dt.date) -> tuple[Catalog, str | None]:
        chosen = campaign_for(day, known)
        assert chosen is not None
        return catalogs[chosen.id]

    return catalog_for


def _plan_items(rng, units, users, enterprises, catalog_for, campaign, today, per_unit) -> list[_Plan]:
    by_unit: dict[int, list[Enterprise]] = {}
    for e in enterprises:
        by_unit.setdefault(e.unit_id, []).append(e)
    weights = [w for w, _ in PATHS]
    plans = []
    for unit in units:
        if not unit.enforces:
            continue
        slug = SLUGS.get(unit.code, unit.code.lower())
        handlers = [_actor(users[f"{slug}.handler"]), _actor(users[f"{slug}.handler2"])]
        leader = _actor(users[f"{slug}.leader"])
        for n in range(per_unit):
            recent = n % 4 == 3  # a quarter of the items are current work
            if recent:
                start = today - dt.timedelta(days=rng.randint(3, 75))
            else:
                # within the campaign and not after today (a demo loaded while the campaign runs)
                span = max(0, (min(campaign.ends_on, today) - campaign.starts_on).days - 20)
                start = campaign.starts_on + dt.timedelta(days=rng.randint(0, span))
            enterprise = rng.choice(by_unit[unit.id])
            catalog, priority = catalog_for(start)
            category = rng.choice(list(catalog.categories))
            if n % 5 == 0 and priority:
                category = priority  # the campaign's priority category (2023: 燃气用品, full coverage)
            subs = catalog.categories[category]
            sub = rng.choice(subs) if subs else None
            problem = rng.choice(catalog.problem_types)
            source = rng.choice(catalog.sources)
            product = sub or category
            facts = (f"{start.year}年{start.month}月{start.day}日，我局执法人员在{source}中对{enterprise.name}"
                     f"（住所：{enterprise.address}）进行检查，发现该企业{'生产' if '生产' in enterprise.kind else '销售'}的"
                     f"{product}存在“{problem}”问题：{_detail(rng, problem, product)}。现场检查笔录、照片及抽样单已固定。")
            register = dict(enterprise_uscc=enterprise.uscc, category=category, sub_product=sub,
                            problem_type=problem, source=source, facts=facts, found_on=start.isoformat())
            _, path = rng.choices(PATHS, weights=weights)[0]
            if recent:
                path = path[:2]
            day = start
            steps = []
            for event in path:
                day = day + dt.timedelta(days=rng.randint(3, 20) if event != "verify_rectification" else rng.randint(10, 25))
                if day > today:
                    break
                steps.append((event, day))
            plans.append(_Plan(unit, rng.choice(handlers), leader, register, start, steps))
    return plans


def _detail(rng: random.Random, problem: str, product: str) -> str:
    details = {
        "无证生产": "现场未能提供有效的工业产品生产许可证",
        "超范围生产": "生产许可证覆盖范围不包括现场生产的规格型号",
        "未检验出厂或出厂检验记录不全": "近三个月出厂检验记录缺失，部分批次未经检验即出厂",
        "偷工减料、掺杂掺假": "关键原材料用量明显低于企业标准规定",
        "销售无证产品": "所售产品无生产许可证编号，进货时未查验许可证",
        "产品一致性不符": "产品铭牌参数与CCC证书所载型号不一致",
        "质量低劣": f"经抽样检验，{product}多项安全指标不合格",
        "不符合强制性国家标准": f"经检验，{product}不符合相关强制性国家标准要求",
        "不符合强制性产品认证要求": "产品未获得强制性产品认证即销售，未加施CCC标志",
    }
    return details.get(problem, "存在质量安全隐患")


def _event_input(rng: random.Random, event: str, plan: _Plan, day: dt.date) -> dict[str, Any]:
    problem = plan.register["problem_type"]
    inputs: dict[str, Callable[[], dict[str, Any]]] = {
        "order_rectification": lambda: dict(
            deadline=(day + dt.timedelta(days=rng.choice([15, 20, 30]))).isoformat(),
            requirements=f"立即停止销售存在问题的{plan.register['sub_product'] or plan.register['category']}，"
                         "对库存产品进行清点封存，查明原因并制定整改措施，整改完成后书面报告我局。",
            legal_basis=LEGAL_BASIS),
        "extend_rectification": lambda: dict(
            deadline=None, reason="企业需更换关键生产设备并重新送检，申请延长整改期限。"),
        "verify_rectification": lambda: dict(
            verified_on=day.isoformat(), findings="经现场复查，企业已按要求完成整改，问题产品已下架，检验记录已补齐。"),
        "file_case": lambda: dict(
            offence=OFFENCES.get(problem, "生产、销售不合格产品案"),
            reasons="经核查，当事人涉嫌违反《中华人民共和国产品质量法》相关规定，违法事实基本清楚，依法应予立案调查。",
            legal_provisions="《市场监督管理行政处罚程序规定》第二十条"),
        "seize": lambda: dict(
            items=[dict(name=plan.register["sub_product"] or plan.register["category"], spec="见标签",
                        unit=rng.choice(["台", "件", "箱", "个"]), quantity=str(rng.randint(5, 300)))],
            place="当事人仓库（已加贴封条）", period_days=30),
        "transfer_to_judiciary": lambda: dict(
            receiving_organ="上海市公安局" + plan.unit.label.replace("市场监管局", "分局"),
            suspected_offence="生产、销售伪劣产品罪", amount_involved=str(rng.randint(50, 400) * 1000),
            materials="涉嫌犯罪案件移送书、调查报告、涉案物品清单、检验报告及其他有关材料"),
        "judiciary_returned": lambda: dict(reason="公安机关审查后认为不构成刑事案件，决定不予立案，退回我局依法处理。"),
        "close_case": lambda: _close_input(rng, plan),
        "dismiss": lambda: dict(reason=rng.choice(["核查不属实", "不构成隐患"]), remarks="经现场核查，举报所称问题不存在。"),
        "start_recheck": lambda: dict(scheduled_on=(day + dt.timedelta(days=rng.randint(5, 20))).isoformat()),
        "pass_recheck": lambda: dict(findings="“回头看”检查未发现问题反弹，企业质量管理制度运行正常。"),
    }
    return inputs[event]()


def _close_input(rng: random.Random, plan: _Plan) -> dict[str, Any]:
    transferred = any(e == "transfer_to_judiciary" for e, _ in plan.steps) and not any(
        e == "judiciary_returned" for e, _ in plan.steps)
    if transferred:
        return dict(outcome="移送已受理", decision_number="", fine_amount="0", case_value=str(rng.randint(50, 400) * 1000))
    if rng.random() < 0.15:
        return dict(outcome="不予处罚", decision_number="", fine_amount="0", case_value=str(rng.randint(1, 30) * 1000))
    fine = rng.randint(5, 200) * 1000
    return dict(outcome="处罚", decision_number=f"沪市监{plan.unit.short_name}处〔{plan.when.year}〕{rng.randint(100, 999)}号",
                fine_amount=str(fine), case_value=str(fine // 2 + rng.randint(1, 50) * 1000))


def _moment(day: dt.date, order: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI).astimezone(dt.timezone.utc) + dt.timedelta(
        seconds=order)


def _play(database: Database, plans: list[_Plan]) -> tuple[int, int]:
    """Fire every planned event in date order through the real use cases."""
    rng = random.Random(11)
    timeline: list[tuple[dt.date, int, _Plan, str | None]] = []
    for index, plan in enumerate(plans):
        timeline.append((plan.when, index * 20, plan, None))
        for step, (event, day) in enumerate(plan.steps, start=1):
            timeline.append((day, index * 20 + step, plan, event))
    timeline.sort(key=lambda t: (t[0], t[1]))
    ids: dict[int, int] = {}
    versions: dict[int, int] = {}
    deadlines: dict[int, dt.date | None] = {}
    items = events = 0
    for order, (day, _, plan, event) in enumerate(timeline):
        now = _moment(day, order)
        key = id(plan)
        if event is None:
            outcome = services.register_item(SqlUnitOfWork(database), plan.actor_handler, plan.register, now)
            ids[key], versions[key] = outcome.item_id, 1
            items += 1
            events += 1
            continue
        if key not in ids:
            continue
        data = _event_input(rng, event, plan, day)
        if event == "extend_rectification":
            current = _deadline(database, ids[key])
            data["deadline"] = ((current or day) + dt.timedelta(days=15)).isoformat()
        if event == "order_rectification" and dt.date.fromisoformat(data["deadline"]) <= day:
            continue
        actor = plan.actor_leader if _leader_event(event) else plan.actor_handler
        try:
            services.fire_event(SqlUnitOfWork(database), actor, ids[key], event, {**data, "version": versions[key]}, now)
        except DomainError:
            # A planned step the rules refuse (e.g. a recheck scheduled in the past) ends that item's path.
            plan.steps = []
            continue
        versions[key] += 1
        events += 1
    return items, events


def _leader_event(event: str) -> bool:
    from workflow.table import EVENTS, Role

    return EVENTS[event].role == Role.leader


def _deadline(database: Database, item_id: int) -> dt.date | None:
    with Session(database.reader) as session:
        return session.get(HazardItem, item_id).deadline
