"""`hazardtrack documents verify` sees every way the record can be rewritten behind the application's back (with the
append-only triggers dropped, as the database owner could): a rewritten, deleted or reordered history row (named by
item and seq), a rewritten snapshot with its PDF hash cleared, a missing or altered PDF file; it renders and records
what was never rendered, in worker processes, and exits non-zero on any fault."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlmodel import Session

from db.models import Document, ItemEvent
from documents.store import PdfStore
from tests.conftest import NOW, World, event_input, register_input
from tests.db.tamper import drop_append_only_triggers, rewrite
from web.app_state import Runtime
from web.integrity import verify_record
from web.pdfs import ensure_pdf
from web.settings import Settings
from workflow import services
from workflow.clock import business_date

TODAY = business_date(NOW)


def item_with_history(world: World, events: int = 2) -> int:
    outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
    steps = [("order_rectification", "rectifying"), ("extend_rectification", "rectifying"),
             ("verify_rectification", "rectified")][:events]
    state, version = "found", 1
    for event, dest in steps:
        data = {**event_input(event, state, TODAY), "version": version}
        services.fire_event(world.uow(), world.leader, outcome.item_id, event, data, NOW)
        state, version = dest, version + 1
    return outcome.item_id


def render_everything(world: World, store: PdfStore, tmp_path) -> list[Document]:
    runtime = Runtime(database=world.db, settings=Settings("k" * 32, tmp_path, False), store=store, dummy_hash="x")
    with Session(world.db.reader) as s:
        ids = list(s.execute(select(Document.id).order_by(Document.id)).scalars())
    for document_id in ids:
        ensure_pdf(runtime, document_id)
    with Session(world.db.reader) as s:
        return list(s.execute(select(Document).order_by(Document.id)).scalars())


def faults(report, kind: str) -> list[str]:
    return [str(f) for f in report.faults if f.kind == kind]


@pytest.fixture
def store(tmp_path) -> PdfStore:
    return PdfStore(tmp_path / "pdf")


def test_a_clean_record_verifies_clean(any_world: World, store, tmp_path):
    item_with_history(any_world)
    render_everything(any_world, store, tmp_path)
    report = verify_record(any_world.db, store, workers=1)
    assert report.ok, report.faults
    assert (report.items, report.events, report.documents, report.rendered) == (1, 3, 3, 0)


@pytest.mark.parametrize("tamper, seq, words", [
    ("UPDATE item_event SET actor_name = '别人' WHERE item_id = :i AND seq = 2", 2, "被改写"),
    ("UPDATE item_event SET input = '{}' WHERE item_id = :i AND seq = 3", 3, "被改写"),
    ("DELETE FROM item_event WHERE item_id = :i AND seq = 2", 3, "序号应为 2"),
    ("DELETE FROM item_event WHERE item_id = :i AND seq = 3", 3, "末尾的记录被删除"),
    ("UPDATE item_event SET seq = 5 - seq WHERE item_id = :i AND seq IN (2, 3)", 2, "被改写"),
])
def test_a_rewritten_deleted_or_reordered_history_row_is_named(any_world: World, store, tmp_path, tamper, seq, words):
    item_id = item_with_history(any_world)
    other = item_with_history(any_world, events=0)  # untouched: not reported
    if "seq = 5 - seq" in tamper:  # a swap through a free number: the (item, seq) key is unique
        rewrite(any_world.db, "UPDATE item_event SET seq = 99 WHERE item_id = :i AND seq = 2", i=item_id)
        rewrite(any_world.db, "UPDATE item_event SET seq = 2 WHERE item_id = :i AND seq = 3", i=item_id)
        rewrite(any_world.db, "UPDATE item_event SET seq = 3 WHERE item_id = :i AND seq = 99", i=item_id)
    else:
        rewrite(any_world.db, tamper, i=item_id)
    report = verify_record(any_world.db, store, workers=1)
    chain = faults(report, "chain")
    assert any(f"隐患 {item_id} 第 {seq} 条" in line and words in line for line in chain), chain
    assert not any(f"隐患 {other} " in line for line in chain)
    assert not report.ok and report.faults == [f for f in report.faults if f.kind == "chain"]


def test_a_rewritten_snapshot_with_its_hash_cleared_is_reported_and_not_rendered(any_world: World, store, tmp_path):
    item_with_history(any_world)
    documents = render_everything(any_world, store, tmp_path)
    target = documents[1]
    drop_append_only_triggers(any_world.db)
    with Session(any_world.db.writer) as s:  # a new number, and no PDF hash to betray it
        document = s.get(Document, target.id)
        document.snapshot = {**document.snapshot, "number": "篡改〔2023〕99号"}
        document.sha256 = None
        s.add(document)
        s.commit()
    report = verify_record(any_world.db, store, workers=1)
    assert [str(f) for f in report.faults] == faults(report, "snapshot")
    assert len(report.faults) == 1 and f"文书 {target.id} {target.number}" in str(report.faults[0])
    assert report.rendered == 0
    with Session(any_world.db.reader) as s:
        assert s.get(Document, target.id).sha256 is None  # the rewritten snapshot was not given a PDF hash


def test_a_missing_and_an_altered_pdf_file_are_named(world: World, store, tmp_path):
    item_with_history(world)
    documents = render_everything(world, store, tmp_path)
    missing, altered = documents[0], documents[2]
    store.path(missing.sha256).unlink()
    path = store.path(altered.sha256)
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOF\n% appended"))
    report = verify_record(world.db, store, workers=1)
    assert faults(report, "missing_file") == [
        f"PDF 文件缺失：文书 {missing.id} {missing.number}：{store.path(missing.sha256)} 不存在"]
    [line] = faults(report, "altered_file")
    assert f"文书 {altered.id} {altered.number}" in line and str(path) in line
    assert len(report.faults) == 2


def test_never_rendered_documents_are_rendered_in_worker_processes_and_recorded(world: World, store):
    item_with_history(world)
    report = verify_record(world.db, store, workers=2)
    assert report.ok and report.rendered == 3
    with Session(world.db.reader) as s:
        documents = list(s.execute(select(Document)).scalars())
    for document in documents:
        assert document.sha256 and hashlib.sha256(store.get(document.sha256)).hexdigest() == document.sha256
    again = verify_record(world.db, store, workers=1)  # rendered again here: the same bytes as in the workers
    assert again.ok and again.rendered == 0


def test_verify_exit_status_and_summary(tmp_path, cli):
    env = {"HAZARDTRACK_DATA_DIR": str(tmp_path), "HAZARDTRACK_DATABASE_URL": None}
    assert cli("init", env=env).returncode == 0
    from db.engine import open_database

    database = open_database(f"sqlite:///{tmp_path / 'hazardtrack.sqlite3'}")
    world = World(database)
    item_id = item_with_history(world)
    ok = cli("documents", "verify", "--workers", "1", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "补生成尚未生成的文书 3 份" in ok.stdout and "共发现问题 0 处" in ok.stdout and ok.stderr == ""
    store = PdfStore(tmp_path / "pdf")
    with Session(database.reader) as s:
        first = s.execute(select(Document).order_by(Document.id)).scalars().first()
    store.path(first.sha256).unlink()
    rewrite(database, "UPDATE item_event SET actor_name = '别人' WHERE item_id = :i AND seq = 1", i=item_id)
    bad = cli("documents", "verify", "--workers", "1", env=env)
    assert bad.returncode == 1
    assert f"历史记录链断裂：隐患 {item_id} 第 1 条" in bad.stderr and f"PDF 文件缺失：文书 {first.id}" in bad.stderr
    assert "历史记录链断裂：1 处" in bad.stdout and "PDF 文件缺失：1 处" in bad.stdout
    assert "共发现问题 2 处" in bad.stdout
    database.dispose()
