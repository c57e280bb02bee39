"""Database set-up: migrate to the newest schema, load the reference data (idempotent), load another campaign.

Each runs in one unit of work (db.uow.SqlUnitOfWork) and commits there; the CLI only calls them.
"""

from __future__ import annotations

from pathlib import Path

from db.engine import Database
from db.migrate import upgrade
from db.reference import load_campaign_file, load_reference
from db.uow import SqlUnitOfWork


def initialise(database: Database) -> dict[str, int]:
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
