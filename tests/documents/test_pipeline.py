"""Documents produced by the workflow: each event yields its document with the next number in its series, rendered
after the commit, stored by hash, re-rendered byte-identically when the file is missing, and verifiable."""

from __future__ import annotations

import hashlib
import subprocess

from sqlalchemy import select
from sqlmodel import Session

from db.models import Document
from documents.store import PdfStore
from tests.conftest import NOW, World, event_input, register_input
from tests.db.tamper import drop_append_only_triggers
from web.pdfs import ensure_pdf
from web.app_state import Runtime
from web.settings import Settings
from workflow import services
from workflow.clock import business_date
from workflow.table import EVENTS

TODAY = business_date(NOW)
# One path through the table that fires every event that produces a document.
PATHS = [
    ["order_rectification", "extend_rectification", "verify_rectification", "start_recheck", "pass_recheck"],
    ["file_case", "seize", "transfer_to_judiciary", "judiciary_returned", "close_case"],
    ["dismiss"],
]


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def runtime_for(world: World, tmp_path) -> Runtime:
    settings = Settings(secret_key="k" * 32, data_dir=tmp_path, secure_cookies=False)
    return Runtime(database=world.db, settings=settings, store=PdfStore(tmp_path / "pdf"), dummy_hash="x")


def test_every_event_yields_its_document_with_the_next_number_in_its_series(world: World, tmp_path):
    runtime = runtime_for(world, tmp_path)
    expected_serial: dict[str, int] = {}
    produced = set()
    for path in PATHS * 2:  # twice, so that every series reaches number 2
        outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
        fired = [("register", outcome.document_id)]
        state, version = "found", 1
        for event in path:
            data = {**event_input(event, state, TODAY), "version": version}
            result = services.fire_event(world.uow(), world.leader, outcome.item_id, event, data, NOW)
            fired.append((event, result.document_id))
            state, version = EVENTS[event].dest.value, version + 1
        for event, document_id in fired:
            kind = EVENTS[event].document
            if kind is None:
                assert document_id is None
                continue
            expected_serial[kind] = expected_serial.get(kind, 0) + 1
            with Session(world.db.reader) as s:
                document = s.get(Document, document_id)
            assert document.kind == kind and document.serial == expected_serial[kind]
            assert document.number.endswith(f"〔2023〕{expected_serial[kind]}号")
            if kind not in produced:  # render one of each kind: the number prints on the page
                produced.add(kind)
                text = pdf_text(ensure_pdf(runtime, document_id))
                assert document.number in text
                assert "上海宏达燃气器具有限公司" in text and "91310115591693856A" in text
    assert produced == {e.document for e in EVENTS.values() if e.document}


def test_a_missing_pdf_is_rendered_again_byte_identical_and_verify_agrees(world: World, tmp_path):
    runtime = runtime_for(world, tmp_path)
    outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
    first = ensure_pdf(runtime, outcome.document_id)
    with Session(world.db.reader) as s:
        sha = s.get(Document, outcome.document_id).sha256
    assert sha == hashlib.sha256(first).hexdigest()
    runtime.store.path(sha).unlink()
    again = ensure_pdf(runtime, outcome.document_id)
    assert again == first and runtime.store.exists(sha)


def test_documents_verify_reports_a_tampered_hash(tmp_path, cli):
    env = {"HAZARDTRACK_DATA_DIR": str(tmp_path), "HAZARDTRACK_DATABASE_URL": None}
    assert cli("init", env=env).returncode == 0
    from db.engine import open_database
    from tests.conftest import World as _World

    database = open_database(f"sqlite:///{tmp_path / 'hazardtrack.sqlite3'}")
    world = _World(database)
    outcome = services.register_item(world.uow(), world.handler, register_input(), NOW)
    runtime = Runtime(database=database, settings=Settings("k" * 32, tmp_path, False), store=PdfStore(tmp_path / "pdf"),
                      dummy_hash="x")
    ensure_pdf(runtime, outcome.document_id)
    ok = cli("documents", "verify", env=env)
    assert ok.returncode == 0 and "共发现问题 0 处" in ok.stdout
    drop_append_only_triggers(database)  # the database refuses the rewrite otherwise (tests/db/test_append_only.py)
    with Session(database.writer) as s:
        document = s.execute(select(Document)).scalars().one()
        document.snapshot = {**document.snapshot, "number": "篡改〔2023〕99号"}  # the record no longer matches its PDF
        s.add(document)
        s.commit()
    bad = cli("documents", "verify", env=env)
    assert bad.returncode == 1 and "文书快照与其哈希不符" in bad.stderr
    database.dispose()
