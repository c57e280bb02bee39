"""Engine set-up for SQLite (default) and PostgreSQL (production).

SQLite: WAL so readers never wait for the writer, a busy timeout, foreign keys on, and write transactions opened
with BEGIN IMMEDIATE — a deferred transaction that reads and then writes fails with "database is locked" under
concurrency instead of waiting. Reads use a second engine with ordinary deferred transactions so they do not
queue behind writers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, event
from sqlmodel import create_engine


def data_dir() -> Path:
    return Path(os.environ.get("HAZARDTRACK_DATA_DIR", "./var")).resolve()


def database_url() -> str:
    url = os.environ.get("HAZARDTRACK_DATABASE_URL")
    if url:
        return url
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'hazardtrack.sqlite3'}"


def migration_url() -> str | None:
    """The migration owner's URL (PostgreSQL), when it is not the runtime role's: db/roles.py."""
    return os.environ.get("HAZARDTRACK_MIGRATION_URL") or None


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, open transactions, so BEGIN IMMEDIATE is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass
class Database:
    """The engines of one database: `writer` for units of work, `reader` for queries."""

    url: str
    writer: Engine
    reader: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


def open_database(url: str | None = None) -> Database:
    url = url or database_url()
    if url.startswith("sqlite"):
        return Database(url, _sqlite_engine(url, immediate=True), _sqlite_engine(url, immediate=False))
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    return Database(url, engine, engine)
