"""The hash chain of an item's history: each history row carries the hash of its predecessor.

A row's hash is the sha256 of the canonical JSON (workflow.snapshot.canonical_json) of its content — every column
but its database id and its own hash — together with `prev_hash`, the hash of the item's previous row (None for
the first). Rewriting, deleting or reordering a row breaks the chain from there on; `hazardtrack documents verify`
recomputes it (db/integrity.py).

`at` enters as the instant in UTC without an offset (SQLite gives back naive datetimes, PostgreSQL aware ones): the
use case stores it in UTC, so both databases give back the same text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Mapping, Sequence

from workflow.snapshot import canonical_json

CONTENT = ("item_id", "seq", "event", "from_state", "to_state", "actor_id", "actor_name", "on_date", "at", "input",
           "document_id")


def _utc_text(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.isoformat(sep=" ", timespec="microseconds")


def _jsonable(name: str, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _utc_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def event_hash(row: Mapping[str, Any] | Any, prev_hash: str | None) -> str:
    """The hash of one history row (a mapping or an object with the CONTENT attributes) after `prev_hash`."""
    get = row.get if isinstance(row, Mapping) else (lambda name: getattr(row, name))
    content = {name: _jsonable(name, get(name)) for name in CONTENT}
    content["prev_hash"] = prev_hash
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def in_utc(moment: dt.datetime) -> dt.datetime:
    """The aware UTC datetime a history row stores (so that its text is the same on every database)."""
    return moment.astimezone(dt.timezone.utc) if moment.tzinfo is not None else moment


def chain_faults(rows: Sequence[Any], version: int | None = None) -> list[tuple[int, str]]:
    """What is wrong with one item's history (its rows in seq order): (seq, what) for each fault.

    A rewritten row no longer matches its hash; a deleted, inserted or reordered row leaves a gap in seq or a
    prev_hash that is not its predecessor's hash; a deleted last row leaves fewer rows than the item's version (each
    event, registration included, adds one row and one version)."""
    faults: list[tuple[int, str]] = []
    previous: str | None = None
    for position, row in enumerate(rows, start=1):
        if row.seq != position:
            faults.append((row.seq, f"序号应为 {position}（此前的记录被删除、插入或调换了顺序）"))
        if row.prev_hash != previous:
            faults.append((row.seq, "prev_hash 与上一条记录的哈希不符（上一条被删除、改写或调换）"))
        if row.hash != event_hash(row, row.prev_hash):
            faults.append((row.seq, "内容与其哈希不符（记录被改写）"))
        previous = row.hash
    if version is not None and version != len(rows):
        last = rows[-1].seq if rows else 0
        faults.append((last + 1, f"隐患版本为 {version}，历史却有 {len(rows)} 条（末尾的记录被删除）"))
    return faults
