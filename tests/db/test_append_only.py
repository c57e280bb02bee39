"""The record is append-only in the database itself (migration 0007): UPDATE, DELETE and TRUNCATE of the history and
the documents are refused by triggers, whoever sends them — raw SQL through the application's own engine here —
except the one update the application makes: a document's PDF hash, from NULL to a value, once. Every history row
carries the hash of its predecessor, and existing rows get their chain from the migration."""

from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import Integer, exc, inspect, select, text
from sqlmodel import Session

from db.migrate import alembic_config
from db.models import Document, ItemEvent
from documents.render import snapshot_hash
from documents.store import PdfStore
from tests.conftest import NOW, World, event_input, register_input
from tests.db.tamper import append_only_triggers
from web.app_state import Runtime
from web.pdfs import ensure_pdf
from web.settings import Settings
from workflow import chain, services
from workflow.clock import business_date

TODAY = business_date(NOW)


def an_item_with_history(world: World) -> int:
    """An item with three history rows and three documents (登记表, 整改通知书, 延期 approval)."""
    outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
    state, version = "found", 1
    for event, dest in (("order_rectification", "rectifying"), ("extend_rectification", "rectifying")):
        data = {**event_input(event, state, TODAY), "version": version}
        services.fire_event(world.uow(), world.leader, outcome.item_id, event, data, NOW)
        state, version = dest, version + 1
    return outcome.item_id


def refused(world: World, statement: str, **params) -> str:
    with pytest.raises(exc.DBAPIError) as raised:
        with world.db.writer.begin() as c:
            c.execute(text(statement), params)
    assert "append-only" in str(raised.value)
    return str(raised.value)


def test_the_history_cannot_be_updated_deleted_or_truncated(any_world: World):
    item_id = an_item_with_history(any_world)
    refused(any_world, "UPDATE item_event SET actor_name = '别人' WHERE item_id = :i AND seq = 2", i=item_id)
    refused(any_world, "UPDATE item_event SET seq = seq + 10")
    refused(any_world, "DELETE FROM item_event WHERE item_id = :i AND seq = 3", i=item_id)
    refused(any_world, "DELETE FROM item_event")  # SQLite's truncate optimisation is off where a trigger exists
    if not any_world.db.is_sqlite:
        refused(any_world, "TRUNCATE item_event CASCADE")
        refused(any_world, "TRUNCATE hazard_item CASCADE")  # reaches item_event and document through the cascade
    with Session(any_world.db.reader) as s:
        rows = s.execute(select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.seq)).scalars().all()
    assert [(r.seq, r.actor_name) for r in rows] == [(1, "张三"), (2, "李四"), (3, "李四")]


def test_documents_cannot_be_updated_deleted_or_truncated(any_world: World):
    an_item_with_history(any_world)
    with Session(any_world.db.reader) as s:
        first = s.execute(select(Document).order_by(Document.id)).scalars().first()
    refused(any_world, "UPDATE document SET number = '篡改〔2023〕99号' WHERE id = :d", d=first.id)
    refused(any_world, "DELETE FROM document WHERE id = :d", d=first.id)
    refused(any_world, "DELETE FROM document")
    if not any_world.db.is_sqlite:
        refused(any_world, "TRUNCATE document CASCADE")
    # the sha256 once, and nothing with it
    refused(any_world, "UPDATE document SET sha256 = :h, number = 'x' WHERE id = :d", h="a" * 64, d=first.id)
    refused(any_world, "UPDATE document SET sha256 = NULL WHERE id = :d", d=first.id)
    with any_world.db.writer.begin() as c:
        c.execute(text("UPDATE document SET sha256 = :h WHERE id = :d"), {"h": "a" * 64, "d": first.id})
    refused(any_world, "UPDATE document SET sha256 = :h WHERE id = :d", h="b" * 64, d=first.id)  # set once
    refused(any_world, "UPDATE document SET sha256 = NULL WHERE id = :d", d=first.id)
    with Session(any_world.db.reader) as s:
        again = s.get(Document, first.id)
        assert (again.number, again.sha256, again.snapshot) == (first.number, "a" * 64, first.snapshot)


def test_every_document_column_but_sha256_is_refused_alone(any_world: World):
    """A column added to document later is covered too, or this test names it."""
    an_item_with_history(any_world)
    with Session(any_world.db.reader) as s:
        first = s.execute(select(Document).order_by(Document.id)).scalars().first()
    changed = {}
    for column in Document.__table__.columns:
        if column.name == "sha256":
            continue
        if column.name == "item_id":
            changed[column.name] = "NULL"
        elif column.name == "snapshot":
            changed[column.name] = "'{}'"
        elif column.name == "created_at":
            changed[column.name] = "CURRENT_TIMESTAMP"
        elif isinstance(column.type, Integer):
            changed[column.name] = f"{column.name} + 1000"
        else:
            changed[column.name] = f"'x' || substr({column.name}, 2)"
    for column, value in changed.items():  # alone, and with the one allowed change beside it
        refused(any_world, f"UPDATE document SET {column} = {value} WHERE id = :d", d=first.id)
        refused(any_world, f"UPDATE document SET {column} = {value}, sha256 = :h WHERE id = :d", d=first.id,
                h="c" * 64)


def test_a_transition_still_records_its_pdf_hash(any_world: World, tmp_path):
    outcome = services.register_item(any_world.uow(), any_world.handler, register_input(), NOW)
    runtime = Runtime(database=any_world.db, settings=Settings("k" * 32, tmp_path, False),
                      store=PdfStore(tmp_path / "pdf"), dummy_hash="x")
    data = ensure_pdf(runtime, outcome.document_id)
    with Session(any_world.db.reader) as s:
        assert s.get(Document, outcome.document_id).sha256 == hashlib.sha256(data).hexdigest()


def test_the_triggers_exist_at_head(any_db):
    names = {name for _, name in append_only_triggers(any_db)}
    if any_db.is_sqlite:
        assert names == {"item_event_no_update", "item_event_no_delete", "document_no_delete",
                         "document_only_sha256_once"}
    else:
        assert names == {"item_event_no_change", "item_event_no_truncate", "document_no_delete",
                         "document_only_sha256_once", "document_no_truncate"}


def test_each_history_row_carries_its_predecessors_hash(any_world: World):
    item_id = an_item_with_history(any_world)
    with Session(any_world.db.reader) as s:
        rows = s.execute(select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.seq)).scalars().all()
        documents = s.execute(select(Document)).scalars().all()
    assert rows[0].prev_hash is None
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert all(r.hash == chain.event_hash(r, r.prev_hash) for r in rows)  # as read back from this database
    assert chain.chain_faults(rows, version=3) == []
    assert documents and all(d.snapshot_sha256 == snapshot_hash(d.snapshot) for d in documents)


def test_the_migration_computes_the_chain_of_existing_rows(any_world: World):
    """Rows written before 0007 get the chain the use case would have given them (downgrade drops the columns)."""
    from alembic import command

    item_id = an_item_with_history(any_world)
    with Session(any_world.db.reader) as s:
        before = [(r.seq, r.prev_hash, r.hash) for r in
                  s.execute(select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.seq)).scalars()]
        snapshots = {d.id: d.snapshot_sha256 for d in s.execute(select(Document)).scalars()}
    any_world.db.dispose()
    config = alembic_config(any_world.db.url)
    command.downgrade(config, "0005")
    with any_world.db.writer.connect() as c:
        assert "hash" not in {col["name"] for col in inspect(c).get_columns("item_event")}
    assert append_only_triggers(any_world.db) == set()
    command.upgrade(config, "head")
    with Session(any_world.db.reader) as s:
        after = [(r.seq, r.prev_hash, r.hash) for r in
                 s.execute(select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.seq)).scalars()]
        assert {d.id: d.snapshot_sha256 for d in s.execute(select(Document)).scalars()} == snapshots
    assert after == before
    assert append_only_triggers(any_world.db)


@pytest.mark.postgres
def test_on_postgresql_the_runtime_role_cannot_rewrite_the_record_nor_drop_its_triggers(postgres, tmp_path):
    """HAZARDTRACK_DATABASE_URL is a role apart from the migration owner (HAZARDTRACK_MIGRATION_URL): init grants it
    what the application needs (db/roles.py), and no UPDATE, DELETE or TRUNCATE of the history and documents."""
    from sqlalchemy import create_engine

    from db.engine import open_database
    from db.setup import initialise

    name = f"roles_{os.getpid()}"
    admin = create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE ROLE "{name}_owner" LOGIN'))
        c.execute(text(f'CREATE ROLE "{name}_app" LOGIN'))
        c.execute(text(f'CREATE DATABASE "{name}" OWNER "{name}_owner"'))
    admin.dispose()
    owner_url = postgres.url(name).replace("//postgres@", f"//{name}_owner@")
    database = open_database(postgres.url(name).replace("//postgres@", f"//{name}_app@"))
    initialise(database, owner_url)
    initialise(database, owner_url)  # again: idempotent, grants made again
    world = World(database)  # users and enterprises written by the runtime role
    item_id = an_item_with_history(world)  # items, numbers, history and documents too
    runtime = Runtime(database=database, settings=Settings("k" * 32, tmp_path, False),
                      store=PdfStore(tmp_path / "pdf"), dummy_hash="x")
    with Session(database.reader) as s:
        document_id = s.execute(select(Document.id).order_by(Document.id)).scalars().first()
    data = ensure_pdf(runtime, document_id)  # UPDATE (sha256) is granted
    with Session(database.reader) as s:
        assert s.get(Document, document_id).sha256 == hashlib.sha256(data).hexdigest()

    def denied(statement: str) -> None:
        with pytest.raises(exc.DBAPIError) as raised:
            with database.writer.begin() as c:
                c.execute(text(statement), {"i": item_id, "d": document_id})
        assert "permission denied" in str(raised.value) or "must be owner" in str(raised.value), raised.value

    denied("UPDATE item_event SET actor_name = '别人' WHERE item_id = :i")
    denied("DELETE FROM item_event WHERE item_id = :i")
    denied("TRUNCATE item_event CASCADE")
    denied("UPDATE document SET number = 'x' WHERE id = :d")
    denied("DELETE FROM document WHERE id = :d")
    denied("TRUNCATE document CASCADE")
    denied("ALTER TABLE item_event DISABLE TRIGGER ALL")
    denied("DROP TRIGGER item_event_no_change ON item_event")
    denied("UPDATE alembic_version SET version_num = '0001'")
    # the owner may hold the privileges, but the triggers still refuse it
    owner = open_database(owner_url)
    with pytest.raises(exc.DBAPIError, match="append-only"):
        with owner.writer.begin() as c:
            c.execute(text("UPDATE item_event SET actor_name = '别人' WHERE item_id = :i"), {"i": item_id})
    owner.dispose()
    database.dispose()
