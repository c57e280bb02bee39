"""The unit of work: one transaction, with the repositories of db/repositories.py. Only the unit of work commits.

One SqlUnitOfWork is one transaction on the writer engine (SQLite: BEGIN IMMEDIATE, so a read-then-write never
fails half-way; PostgreSQL: rows read `for_update` are locked until the commit). A unique or foreign-key
violation at commit is a Conflict (409), never a 500.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db.engine import Database
from db.repositories import (
    DUPLICATE,
    Campaigns,
    Catalogs,
    Documents,
    Enterprises,
    Flags,
    History,
    Items,
    Numbers,
    Records,
    Reports,
    SpecialInspections,
    Submissions,
    Units,
    Users,
)
from workflow.errors import Conflict

class SqlUnitOfWork:
    """One transaction. Leaving the block without commit() rolls back: nothing half-written survives an error."""

    def __init__(self, database: Database):
        self.database = database
        self.session: Session | None = None

    def __enter__(self) -> "SqlUnitOfWork":
        self.session = session = Session(self.database.writer, expire_on_commit=False)
        self.items = Items(session)
        self.enterprises = Enterprises(session)
        self.units = Units(session)
        self.users = Users(session)
        self.catalog = Catalogs(session)
        self.campaigns = Campaigns(session)
        self.history = History(session)
        self.documents = Documents(session)
        self.numbers = Numbers(session)
        self.records = Records(session)
        self.submissions = Submissions(session)
        self.flags = Flags(session)
        self.reports = Reports(session)
        self.special_inspections = SpecialInspections(session)
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self.session is not None
        self.session.rollback()
        self.session.close()
        self.session = None

    def commit(self) -> None:
        assert self.session is not None
        try:
            self.session.commit()
        except IntegrityError:
            self.session.rollback()
            raise Conflict(DUPLICATE) from None

    def rollback(self) -> None:
        assert self.session is not None
        self.session.rollback()
