"""Database set-up: migrate to the newest schema, load the reference data (idempotent), load another campaign.

Each runs in one unit of work (db.uow.SqlUnitOfWork) and commits there; the CLI only calls them.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from db.engine import Database, open_database
from db.migrate import upgrade
from db.roles import grant_runtime_role
from db.reference import load_campaign_file, load_reference
from db.uow import SqlUnitOfWork


def initialise(database: Database, migration_url: str | None = None) -> dict[str, int]:
    """Migrate to head — as the owner `migration_url` when given (PostgreSQL), granting the runtime role of
    `database` only what db/roles.py says — then load the reference data as the runtime role."""
    if migration_url and not database.is_sqlite:
        upgrade(migration_url)
        owner = open_database(migration_url)
        try:
            grant_runtime_role(owner.writer, make_url(database.url).username)
        finally:
            owner.dispose()
    else:
        upgrade(database.url)
    with SqlUnitOfWork(database) as uow:
        added = load_reference(uow.session)
        uow.commit()
    return added


def load_campaign(database: Database, path: Path) -> dict[str, int]:
    """`hazardtrack load-campaign FILE.json`: all of the file or nothing (InputInvalid names each bad field)."""
    with SqlUnitOfWork(database) as uow:
        added = load_campaign_file(uow.session, path)
        uow.commit()
    return added
