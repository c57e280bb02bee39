"""The file side of `hazardtrack documents verify`: is each stored PDF there and unaltered, and does the snapshot
still render to the recorded bytes. Renders run in parallel in worker processes (each with its own WeasyPrint
FontConfiguration, documents/pdf.py: Pango is not shared across threads)."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from typing import Any, Iterable, Iterator

from documents.store import PdfStore


def file_fault(store: PdfStore, sha256: str) -> tuple[str, str] | None:
    """(kind, detail) when the stored file of a rendered document is missing or its bytes are not its name's."""
    path = store.path(sha256)
    data = store.get(sha256)
    if data is None:
        return "missing_file", f"{path} 不存在"
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        return "altered_file", f"{path} 的内容哈希为 {actual[:12]}，应为 {sha256[:12]}"
    return None


def render(snapshot: dict[str, Any]) -> tuple[bytes | None, str | None]:
    """(PDF bytes, None) or (None, the error): runs in a worker process."""
    from documents.render import render_pdf

    try:
        return render_pdf(snapshot), None
    except Exception as exc:  # noqa: BLE001 — one bad document must not stop the others being checked
        return None, f"{type(exc).__name__}: {exc}"


class _InProcess(Executor):
    """One worker: render here, no process to start."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        from concurrent.futures import Future

        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def render_all(jobs: Iterable[tuple[int, dict[str, Any]]], workers: int | None = None
               ) -> Iterator[tuple[int, bytes | None, str | None]]:
    """(key, PDF bytes or None, error or None) for each (key, snapshot), in the order they finish."""
    jobs = list(jobs)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    executor: Executor = (_InProcess() if workers == 1 else
                          ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")))
    with executor:
        futures = {executor.submit(render, snapshot): key for key, snapshot in jobs}
        for future in as_completed(futures):
            data, error = future.result()
            yield futures[future], data, error
