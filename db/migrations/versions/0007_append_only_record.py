"""The record cannot be rewritten unseen: history and documents append-only in the database, a hash chain per item,
each document's snapshot hash stored at creation

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-07 23:00:00

- item_event.prev_hash / item_event.hash: the chain of each item's history (workflow/chain.py). Existing rows get
  theirs here, in seq order per item, with the hash function frozen below as it is in code today.
- document.snapshot_sha256: the sha256 of the snapshot's canonical JSON (its footer prints the first 12 digits),
  computed here for existing documents.
- Triggers refuse UPDATE and DELETE of item_event and document (SQLite: RAISE(ABORT); PostgreSQL: plpgsql, and
  TRUNCATE refused by a statement trigger). The one update allowed is document.sha256 from NULL to a value, once,
  with nothing else changed (the PDF's hash, recorded after its first render).

SQLite note: a later migration that rebuilds item_event or document with batch_alter_table drops their triggers
(SQLite copies the table); it must create them again (tests/db/test_append_only.py checks that they exist at head).
"""
import datetime as dt
import hashlib
import json
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CONTENT = ("item_id", "seq", "event", "from_state", "to_state", "actor_id", "actor_name", "on_date", "at", "input",
           "document_id")
DOCUMENT_COLUMNS = ("id", "item_id", "unit_id", "kind", "year", "serial", "number", "snapshot", "template_version",
                    "snapshot_sha256", "created_at")  # every column but sha256

MESSAGE = "append-only"

SQLITE_TRIGGERS = {
    "item_event_no_update": f"CREATE TRIGGER item_event_no_update BEFORE UPDATE ON item_event "
                            f"BEGIN SELECT RAISE(ABORT, 'item_event is {MESSAGE}: UPDATE refused'); END",
    "item_event_no_delete": f"CREATE TRIGGER item_event_no_delete BEFORE DELETE ON item_event "
                            f"BEGIN SELECT RAISE(ABORT, 'item_event is {MESSAGE}: DELETE refused'); END",
    "document_no_delete": f"CREATE TRIGGER document_no_delete BEFORE DELETE ON document "
                          f"BEGIN SELECT RAISE(ABORT, 'document is {MESSAGE}: DELETE refused'); END",
    "document_only_sha256_once": (
        "CREATE TRIGGER document_only_sha256_once BEFORE UPDATE ON document WHEN NOT ("
        "OLD.sha256 IS NULL AND NEW.sha256 IS NOT NULL AND "
        + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in DOCUMENT_COLUMNS)
        + f") BEGIN SELECT RAISE(ABORT, 'document is {MESSAGE}: only sha256 may be set, once'); END"),
}

PG_FUNCTIONS = {
    "hazardtrack_refuse_change": f"""
CREATE FUNCTION hazardtrack_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is {MESSAGE}: % refused', TG_TABLE_NAME, TG_OP;
    RETURN NULL;
END $$""",
    "hazardtrack_document_update": f"""
CREATE FUNCTION hazardtrack_document_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.sha256 IS NULL AND NEW.sha256 IS NOT NULL AND (to_jsonb(NEW) - 'sha256') = (to_jsonb(OLD) - 'sha256') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'document is {MESSAGE}: only sha256 may be set, once';
END $$""",
}
PG_TRIGGERS = {
    ("item_event_no_change", "item_event"):
        "CREATE TRIGGER item_event_no_change BEFORE UPDATE OR DELETE ON item_event "
        "FOR EACH ROW EXECUTE FUNCTION hazardtrack_refuse_change()",
    ("item_event_no_truncate", "item_event"):
        "CREATE TRIGGER item_event_no_truncate BEFORE TRUNCATE ON item_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION hazardtrack_refuse_change()",
    ("document_no_delete", "document"):
        "CREATE TRIGGER document_no_delete BEFORE DELETE ON document "
        "FOR EACH ROW EXECUTE FUNCTION hazardtrack_refuse_change()",
    ("document_only_sha256_once", "document"):
        "CREATE TRIGGER document_only_sha256_once BEFORE UPDATE ON document "
        "FOR EACH ROW EXECUTE FUNCTION hazardtrack_document_update()",
    ("document_no_truncate", "document"):
        "CREATE TRIGGER document_no_truncate BEFORE TRUNCATE ON document "
        "FOR EACH STATEMENT EXECUTE FUNCTION hazardtrack_refuse_change()",
}


# --- the hashes, frozen as workflow/chain.py and workflow/snapshot.py compute them at this revision -------------


def _canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _plain(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _event_hash(row, prev_hash):
    content = {name: _plain(row[name]) for name in CONTENT}
    content["prev_hash"] = prev_hash
    return hashlib.sha256(_canonical(content).encode("utf-8")).hexdigest()


item_event = sa.table(
    "item_event", sa.column("id", sa.Integer), sa.column("item_id", sa.Integer), sa.column("seq", sa.Integer),
    sa.column("event", sa.String), sa.column("from_state", sa.String), sa.column("to_state", sa.String),
    sa.column("actor_id", sa.Integer), sa.column("actor_name", sa.String), sa.column("on_date", sa.Date),
    sa.column("at", sa.DateTime(timezone=True)), sa.column("input", sa.JSON), sa.column("document_id", sa.Integer),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String))
document = sa.table("document", sa.column("id", sa.Integer), sa.column("snapshot", sa.JSON),
                    sa.column("snapshot_sha256", sa.String))


def _backfill() -> None:
    bind = op.get_bind()
    prev: dict[int, str] = {}
    updates = []
    for row in bind.execute(sa.select(item_event).order_by(item_event.c.item_id, item_event.c.seq)).mappings():
        digest = _event_hash(row, prev.get(row["item_id"]))
        updates.append({"row_id": row["id"], "p": prev.get(row["item_id"]), "h": digest})
        prev[row["item_id"]] = digest
    if updates:
        bind.execute(item_event.update().where(item_event.c.id == sa.bindparam("row_id"))
                     .values(prev_hash=sa.bindparam("p"), hash=sa.bindparam("h")), updates)
    documents = [{"row_id": row["id"], "s": hashlib.sha256(_canonical(row["snapshot"]).encode("utf-8")).hexdigest()}
                 for row in bind.execute(sa.select(document.c.id, document.c.snapshot)).mappings()]
    if documents:
        bind.execute(document.update().where(document.c.id == sa.bindparam("row_id"))
                     .values(snapshot_sha256=sa.bindparam("s")), documents)


def upgrade() -> None:
    with op.batch_alter_table('item_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table('item_event', schema=None) as batch_op:
        batch_op.alter_column('hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.alter_column('snapshot_sha256', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
    else:
        for statement in PG_FUNCTIONS.values():
            op.execute(statement)
        for statement in PG_TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('snapshot_sha256')
    with op.batch_alter_table('item_event', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
