"""PostgreSQL: the application runs as a role that cannot rewrite the record, separate from the migration owner.

`HAZARDTRACK_DATABASE_URL` is the runtime role (the server, the CLI); `HAZARDTRACK_MIGRATION_URL`, when set, is
the owner that `hazardtrack init` migrates as. After migrating, init grants the runtime role what it needs and no
more: SELECT on every table; INSERT, UPDATE and DELETE on the working tables; on the append-only tables (the
history, the documents) INSERT only, plus UPDATE of document.sha256 (the PDF's hash, set once after rendering; the
trigger of migration 0007 allows nothing else). Not being the owner, the runtime role cannot drop or disable the
triggers either. Grants are made again on every init, so tables added by later migrations are covered.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

APPEND_ONLY = ("item_event", "document")
READ_ONLY = ("alembic_version",)


def grant_runtime_role(owner: Engine, role: str) -> None:
    with owner.begin() as c:
        quote = c.dialect.identifier_preparer.quote
        schema = c.execute(text("SELECT current_schema()")).scalar_one()
        tables = inspect(c).get_table_names(schema=schema)
        who, where = quote(role), quote(schema)
        c.execute(text(f"GRANT USAGE ON SCHEMA {where} TO {who}"))
        c.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}"))
        c.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {where} TO {who}"))
        for table in tables:
            name = f"{where}.{quote(table)}"
            if table in APPEND_ONLY:
                c.execute(text(f"GRANT INSERT ON {name} TO {who}"))
            elif table not in READ_ONLY:
                c.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {name} TO {who}"))
        c.execute(text(f"GRANT UPDATE (sha256) ON {where}.document TO {who}"))
        c.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}"))
