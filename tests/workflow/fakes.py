"""In-memory fakes of the ports in workflow/ports.py: the use cases run against them without a database.

Records are SimpleNamespace objects (the ports only ask for attributes). The fake unit of work counts commits and
keeps what was added only when the block committed, so a test can tell "refused" from "refused but half-written".
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any, Iterable, Mapping, Sequence

from workflow.campaigns import CampaignPeriod, campaign_for
from workflow.errors import NotFound
from workflow.ports import Catalog, SpecialInspectionCase

CATEGORIES = {"燃气用品": ["家用燃气灶", "燃气调压器"], "电线电缆": []}
PROBLEM_TYPES = ["质量低劣", "无证生产"]
SOURCES = ["监督抽查", "日常巡查"]


class Table:
    """One kind of record: staged rows become visible to later units of work only when committed."""

    def __init__(self, uow: "FakeUnitOfWork", name: str):
        self.uow, self.name = uow, name
        self.rows: dict[int, SimpleNamespace] = {}
        self._ids = itertools.count(1)

    def insert(self, **fields: Any) -> SimpleNamespace:
        row = SimpleNamespace(id=next(self._ids), **fields)
        self.uow.staged.append((self, row))
        return row

    def visible(self) -> Iterable[SimpleNamespace]:
        staged = [row for table, row in self.uow.staged if table is self]
        return [*self.rows.values(), *staged]

    def find(self, **match: Any) -> SimpleNamespace | None:
        return next((r for r in self.visible() if all(getattr(r, k, None) == v for k, v in match.items())), None)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.commits = 0
        self.staged: list[tuple[Table, SimpleNamespace]] = []
        self.tables = {name: Table(self, name) for name in (
            "units", "users", "enterprises", "items", "history", "documents", "records", "submissions", "flags",
            "campaigns")}
        self.serials: dict[tuple[int, str, int], int] = {}
        self.statistics_calls: list[dict[str, Any]] = []
        self.special_cases: dict[int, SpecialInspectionCase] = {}
        self.items = _Items(self)
        self.enterprises = _Enterprises(self)
        self.units = _Units(self)
        self.users = _Users(self)
        self.catalog = _Catalog(self)
        self.campaigns = _Campaigns(self)
        self.history = _History(self)
        self.documents = _Documents(self)
        self.numbers = _Numbers(self)
        self.records = _Records(self)
        self.submissions = _Submissions(self)
        self.flags = _Flags(self)
        self.reports = _Reports(self)
        self.special_inspections = _SpecialInspections(self)

    # -- the unit of work ---------------------------------------------------------------------------------------
    def __enter__(self) -> "FakeUnitOfWork":
        self.staged = []
        return self

    def __exit__(self, *exc: Any) -> None:
        self.staged = []  # whatever was not committed is gone

    def commit(self) -> None:
        for table, row in self.staged:
            table.rows[row.id] = row
        self.staged = []
        self.commits += 1

    def rollback(self) -> None:
        self.staged = []

    # -- seeding (as if committed long ago) ---------------------------------------------------------------------
    def seed(self, table: str, **fields: Any) -> SimpleNamespace:
        with self:
            row = self.tables[table].insert(**fields)
            self.commit()
        self.commits = 0
        return row

    def all(self, table: str) -> list[SimpleNamespace]:
        return list(self.tables[table].rows.values())


class _Repo:
    def __init__(self, uow: FakeUnitOfWork):
        self.uow = uow

    def table(self, name: str) -> Table:
        return self.uow.tables[name]


class _Items(_Repo):
    def get(self, item_id: int, *, for_update: bool = False):
        return self.table("items").find(id=item_id)

    def add(self, **fields: Any):
        return self.table("items").insert(**fields)


class _Enterprises(_Repo):
    def by_uscc(self, uscc: str, *, for_update: bool = False):
        return self.table("enterprises").find(uscc=uscc)

    def get(self, enterprise_id: int, *, for_update: bool = False):
        return self.table("enterprises").find(id=enterprise_id)

    def add(self, **fields: Any):
        return self.table("enterprises").insert(**fields)

    def known_usccs(self, usccs: Iterable[str]) -> set[str]:
        wanted = set(usccs)
        return {e.uscc for e in self.table("enterprises").visible() if e.uscc in wanted}

    def add_many(self, rows: Sequence[Mapping[str, Any]]) -> int:
        for row in rows:
            self.table("enterprises").insert(**row)
        return len(rows)


class _Units(_Repo):
    def get(self, unit_id: int):
        return self.table("units").find(id=unit_id)

    def find(self, code_or_name: str):
        key = code_or_name.strip()
        return next((u for u in self.table("units").visible() if key in (u.code, u.name, u.label)), None)

    def all(self):
        return list(self.table("units").visible())


class _Users(_Repo):
    def get(self, user_id: int, *, for_update: bool = False):
        return self.table("users").find(id=user_id)

    def by_username(self, username: str, *, any_case: bool = False):
        exact = self.table("users").find(username=username)
        if exact is not None or not any_case:
            return exact
        return next((u for u in self.table("users").visible() if u.username.lower() == username.lower()), None)

    def end_sessions(self, user_id: int) -> None:
        self.uow.__dict__.setdefault("ended_sessions", []).append(user_id)

    def add(self, **fields: Any):
        return self.table("users").insert(**{"active": True, **fields})

    def active_admins(self) -> int:
        return sum(1 for u in self.table("users").visible() if u.role == "admin" and u.active)


class _Campaigns(_Repo):
    def of_date(self, day: dt.date):
        rows = list(self.table("campaigns").visible())
        chosen = campaign_for(day, [CampaignPeriod(c.id, c.key, c.starts_on, c.ends_on) for c in rows])
        if chosen is None:
            raise NotFound("尚未载入专项行动目录")
        return self.table("campaigns").find(id=chosen.id)

    def get(self, campaign_id: int):
        return self.table("campaigns").find(id=campaign_id)


class _Catalog(_Repo):
    def for_date(self, day: dt.date) -> Catalog:
        return self.for_campaign(self.uow.campaigns.of_date(day).id)

    def for_campaign(self, campaign_id: int) -> Catalog:
        return Catalog(campaign_id, {k: list(v) for k, v in CATEGORIES.items()}, PROBLEM_TYPES, SOURCES)


class _History(_Repo):
    def for_item(self, item_id: int):
        return sorted((h for h in self.table("history").visible() if h.item_id == item_id), key=lambda h: h.seq)

    def add(self, **fields: Any):
        return self.table("history").insert(**fields)

    def first_on(self, item_id: int, event: str):
        days = [h.on_date for h in self.for_item(item_id) if h.event == event]
        return min(days) if days else None


class _Documents(_Repo):
    def add(self, **fields: Any):
        return self.table("documents").insert(**{"sha256": None, **fields})

    def get(self, document_id: int, *, for_update: bool = False):
        return self.table("documents").find(id=document_id)

    def numbers(self, ids: Iterable[int]) -> dict[int, str]:
        wanted = set(ids)
        return {d.id: d.number for d in self.table("documents").visible() if d.id in wanted}


class _Numbers(_Repo):
    def next(self, unit_id: int, kind: str, year: int) -> int:
        key = (unit_id, kind, year)
        self.uow.serials[key] = self.uow.serials.get(key, 0) + 1
        return self.uow.serials[key]


class _Records(_Repo):
    def add(self, kind: str, **fields: Any):
        return self.table("records").insert(kind=kind, updated_by=None, **fields)

    def get(self, kind: str, record_id: int, *, for_update: bool = False):
        return self.table("records").find(kind=kind, id=record_id)

    def exists_for_item(self, kind: str, item_id: int, *, except_id: int | None = None) -> bool:
        return any(r.kind == kind and getattr(r, "item_id", None) == item_id and r.id != except_id
                   for r in self.table("records").visible())

    def public(self, kind: str, record: Any) -> dict[str, Any]:
        return {"id": record.id, "kind": kind, "campaign_id": record.campaign_id, "unit_id": record.unit_id}


class _Submissions(_Repo):
    def add(self, **fields: Any):
        return self.table("submissions").insert(**fields)

    def public(self, submission: Any) -> dict[str, Any]:
        return {"id": submission.id, "number": submission.number, "title": submission.frozen["deadline"]["title"]}


class _Flags(_Repo):
    def add(self, **fields: Any):
        return self.table("flags").insert(closed_at=None, closed_by=None, closed_by_name=None, **fields)

    def get(self, flag_id: int, *, for_update: bool = False):
        return self.table("flags").find(id=flag_id)


class _Reports(_Repo):
    def statistics(self, **period: Any) -> dict[str, Any]:
        self.uow.statistics_calls.append(period)
        return {"rows": [], "period": [period["date_from"].isoformat(), period["date_to"].isoformat()]}

    def ledger(self, **period: Any) -> dict[str, Any]:
        return {"rows": []}


class _SpecialInspections(_Repo):
    def case(self, enterprise_id: int, *, reference: dt.date):
        return self.uow.special_cases.get(enterprise_id)

    def not_listed_reason(self, *, reference: dt.date) -> str:
        return "该企业两年内监督抽查不合格不足2次，无需专门现场检查"
