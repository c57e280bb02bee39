"""The database side of `hazardtrack documents verify`: the hash chain of every item's history and every document's
snapshot against the hash stored at its creation (the rules: workflow/chain.py, workflow/snapshot.snapshot_sha256).
The files and the renders are checked by documents/verify.py; web/integrity.py runs both."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any, Iterator

from sqlalchemy import select
from sqlmodel import Session

from db.models import Document, HazardItem, ItemEvent
from workflow.chain import chain_faults
from workflow.snapshot import snapshot_sha256


@dataclass(frozen=True)
class Fault:
    kind: str  # one of FAULT_KINDS
    subject: str  # what it is about, e.g. 隐患 12 第 3 条, 文书 7 沪市监浦隐登〔2023〕1号
    detail: str

    def __str__(self) -> str:
        return f"{FAULT_KINDS[self.kind]}：{self.subject}：{self.detail}"


FAULT_KINDS = {
    "chain": "历史记录链断裂",
    "snapshot": "文书快照与其哈希不符",
    "missing_file": "PDF 文件缺失",
    "altered_file": "PDF 文件被改动",
    "render_mismatch": "重新生成的 PDF 与记录的 sha256 不符",
    "render_failed": "PDF 生成失败",
}


@dataclass(frozen=True)
class DocumentToCheck:
    id: int
    number: str
    snapshot: dict[str, Any]
    sha256: str | None


def chain_faults_of_all_items(session: Session) -> tuple[int, int, list[Fault]]:
    """(items checked, history rows checked, faults) over the whole history, one item at a time in seq order."""
    versions = dict(session.execute(select(HazardItem.id, HazardItem.version)).all())
    rows = session.execute(select(ItemEvent).order_by(ItemEvent.item_id, ItemEvent.seq, ItemEvent.id)).scalars()
    faults: list[Fault] = []
    items = events = 0
    seen: set[int] = set()
    for item_id, group in groupby(rows, key=lambda row: row.item_id):
        history = list(group)
        items, events = items + 1, events + len(history)
        seen.add(item_id)
        faults += [Fault("chain", f"隐患 {item_id} 第 {seq} 条", what)
                   for seq, what in chain_faults(history, versions.get(item_id))]
    for item_id in sorted(set(versions) - seen):  # an item whose whole history was removed
        items += 1
        faults += [Fault("chain", f"隐患 {item_id} 第 {seq} 条", what) for seq, what in chain_faults([], versions[item_id])]
    return items, events, faults


def documents_to_check(session: Session) -> Iterator[tuple[DocumentToCheck, Fault | None]]:
    """Every document with the snapshot fault it has, if any (its snapshot no longer gives its stored hash)."""
    for document in session.execute(select(Document).order_by(Document.id)).scalars():
        row = DocumentToCheck(document.id, document.number, document.snapshot, document.sha256)
        actual = snapshot_sha256(document.snapshot)
        fault = None
        if actual != document.snapshot_sha256:
            fault = Fault("snapshot", subject(row),
                          f"快照的哈希为 {actual[:12]}，创建时记录的是 {document.snapshot_sha256[:12]}（快照被改写）")
        yield row, fault


def subject(document: DocumentToCheck) -> str:
    return f"文书 {document.id} {document.number}"
