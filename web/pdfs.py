"""Rendering after the commit: a document's PDF is a pure function of its frozen snapshot.

Rendering never runs inside the transition's transaction (no write lock is held for the ~0.25 s it takes);
a document whose render failed or whose file is missing is rendered again on first request.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from db.models import Document
from db.uow import SqlUnitOfWork
from documents.render import render_pdf
from web.app_state import Runtime
from workflow.services import record_rendered

log = logging.getLogger("hazardtrack.documents")


def ensure_pdf(runtime: Runtime, document_id: int) -> bytes:
    """The document's PDF bytes, rendering and storing them when needed."""
    with Session(runtime.database.reader) as session:
        document = session.get(Document, document_id)
        snapshot, sha = document.snapshot, document.sha256
    if sha:
        data = runtime.store.get(sha)
        if data is not None:
            return data
    data = render_pdf(snapshot)
    stored = runtime.store.put(data)
    if sha and sha != stored:
        log.error("document %s re-rendered with a different hash (%s, stored %s)", document_id, stored, sha)
    if not sha:
        record_rendered(SqlUnitOfWork(runtime.database), document_id, stored)
    return data


def render_quietly(runtime: Runtime, document_id: int | None) -> None:
    """Render right after a transition; a failure is logged and retried on first request."""
    if document_id is None:
        return
    try:
        ensure_pdf(runtime, document_id)
    except Exception:  # noqa: BLE001 — the transition is committed; the PDF can be produced later
        log.exception("rendering document %s failed; it will render on first request", document_id)
