"""`hazardtrack bench`: performance as ratios against a baseline measured in the same run.

Absolute timings vary from machine to machine; a ratio against a baseline taken seconds earlier on the same machine
does not. Each benchmark names its baseline:
- transition: one fire_event (state, history, number, snapshot in one transaction) ÷ a bare one-row UPDATE transaction;
- keyset page: page 1 vs a page deep in the list (keyset should stay flat) and an OFFSET query at the same depth;
- shared machine: deciding with the one shared machine ÷ building a Machine per record (what DESIGN §6 forbids);
- document render: one 隐患登记表 render with the shared FontConfiguration ÷ the same with a new FontConfiguration.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import insert, select, update
from sqlmodel import Session

from db.engine import open_database
from db.models import Enterprise, HazardItem, Unit, User
from db.setup import initialise
from db.uow import SqlUnitOfWork
from workflow import services
from workflow.actor import Actor
from workflow.clock import SHANGHAI
from workflow.uscc import make_uscc


def _time(fn: Callable[[], Any], repeat: int) -> float:
    """Median seconds per call."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _populate(database, items: int) -> tuple[Actor, list[int]]:
    now = dt.datetime(2023, 7, 10, 10, tzinfo=SHANGHAI)
    with Session(database.writer) as s:
        unit = s.execute(select(Unit).where(Unit.code == "310115")).scalars().one()
        user = User(username="bench", full_name="基准", role="leader", unit_id=unit.id, password_hash="x")
        s.add(user)
        s.flush()
        enterprise = Enterprise(uscc=make_uscc("91310115" + "123456789"), name="基准企业", unit_id=unit.id)
        s.add(enterprise)
        s.flush()
        row = dict(campaign_id=1, unit_id=unit.id, enterprise_id=enterprise.id, category="燃气用品",
                   sub_product="家用燃气灶", problem_type="质量低劣", source="监督抽查", facts="基准数据",
                   found_on=dt.date(2023, 7, 1), state="found", version=1, deadline=dt.date(2023, 7, 21),
                   state_since=dt.date(2023, 7, 1), measures="", handler_id=user.id, created_at=now, updated_at=now)
        for start in range(0, items, 50_000):  # Core bulk insert in batches keeps memory flat at a million rows
            s.execute(insert(HazardItem), [row] * min(50_000, items - start))
        s.commit()
        ids = list(s.execute(select(HazardItem.id).order_by(HazardItem.id)).scalars())
        return Actor(user.id, user.username, user.full_name, user.role, unit.id), ids


def run_benchmarks(quick: bool = False, out: Callable[[str], None] = print, items: int | None = None) -> dict[str, Any]:
    items = items or (2_000 if quick else 50_000)
    repeat = 15 if quick else 40
    results: dict[str, Any] = {"items": items}
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        initialise(database)
        actor, ids = _populate(database, items)
        now = dt.datetime(2023, 7, 10, 10, tzinfo=SHANGHAI)

        # 1. transition vs bare write transaction
        def bare_write(counter=iter(ids)):
            with Session(database.writer) as s:
                s.execute(update(HazardItem).where(HazardItem.id == next(counter)).values(measures="x"))
                s.commit()

        targets = iter(reversed(ids))

        def transition():
            services.fire_event(SqlUnitOfWork(database), actor, next(targets), "order_rectification",
                                {"version": 1, "deadline": "2023-08-10", "requirements": "整改", "legal_basis": "法"}, now)

        base = _time(bare_write, repeat)
        cost = _time(transition, repeat)
        results["transition"] = {"baseline_s": base, "value_s": cost, "ratio": cost / base}

        # 2. keyset pagination stays flat with depth; OFFSET does not
        from db.queries import ItemFilter, list_items

        with Session(database.reader) as s:
            depth = items - 60
            first = _time(lambda: list_items(s, actor, ItemFilter(), dt.date(2023, 7, 10), limit=50), repeat)
            from db.queries import encode_cursor

            cursor = encode_cursor([None, ids[60]])
            deep = _time(lambda: list_items(s, actor, ItemFilter(), dt.date(2023, 7, 10), cursor=cursor, limit=50),
                         repeat)
            from db.queries import item_query

            offset = _time(lambda: s.execute(item_query(actor, ItemFilter(), dt.date(2023, 7, 10))
                                             .order_by(HazardItem.id.desc()).offset(depth).limit(50)).all(), repeat)
        results["keyset_page"] = {"baseline_s": first, "value_s": deep, "ratio": deep / first,
                                  "offset_ratio": offset / first}

        # 3. the shared machine vs a machine per record
        from transitions import Machine

        from workflow.machine import triggers_from
        from workflow.table import TRANSITION_EVENTS, State

        def machine_per_record():
            m = Machine(model=None, states=[s.value for s in State], initial="found", auto_transitions=False)
            for e in TRANSITION_EVENTS:
                m.add_transition(e.name, [s.value for s in e.sources], e.dest.value)
            return m.get_triggers("found")

        per_record = _time(machine_per_record, repeat)
        shared = _time(lambda: triggers_from("found"), repeat)
        results["shared_machine"] = {"baseline_s": per_record, "value_s": shared, "ratio": shared / per_record}

        # 4. PDF render: the shared FontConfiguration vs a fresh one per render
        from db.models import Document

        with Session(database.reader) as s:
            snapshot = s.execute(select(Document.snapshot).order_by(Document.id.desc())).scalars().first()
        results["render"] = _render_bench(snapshot, max(3, repeat // 8))
        database.dispose()

    out(f"hazardtrack bench — {items} 条隐患；比值 = 测量值 ÷ 同次运行的基线（越小越好）")
    for name, r in results.items():
        if isinstance(r, dict):
            extra = f"，OFFSET 同深度 {r['offset_ratio']:.1f}×" if "offset_ratio" in r else ""
            out(f"  {name:<15} {r['ratio']:8.3f}×  （基线 {r['baseline_s'] * 1000:.3f} ms，测量 {r['value_s'] * 1000:.3f} ms{extra}）")
    return results


def _render_bench(snapshot: dict, repeat: int) -> dict[str, float]:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from documents.pdf import FONT_CONFIG, PDF_VARIANT, TEMPLATES_DIR
    from documents.render import STYLESHEET, render_html

    html = render_html(snapshot)

    def render(config: FontConfiguration) -> bytes:
        css = CSS(filename=str(TEMPLATES_DIR / STYLESHEET), font_config=config)
        return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(
            stylesheets=[css], font_config=config, pdf_variant=PDF_VARIANT)

    render(FONT_CONFIG)  # warm-up: first use loads the fonts
    fresh = _time(lambda: render(FontConfiguration()), repeat)
    shared = _time(lambda: render(FONT_CONFIG), repeat)
    return {"baseline_s": fresh, "value_s": shared, "ratio": shared / fresh}
