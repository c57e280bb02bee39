"""`hazardtrack documents verify`: every check of the record in one pass (the CLI only prints the report).

- the hash chain of every item's history (db/integrity.py, workflow/chain.py);
- every document's snapshot against the hash stored at its creation (db/integrity.py);
- every stored PDF: missing or altered (documents/verify.py), and its snapshot rendered again to the same bytes;
- a document never rendered is rendered, stored and its hash recorded (the record_rendered use case).
Renders run in parallel worker processes (documents/verify.py).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session

from db.engine import Database
from db.integrity import FAULT_KINDS, Fault, chain_faults_of_all_items, documents_to_check, subject
from db.uow import SqlUnitOfWork
from documents.store import PdfStore
from documents.verify import file_fault, render_all
from workflow.services import record_rendered


@dataclass
class Report:
    items: int = 0
    events: int = 0
    documents: int = 0
    rendered: int = 0  # never rendered before: rendered and recorded now
    faults: list[Fault] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults

    def summary(self) -> list[str]:
        counts = Counter(fault.kind for fault in self.faults)
        lines = [f"已核验 {self.items} 件隐患的 {self.events} 条历史记录、{self.documents} 份文书；"
                 f"补生成尚未生成的文书 {self.rendered} 份。"]
        lines += [f"{label}：{counts.get(kind, 0)} 处" for kind, label in FAULT_KINDS.items()]
        lines.append(f"共发现问题 {len(self.faults)} 处。")
        return lines


def verify_record(database: Database, store: PdfStore, *, workers: int | None = None) -> Report:
    report = Report()
    with Session(database.reader) as session:
        report.items, report.events, report.faults = chain_faults_of_all_items(session)
        documents = {}
        for document, fault in documents_to_check(session):
            report.documents += 1
            if fault is not None:
                report.faults.append(fault)  # not rendered nor recorded: its snapshot is not the one it was
                continue
            documents[document.id] = document
            if document.sha256 is not None:
                problem = file_fault(store, document.sha256)
                if problem is not None:
                    report.faults.append(Fault(problem[0], subject(document), problem[1]))
    for document_id, data, error in render_all(((d.id, d.snapshot) for d in documents.values()), workers):
        document = documents[document_id]
        if data is None:
            report.faults.append(Fault("render_failed", subject(document), error or ""))
            continue
        actual = hashlib.sha256(data).hexdigest()
        if document.sha256 is None:
            record_rendered(SqlUnitOfWork(database), document.id, store.put(data))
            report.rendered += 1
        elif actual != document.sha256:
            report.faults.append(Fault("render_mismatch", subject(document),
                                       f"按快照重新生成得 {actual[:12]}，记录的是 {document.sha256[:12]}"))
    report.faults.sort(key=lambda fault: list(FAULT_KINDS).index(fault.kind))  # stable: by item, by document
    return report
