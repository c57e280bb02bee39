"""The migrations build exactly the schema the SQLModel tables describe (no drift between db/models*.py and
db/migrations), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
import db.record_models  # noqa: F401


def test_the_migrated_schema_matches_the_tables(any_db):
    with any_db.writer.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
