"""What an attacker with the database owner's rights would do: drop the append-only triggers (migration 0007) and
rewrite the record behind the application's back. Tests use it to show that `documents verify` still sees it."""

from __future__ import annotations

from sqlalchemy import text

from db.engine import Database

APPEND_ONLY = ("item_event", "document")


def append_only_triggers(database: Database) -> set[tuple[str, str]]:
    """(table, trigger) of every trigger on the append-only tables."""
    with database.writer.connect() as c:
        if database.is_sqlite:
            rows = c.execute(text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
                                  "AND tbl_name IN ('item_event', 'document')"))
        else:
            rows = c.execute(text("SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                  "WHERE NOT t.tgisinternal AND c.relname IN ('item_event', 'document')"))
        return {(table, name) for table, name in rows}


def drop_append_only_triggers(database: Database) -> None:
    triggers = append_only_triggers(database)
    with database.writer.begin() as c:
        for table, name in triggers:
            c.execute(text(f"DROP TRIGGER {name}" if database.is_sqlite else f"DROP TRIGGER {name} ON {table}"))


def rewrite(database: Database, statement: str, **params) -> None:
    """Run one raw statement with the triggers out of the way."""
    drop_append_only_triggers(database)
    with database.writer.begin() as c:
        c.execute(text(statement), params)
