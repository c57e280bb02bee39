"""The repositories behind workflow/ports.py: each reads and writes one kind of record in the unit of work's session.

They flush, never commit (db.uow.SqlUnitOfWork commits). A unique or foreign-key violation at flush is a Conflict
(409), never a 500: two requests racing to create the same record meet the database's own constraint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db import web_sessions
from db.campaigns import campaign_of_date
from db.models import (
    Campaign,
    CatalogTerm,
    Category,
    Document,
    Enterprise,
    HazardItem,
    ItemEvent,
    NumberSeries,
    ReportSubmission,
    SupervisionFlag,
    Unit,
    User,
)
from db.queries import find_unit, first_event_on
from db.record_models import STORES
from workflow.errors import Conflict
from workflow.ports import Catalog, SpecialInspectionCase

DUPLICATE = "记录已存在或已被他人同时修改，请刷新后重试"


class _Repo:
    def __init__(self, session: Session):
        self.session = session

    def _add(self, row: Any) -> Any:
        self.session.add(row)
        _flush(self.session)
        return row

    def _get(self, table: Any, ident: int, for_update: bool) -> Any:
        query = select(table).where(table.id == ident)
        if for_update:
            # PostgreSQL: a concurrent writer waits here, then sees the committed row.
            # SQLite: BEGIN IMMEDIATE has already serialised writers; FOR UPDATE is not emitted.
            query = query.with_for_update()
        return self.session.execute(query).scalars().first()


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(DUPLICATE) from None


class Items(_Repo):
    def get(self, item_id: int, *, for_update: bool = False) -> HazardItem | None:
        return self._get(HazardItem, item_id, for_update)

    def add(self, **fields: Any) -> HazardItem:
        return self._add(HazardItem.model_validate(fields))


class Enterprises(_Repo):
    def by_uscc(self, uscc: str, *, for_update: bool = False) -> Enterprise | None:
        query = select(Enterprise).where(Enterprise.uscc == uscc)
        return self.session.execute(query.with_for_update() if for_update else query).scalars().first()

    def get(self, enterprise_id: int, *, for_update: bool = False) -> Enterprise | None:
        return self._get(Enterprise, enterprise_id, for_update)

    def add(self, **fields: Any) -> Enterprise:
        return self._add(Enterprise.model_validate(fields))

    def known_usccs(self, usccs: Iterable[str]) -> set[str]:
        wanted = list(usccs)
        if not wanted:
            return set()
        return set(self.session.execute(select(Enterprise.uscc).where(Enterprise.uscc.in_(wanted))).scalars())

    def add_many(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """One INSERT for all rows (SQLAlchemy Core: an import of thousands of rows stays fast)."""
        if rows:
            try:
                self.session.execute(insert(Enterprise), [dict(r) for r in rows])
            except IntegrityError:
                raise Conflict(DUPLICATE) from None
        return len(rows)


class Units(_Repo):
    def get(self, unit_id: int) -> Unit | None:
        return self.session.get(Unit, unit_id)

    def find(self, code_or_name: str) -> Unit | None:
        return find_unit(self.session, code_or_name)

    def all(self) -> list[Unit]:
        return list(self.session.execute(select(Unit).order_by(Unit.position, Unit.id)).scalars())


class Users(_Repo):
    def get(self, user_id: int, *, for_update: bool = False) -> User | None:
        return self._get(User, user_id, for_update)

    def by_username(self, username: str, *, any_case: bool = False) -> User | None:
        """The user of exactly this name; with `any_case`, else one whose name differs only in case."""
        exact = self.session.execute(select(User).where(User.username == username)).scalars().first()
        if exact is not None or not any_case:
            return exact
        return self.session.execute(select(User).where(func.lower(User.username) == username.lower())
                                    .order_by(User.id)).scalars().first()

    def add(self, **fields: Any) -> User:
        return self._add(User.model_validate(fields))

    def active_admins(self) -> int:
        return self.session.execute(
            select(func.count()).select_from(User).where(User.role == "admin", User.active)).scalar_one()

    def end_sessions(self, user_id: int) -> None:
        web_sessions.end_for_user(self.session, user_id)


class Catalogs(_Repo):
    def for_date(self, day: dt.date) -> Catalog:
        """The catalog of the campaign `day` belongs to (workflow.campaigns)."""
        return load_catalog(self.session, campaign_of_date(self.session, day).id)

    def for_campaign(self, campaign_id: int) -> Catalog:
        return load_catalog(self.session, campaign_id)


def load_catalog(session: Session, campaign_id: int) -> Catalog:
    categories = session.execute(
        select(Category).where(Category.campaign_id == campaign_id).order_by(Category.position)
    ).scalars()
    terms = session.execute(
        select(CatalogTerm).where(CatalogTerm.campaign_id == campaign_id).order_by(CatalogTerm.position)
    ).scalars().all()
    return Catalog(
        campaign_id=campaign_id,
        categories={c.name: list(c.sub_products) for c in categories},
        problem_types=[t.name for t in terms if t.kind == "problem_type"],
        sources=[t.name for t in terms if t.kind == "source"],
    )


class Campaigns(_Repo):
    def of_date(self, day: dt.date) -> Campaign:
        return campaign_of_date(self.session, day)

    def get(self, campaign_id: int) -> Campaign | None:
        return self.session.get(Campaign, campaign_id)


class History(_Repo):
    def for_item(self, item_id: int) -> list[ItemEvent]:
        return list(
            self.session.execute(select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.seq))
            .scalars()
            .all()
        )

    def add(self, **fields: Any) -> ItemEvent:
        return self._add(ItemEvent.model_validate(fields))

    def first_on(self, item_id: int, event: str) -> dt.date | None:
        return first_event_on(self.session, item_id, event)


class Documents(_Repo):
    def add(self, **fields: Any) -> Document:
        return self._add(Document.model_validate(fields))

    def get(self, document_id: int, *, for_update: bool = False) -> Document | None:
        return self._get(Document, document_id, for_update)

    def numbers(self, ids: Iterable[int]) -> dict[int, str]:
        ids = list(ids)
        if not ids:
            return {}
        rows = self.session.execute(select(Document.id, Document.number).where(Document.id.in_(ids)))
        return {row.id: row.number for row in rows}


class Numbers(_Repo):
    """Gapless serials: an atomic upsert inside the transition's own transaction (rolled back with it)."""

    def next(self, unit_id: int, kind: str, year: int) -> int:
        dialect = self.session.get_bind().dialect.name
        insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = NumberSeries.__table__
        statement = (
            insert_(table)
            .values(unit_id=unit_id, kind=kind, year=year, last=1)
            .on_conflict_do_update(index_elements=["unit_id", "kind", "year"], set_={"last": table.c.last + 1})
            .returning(table.c.last)
        )
        return int(self.session.execute(statement).scalar_one())


class Records(_Repo):
    def add(self, kind: str, **fields: Any) -> Any:
        return self._add(STORES[kind].table.model_validate(fields))

    def get(self, kind: str, record_id: int, *, for_update: bool = False) -> Any:
        return self._get(STORES[kind].table, record_id, for_update)

    def exists_for_item(self, kind: str, item_id: int, *, except_id: int | None = None) -> bool:
        table = STORES[kind].table
        query = select(table.id).where(table.item_id == item_id)
        if except_id is not None:
            query = query.where(table.id != except_id)
        return self.session.execute(query).first() is not None

    def public(self, kind: str, record: Any) -> dict[str, Any]:
        from db.record_queries import load_public

        _flush(self.session)
        return load_public(self.session, STORES[kind].kind, record)


class Submissions(_Repo):
    def add(self, **fields: Any) -> ReportSubmission:
        return self._add(ReportSubmission.model_validate(fields))

    def public(self, submission: ReportSubmission) -> dict[str, Any]:
        from db.submissions import public

        return public(submission)


class Flags(_Repo):
    def add(self, **fields: Any) -> SupervisionFlag:
        return self._add(SupervisionFlag.model_validate(fields))

    def get(self, flag_id: int, *, for_update: bool = False) -> SupervisionFlag | None:
        return self._get(SupervisionFlag, flag_id, for_update)


class Reports(_Repo):
    """附件2 and 附件1 read inside the unit of work (a submission freezes what its own transaction sees)."""

    def statistics(self, *, campaign_id: int, unit_id: int, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
        from db.statistics import statistics

        return statistics(self.session, unit_id=unit_id, date_from=date_from, date_to=date_to,
                          campaign=self.session.get(Campaign, campaign_id)).to_json()

    def ledger(self, *, campaign_id: int, unit_id: int, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
        from db.ledger import ledger

        return ledger(self.session, unit_id=unit_id, date_from=date_from, date_to=date_to,
                      campaign=self.session.get(Campaign, campaign_id)).to_json()


class SpecialInspections(_Repo):
    def case(self, enterprise_id: int, *, reference: dt.date) -> SpecialInspectionCase | None:
        from db.special_inspections import special_inspection_case

        return special_inspection_case(self.session, enterprise_id, reference=reference)

    def not_listed_reason(self, *, reference: dt.date) -> str:
        from db.special_inspections import not_listed_reason

        return not_listed_reason(self.session, reference=reference)
