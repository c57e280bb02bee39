"""Look inside PDFs with poppler-utils (pdftotext, pdffonts, pdfinfo), and fail on WeasyPrint warnings."""

from __future__ import annotations

import contextlib
import logging
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")

# The faces a document may embed: Noto Serif CJK SC (宋/仿宋/小标宋 stand-in, regular and bold),
# Noto Sans CJK SC (黑体 stand-in) and LXGW WenKai (楷体 stand-in). A subset prefix "ABCDEF+" comes first.
INTENDED_FACES = re.compile(r"^(?:[A-Z]{6}\+)?(Noto-Serif-CJK-SC(-Bold)?|Noto-Sans-CJK-SC(-Bold)?|LXGWWenKai-\w+)$")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def fail_on_weasyprint_warnings() -> Iterator[None]:
    """Like WeasyPrint's own test suite: any warning of the `weasyprint` logger fails the test."""
    logger = logging.getLogger("weasyprint")
    handler = _Records()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.records:
        pytest.fail("WeasyPrint warned:\n" + "\n".join(r.getMessage() for r in handler.records))


def strict(fn: Callable[..., T], *args, **kwargs) -> T:
    with fail_on_weasyprint_warnings():
        return fn(*args, **kwargs)


def _run(tool: list[str], pdf: bytes, *after: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run([*tool, str(path), *after], check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: bytes) -> list[str]:
    """pdftotext of each page (default reading order), in page order."""
    pages = _run(["pdftotext", "-enc", "UTF-8"], pdf, "-").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def pdf_layout_text(pdf: bytes) -> str:
    """pdftotext -layout: the physical layout, so a name and the date beside it share a line."""
    return _run(["pdftotext", "-layout", "-enc", "UTF-8"], pdf, "-")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def squeeze(text: str) -> str:
    """Text without any whitespace: a phrase that pdftotext wrapped across lines still matches."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(pdf: bytes) -> list[dict]:
    out = _run(["pdffonts"], pdf)
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni objectID gen; the type may hold spaces, so read from the right
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def pdf_info(pdf: bytes, *extra: str) -> str:
    return _run(["pdfinfo", "-isodates", *extra], pdf)


def page_count(pdf: bytes) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", pdf_info(pdf), re.MULTILINE)
    assert match
    return int(match.group(1))
