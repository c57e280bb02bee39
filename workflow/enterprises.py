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
from workflow.enterprise_rows import COL_UNIT, RowError, read_rows, validate_rows
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


@dataclass(frozen=True)
class ImportResult:
    imported: int
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def import_enterprises(uow: UnitOfWork, filename: str, data: bytes, now: dt.datetime,
                       actor: Actor | None = None) -> ImportResult:
    """Validate every row first; store all rows, or none. A USCC already in the registry is an error of its row
    (an import never silently overwrites a record). `actor` None is the administrator's CLI; a unit's staff may
    import their own unit's enterprises only."""
    try:
        rows = read_rows(filename, data)
    except ValueError as exc:
        return ImportResult(0, [RowError(0, "文件", str(exc))])
    with uow:
        own = uow.units.get(actor.unit_id) if actor is not None and actor.unit_id is not None else None
        if actor is not None and own is None:
            raise Forbidden("只有区局等执法单位的人员可以导入本单位的企业")

        def unit_lookup(key: str) -> str | None:
            unit = uow.units.find(key)
            return unit.code if unit else None

        valid, errors = validate_rows(rows, unit_lookup)
        row_of = {r.get("统一社会信用代码", "").strip().upper(): i + 2 for i, r in enumerate(rows)}
        known = uow.enterprises.known_usccs(r.uscc for r in valid)
        for row in valid:
            if row.uscc in known:
                errors.append(RowError(row_of.get(row.uscc, 0), "统一社会信用代码", f"{row.uscc} 已在企业库中"))
        if own is not None:
            for index, raw in enumerate(rows):
                key = (raw.get(COL_UNIT) or "").strip()
                unit = uow.units.find(key) if key else None
                if unit is not None and unit.id != own.id:
                    errors.append(RowError(index + 2, COL_UNIT, f"只能导入本单位（{own.label}）的企业"))
        if errors or not valid:
            return ImportResult(0, sorted(errors or [RowError(0, "文件", "文件中没有企业数据")],
                                          key=lambda e: (e.row, e.column)))
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
