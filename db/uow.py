"""The unit of work and the repositories behind workflow/ports.py. Only the unit of work commits."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from db.campaigns import campaign_of_date
from db.engine import Database
from db.models import (
    CatalogTerm,
    Category,
    Document,
    Enterprise,
    HazardItem,
    ItemEvent,
    NumberSeries,
    Unit,
    User,
)
from workflow.ports import Catalog


class _Repo:
    def __init__(self, session: Session):
        self.session = session


class Items(_Repo):
    def get(self, item_id: int, *, for_update: bool = False) -> HazardItem | None:
        query = select(HazardItem).where(HazardItem.id == item_id)
        if for_update:
            # PostgreSQL: a concurrent transition waits here, then sees the new version and is refused (409).
            # SQLite: BEGIN IMMEDIATE has already serialised writers; FOR UPDATE is not emitted.
            query = query.with_for_update()
        return self.session.execute(query).scalars().first()

    def add(self, **fields: Any) -> HazardItem:
        item = HazardItem.model_validate(fields)
        self.session.add(item)
        self.session.flush()
        return item


class Enterprises(_Repo):
    def by_uscc(self, uscc: str) -> Enterprise | None:
        return self.session.execute(select(Enterprise).where(Enterprise.uscc == uscc)).scalars().first()

    def get(self, enterprise_id: int) -> Enterprise | None:
        return self.session.get(Enterprise, enterprise_id)


class Units(_Repo):
    def get(self, unit_id: int) -> Unit | None:
        return self.session.get(Unit, unit_id)


class Users(_Repo):
    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)


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


class History(_Repo):
    def for_item(self, item_id: int) -> list[ItemEvent]:
        return list(
            self.session.execute(select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.seq))
            .scalars()
            .all()
        )

    def add(self, **fields: Any) -> ItemEvent:
        entry = ItemEvent.model_validate(fields)
        self.session.add(entry)
        self.session.flush()
        return entry


class Documents(_Repo):
    def add(self, **fields: Any) -> Document:
        document = Document.model_validate(fields)
        self.session.add(document)
        self.session.flush()
        return document

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
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = NumberSeries.__table__
        statement = (
            insert(table)
            .values(unit_id=unit_id, kind=kind, year=year, last=1)
            .on_conflict_do_update(index_elements=["unit_id", "kind", "year"], set_={"last": table.c.last + 1})
            .returning(table.c.last)
        )
        return int(self.session.execute(statement).scalar_one())


class SqlUnitOfWork:
    """One transaction. Leaving the block without commit() rolls back: nothing half-written survives an error."""

    def __init__(self, database: Database):
        self.database = database
        self.session: Session | None = None

    def __enter__(self) -> "SqlUnitOfWork":
        self.session = Session(self.database.writer, expire_on_commit=False)
        self.items = Items(self.session)
        self.enterprises = Enterprises(self.session)
        self.units = Units(self.session)
        self.users = Users(self.session)
        self.catalog = Catalogs(self.session)
        self.history = History(self.session)
        self.documents = Documents(self.session)
        self.numbers = Numbers(self.session)
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self.session is not None
        self.session.rollback()
        self.session.close()
        self.session = None

    def commit(self) -> None:
        assert self.session is not None
        self.session.commit()

    def rollback(self) -> None:
        assert self.session is not None
        self.session.rollback()
