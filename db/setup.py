"""Database set-up: migrate to the newest schema, then load the reference data (idempotent)."""

from __future__ import annotations

from sqlmodel import Session

from db.engine import Database
from db.migrate import upgrade
from db.reference import load_reference


def initialise(database: Database) -> dict[str, int]:
    upgrade(database.url)
    with Session(database.writer) as session:
        added = load_reference(session)
        session.commit()
    return added
