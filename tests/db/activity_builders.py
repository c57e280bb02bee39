"""Builders for the reporting tests: enterprises, activity records and cases made through the real use cases,
with a plain-Python log of what was made, so that tests can count figures independently of the SQL."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from workflow import records
from db.models import HazardItem
from tests.conftest import World, add_enterprise, register_input
from workflow import services
from workflow.actor import Actor
from workflow.clock import SHANGHAI
from workflow.uscc import make_uscc

# "now" for creating records dated in mid-2023: every record date is in the past.
LATER = dt.datetime(2023, 12, 1, 10, 0, tzinfo=SHANGHAI)
SUBS = {"燃气用品": "家用燃气灶", "消防产品": "灭火器"}
CATEGORIES = ["燃气用品", "电动自行车", "安全帽", "消防产品"]  # the categories `generate` uses
D = dt.date


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """An aware moment on a business day (Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SHANGHAI)


_serial = iter(range(10_000_000, 99_999_999, 7919))


def new_enterprise(world: World, unit_code: str, name: str | None = None) -> tuple[int, str]:
    """A registry enterprise of `unit_code` with a valid, fresh USCC; returns (id, uscc)."""
    uscc = make_uscc(f"91{unit_code}{next(_serial):08d}0"[:17])
    enterprise_id = add_enterprise(world.db, uscc, unit_code, name or f"上海测试{uscc[-6:]}有限公司")
    return enterprise_id, uscc


@dataclass
class Log:
    """What the builders made, in plain Python."""

    records: list[dict[str, Any]] = field(default_factory=list)  # {kind, unit, enterprise_id, category, date, ...}
    items: dict[int, dict[str, Any]] = field(default_factory=dict)  # item id → {unit, category, enterprise_id}
    events: list[dict[str, Any]] = field(default_factory=list)  # {item_id, event, date, fine, value}


class Builder:
    def __init__(self, world: World):
        self.world = world
        self.log = Log()
        self.unit_of = {world.handler.unit_id: "310115", world.other_handler.unit_id: "310110"}

    # --- activity records -------------------------------------------------------------------------------

    def record(self, kind: str, actor: Actor, enterprise: tuple[int, str] | None = None, **raw: Any) -> dict:
        data = dict(raw)
        if enterprise is not None:
            data["enterprise_uscc"] = enterprise[1]
        made = records.create_record(self.world.uow(), kind, actor, data, LATER)
        entry = {"kind": kind, "id": made["id"], "unit": actor.unit_id,
                 "enterprise_id": enterprise[0] if enterprise else None, **raw}
        if "date" in entry and isinstance(entry["date"], str):
            entry["date"] = dt.date.fromisoformat(entry["date"])
        self.log.records.append(entry)
        return made

    # --- cases ------------------------------------------------------------------------------------------

    def item(self, actor: Actor, enterprise: tuple[int, str], category: str, found_on: dt.date) -> int:
        raw = register_input(enterprise_uscc=enterprise[1], category=category, sub_product=SUBS.get(category),
                             found_on=found_on.isoformat())
        outcome = services.register_item(self.world.uow(), actor, raw, at(found_on))
        self.log.items[outcome.item_id] = {"unit": actor.unit_id, "category": category,
                                           "enterprise_id": enterprise[0]}
        return outcome.item_id

    def fire(self, actor: Actor, item_id: int, event: str, day: dt.date, **data: Any) -> None:
        with Session(self.world.db.reader) as s:
            version = s.get(HazardItem, item_id).version
        services.fire_event(self.world.uow(), actor, item_id, event, {**data, "version": version}, at(day))
        self.log.events.append({"item_id": item_id, "event": event, "date": day,
                                "fine": Decimal(str(data.get("fine_amount", "0"))),
                                "value": Decimal(str(data.get("case_value", "0")))})

    def file_case(self, leader: Actor, item_id: int, day: dt.date) -> None:
        self.fire(leader, item_id, "file_case", day, offence="销售不合格产品案", reasons="违法事实清楚",
                  legal_provisions="《程序规定》第二十条")

    def close_case(self, leader: Actor, item_id: int, day: dt.date, fine: str, value: str,
                   transferred: bool = False) -> None:
        if transferred:
            self.fire(leader, item_id, "close_case", day, outcome="移送已受理", decision_number="",
                      fine_amount="0", case_value=value)
        else:
            self.fire(leader, item_id, "close_case", day, outcome="处罚", decision_number="沪市监浦处〔2023〕101号",
                      fine_amount=fine, case_value=value)

    def transfer(self, leader: Actor, item_id: int, day: dt.date) -> None:
        self.fire(leader, item_id, "transfer_to_judiciary", day, receiving_organ="上海市公安局浦东分局",
                  suspected_offence="销售伪劣产品罪", amount_involved="150000", materials="移送书")

    def refile_after_recheck(self, leader: Actor, handler: Actor, item_id: int, recheck_on: dt.date,
                             refile_on: dt.date) -> None:
        self.fire(handler, item_id, "start_recheck", recheck_on, scheduled_on=recheck_on.isoformat())
        self.file_case(leader, item_id, refile_on)

    def expose(self, actor: Actor, item_id: int, day: dt.date, channel: str = "市局门户网站") -> dict:
        made = records.create_record(self.world.uow(), "exposure", actor,
                                        {"item_id": item_id, "date": day.isoformat(), "channel": channel}, LATER)
        self.log.records.append({"kind": "exposure", "id": made["id"], "unit": actor.unit_id, "item_id": item_id,
                                 "date": day})
        return made


def money(rng: random.Random) -> str:
    """An amount in 元 with cents, so rounding to 万元 matters."""
    return f"{rng.randint(0, 400000)}.{rng.randint(0, 99):02d}"


def generate(world, seed=7):
    """Two units, five enterprises each, every kind of record dated around July 2023, and cases whose
    events straddle the period's ends — including a case filed before July and filed again inside it."""
    rng = random.Random(seed)
    b = Builder(world)
    teams = [
        (world.handler, world.leader, "310115"),
        (world.other_handler, world.other_leader, "310110"),
    ]
    boundary_days = [D(2023, 6, 30), D(2023, 7, 1), D(2023, 7, 31), D(2023, 8, 1)]

    def day():
        return rng.choice(boundary_days) if rng.random() < 0.3 else D(2023, 6, 26) + dt.timedelta(
            days=rng.randint(0, 40))

    for handler, leader, code in teams:
        firms = [new_enterprise(world, code) for _ in range(5)]
        for _ in range(10):
            b.record("risk_information", handler, rng.choice(firms) if rng.random() < 0.5 else None,
                     date=day().isoformat(), category=rng.choice(CATEGORIES), channel="投诉举报",
                     title="网络平台反映产品质量问题", summary="经研判存在风险")
        for _ in range(8):
            batches = rng.randint(1, 30)
            b.record("risk_monitoring", handler, None, date=day().isoformat(), category=rng.choice(CATEGORIES),
                     batches=batches, problems_found=rng.randint(0, batches))
        for _ in range(16):
            category = rng.choice(CATEGORIES)
            sampled = rng.randint(1, 6)
            b.record("sampling_inspection", handler, rng.choice(firms), date=day().isoformat(), category=category,
                     sub_product=SUBS.get(category), level=rng.choice(["市级", "区级"]),
                     channel=rng.choice(["生产", "流通", "网络", "农村"]), batches_sampled=sampled,
                     batches_failed=rng.randint(0, sampled))
        for _ in range(8):
            b.record("assistance", handler, rng.choice(firms), date=day().isoformat(),
                     category=rng.choice(CATEGORIES), problems_solved=rng.randint(0, 5),
                     output_value_wan=f"{rng.randint(0, 500)}.{rng.randint(0, 99):02d}", notes="上门帮扶")
        for _ in range(6):
            b.record("interview", handler, rng.choice(firms), date=day().isoformat(),
                     category=rng.choice(CATEGORIES), reason="抽查不合格")
        # Cases
        for n in range(9):
            category = CATEGORIES[n % len(CATEGORIES)]
            item = b.item(handler, rng.choice(firms), category, D(2023, 6, 20) + dt.timedelta(days=rng.randint(0, 5)))
            filed = day()
            b.file_case(leader, item, filed)
            path = n % 3
            if path == 0:
                b.close_case(leader, item, filed + dt.timedelta(days=rng.randint(0, 10)), money(rng), money(rng))
            elif path == 1:
                b.transfer(leader, item, filed + dt.timedelta(days=rng.randint(0, 5)))
                b.close_case(leader, item, filed + dt.timedelta(days=rng.randint(6, 12)), "0", money(rng),
                             transferred=True)
            if path != 2 and rng.random() < 0.7:
                b.expose(handler, item, filed + dt.timedelta(days=rng.randint(0, 12)))
        # A case first filed in June, closed, rechecked and filed again in July: 立案 counts it in June only.
        item = b.item(handler, firms[0], "燃气用品", D(2023, 6, 10))
        b.file_case(leader, item, D(2023, 6, 12))
        b.close_case(leader, item, D(2023, 6, 20), "12345.67", "20000.00")
        b.refile_after_recheck(leader, handler, item, D(2023, 7, 3), D(2023, 7, 5))
        b.close_case(leader, item, D(2023, 7, 20), "5000.05", "4999.95")
        b.expose(handler, item, D(2023, 7, 21))
        b.expose(handler, item, D(2023, 7, 22), "新闻媒体")  # exposed twice: one case
    return b
