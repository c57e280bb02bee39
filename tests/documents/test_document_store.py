"""The content-addressed PDF store."""

from __future__ import annotations

import hashlib
import threading

import pytest

from documents.store import PdfStore

PDF = b"%PDF-1.7\n% a tiny stand-in for a document\n%%EOF\n"


def test_put_returns_the_sha256_and_files_it_under_its_first_two_hex_digits(tmp_path):
    store = PdfStore(tmp_path)
    sha = store.put(PDF)
    assert sha == hashlib.sha256(PDF).hexdigest()
    assert store.path(sha) == tmp_path / sha[:2] / f"{sha[2:]}.pdf"
    assert store.path(sha).read_bytes() == PDF
    assert store.exists(sha)
    assert store.get(sha) == PDF


def test_putting_the_same_bytes_twice_keeps_one_file(tmp_path):
    store = PdfStore(tmp_path)
    assert store.put(PDF) == store.put(PDF)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 1


def test_an_unknown_digest_is_absent(tmp_path):
    store = PdfStore(tmp_path)
    sha = hashlib.sha256(b"never stored").hexdigest()
    assert store.get(sha) is None
    assert not store.exists(sha)


def test_no_temporary_file_is_left_behind(tmp_path):
    store = PdfStore(tmp_path)
    for n in range(5):
        store.put(PDF + bytes([n]))
    assert not [p for p in tmp_path.rglob(".tmp-*")]
    assert len([p for p in tmp_path.rglob("*.pdf")]) == 5


def test_concurrent_writers_of_the_same_bytes_leave_one_whole_file(tmp_path):
    store = PdfStore(tmp_path)
    data = PDF * 20_000
    shas: list[str] = []
    threads = [threading.Thread(target=lambda: shas.append(store.put(data))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(shas)) == 1
    assert store.get(shas[0]) == data
    assert not [p for p in tmp_path.rglob(".tmp-*")]


@pytest.mark.parametrize("bad", ["", "abc", "../" + "0" * 61, "A" * 64, "g" * 64, "0" * 63 + "/"])
def test_a_digest_that_is_not_lowercase_sha256_hex_is_refused(tmp_path, bad):
    store = PdfStore(tmp_path)
    with pytest.raises(ValueError):
        store.path(bad)
    with pytest.raises(ValueError):
        store.get(bad)
