"""Enterprise registry writes: the all-or-nothing import and single-record create/update."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlmodel import Session

from db.accounts import find_unit
from db.models import Enterprise, Unit, utcnow
from workflow.enterprise_rows import RowError, read_rows, validate_rows


@dataclass
class ImportResult:
    imported: int
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def import_enterprises(session: Session, filename: str, data: bytes) -> ImportResult:
    """Validate every row first; insert all rows in one statement, or none. Flushes, does not commit.

    A USCC already in the registry is an error of its row (an import never silently overwrites a record).
    """
    try:
        rows = read_rows(filename, data)
    except ValueError as exc:
        return ImportResult(0, [RowError(0, "文件", str(exc))])

    def unit_lookup(key: str) -> str | None:
        unit = find_unit(session, key)
        return unit.code if unit else None

    valid, errors = validate_rows(rows, unit_lookup)
    if valid:
        known = set(session.execute(select(Enterprise.uscc).where(Enterprise.uscc.in_([r.uscc for r in valid]))).scalars())
        # Spreadsheet row of each code: rows[i] is row i + 2 (the header is row 1).
        row_of = {r.get("统一社会信用代码", "").strip().upper(): i + 2 for i, r in enumerate(rows)}
        for row in valid:
            if row.uscc in known:
                errors.append(RowError(row_of.get(row.uscc, 0), "统一社会信用代码", f"{row.uscc} 已在企业库中"))
    if errors or not valid:
        if not errors:
            errors = [RowError(0, "文件", "文件中没有企业数据")]
        return ImportResult(0, sorted(errors, key=lambda e: (e.row, e.column)))
    unit_ids = dict(session.execute(select(Unit.code, Unit.id)).tuples())
    now = utcnow()
    session.execute(
        insert(Enterprise),
        [
            dict(uscc=r.uscc, name=r.name, address=r.address, legal_rep=r.legal_rep, phone=r.phone,
                 unit_id=unit_ids[r.unit_code], kind=r.kind, created_at=now, updated_at=now)
            for r in valid
        ],
    )
    return ImportResult(len(valid), [])
