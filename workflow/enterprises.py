"""Use cases: the enterprise registry — add and change one enterprise, import a file (all or nothing).

Each runs in one unit of work and commits there. The fields and their rules are workflow.enterprise_fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from workflow.actor import Actor
from workflow.audit import audit
from workflow.enterprise_fields import clean_enterprise
from workflow.enterprise_rows import COL_UNIT, RowError, RowErrors, read_rows, validate_rows
from workflow.errors import Forbidden, InputInvalid, NotFound
from workflow.ports import EnterpriseRecord, UnitOfWork


def create_enterprise(uow: UnitOfWork, actor: Actor, raw: Mapping[str, Any], now: dt.datetime) -> EnterpriseRecord:
    """A handler or leader adds an enterprise to their own unit's registry."""
    if actor.unit_id is None:
        raise Forbidden("只有区局等执法单位的人员可以登记企业")
    values = clean_enterprise(raw)
    with uow:
        if uow.enterprises.by_uscc(values["uscc"]) is not None:
            raise InputInvalid({"uscc": f"{values['uscc']} 已在企业库中"})
        enterprise = uow.enterprises.add(**values, unit_id=actor.unit_id, created_at=now, updated_at=now)
        uow.commit()
        return enterprise


def update_enterprise(uow: UnitOfWork, actor: Actor, enterprise_id: int, raw: Mapping[str, Any],
                      now: dt.datetime) -> EnterpriseRecord:
    """Change an enterprise of the actor's own unit; fields absent from `raw` keep their values."""
    with uow:
        enterprise = uow.enterprises.get(enterprise_id, for_update=True)
        if enterprise is None or not actor.can_see_unit(enterprise.unit_id):
            raise NotFound("企业不存在或无权查看")
        if actor.unit_id != enterprise.unit_id:
            raise Forbidden("只能修改本单位的企业")
        current = {name: getattr(enterprise, name) for name in ("uscc", "name", "address", "legal_rep", "phone", "kind")}
        values = clean_enterprise({**current, **{k: v for k, v in raw.items() if k in current}})
        if values["uscc"] != enterprise.uscc and uow.enterprises.by_uscc(values["uscc"]) is not None:
            raise InputInvalid({"uscc": f"{values['uscc']} 已在企业库中"})
        for key, value in values.items():
            setattr(enterprise, key, value)
        enterprise.updated_at = now
        uow.commit()
        return enterprise


USCC_BATCH = 1_000  # USCCs per "already in the registry?" query (20,000 rows stay within any database's limit)


@dataclass(frozen=True)
class ImportResult:
    imported: int
    errors: list[RowError]  # at most enterprise_rows.MAX_LISTED_ERRORS, the first by row
    error_total: int | None = None  # every error found (None: len(errors))

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_errors(self) -> int:
        return len(self.errors) if self.error_total is None else self.error_total

    @property
    def unlisted(self) -> int:
        return self.total_errors - len(self.errors)


def import_enterprises(uow: UnitOfWork, filename: str, data: bytes, now: dt.datetime,
                       actor: Actor | None = None) -> ImportResult:
    """Validate every row first; store all rows, or none. A USCC already in the registry is an error of its row
    (an import never silently overwrites a record). `actor` None is the administrator's CLI; a unit's staff may
    import their own unit's enterprises only.

    The file is read within the bounds of workflow.enterprise_rows (size, zip archive, rows, columns); at most
    MAX_LISTED_ERRORS errors are returned, the first by row, with the count of all of them (`error_total`)."""
    try:
        rows = read_rows(filename, data)
    except ValueError as exc:
        return ImportResult(0, [RowError(0, "文件", str(exc))])
    with uow:
        own = uow.units.get(actor.unit_id) if actor is not None and actor.unit_id is not None else None
        if actor is not None and own is None:
            raise Forbidden("只有区局等执法单位的人员可以导入本单位的企业")

        units: dict[str, Any] = {}  # a file names a handful of units in up to 20,000 rows: one query each

        def find_unit(key: str):
            if key not in units:
                units[key] = uow.units.find(key)
            return units[key]

        def unit_lookup(key: str) -> str | None:
            unit = find_unit(key)
            return unit.code if unit else None

        valid, errors = validate_rows(rows, unit_lookup)
        row_of = {r.get("统一社会信用代码", "").strip().upper(): i + 2 for i, r in enumerate(rows)}
        known: set[str] = set()
        for start in range(0, len(valid), USCC_BATCH):
            known |= uow.enterprises.known_usccs(r.uscc for r in valid[start:start + USCC_BATCH])
        registered = RowErrors(RowError(row_of.get(row.uscc, 0), "统一社会信用代码", f"{row.uscc} 已在企业库中")
                               for row in valid if row.uscc in known)
        elsewhere = RowErrors()
        if own is not None:
            for index, raw in enumerate(rows):
                key = (raw.get(COL_UNIT) or "").strip()
                unit = find_unit(key) if key else None
                if unit is not None and unit.id != own.id:
                    elsewhere.add(RowError(index + 2, COL_UNIT, f"只能导入本单位（{own.label}）的企业"))
        errors = errors.merged(registered, elsewhere)
        if errors or not valid:
            errors = errors or RowErrors([RowError(0, "文件", "文件中没有企业数据")])
            return ImportResult(0, list(errors), errors.total)
        unit_ids = {u.code: u.id for u in uow.units.all()}
        count = uow.enterprises.add_many([
            dict(uscc=r.uscc, name=r.name, address=r.address, legal_rep=r.legal_rep, phone=r.phone,
                 unit_id=unit_ids[r.unit_code], kind=r.kind, created_at=now, updated_at=now)
            for r in valid
        ])
        uow.commit()
    audit("enterprises_imported", count=count, filename=filename[:100],
          user_id=actor.user_id if actor else None, unit_id=own.id if own else None)
    return ImportResult(count, [])
