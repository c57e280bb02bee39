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
    unit_ids = dict(session.execute(select(Unit.code, Unit.id)).all())
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


# -- single records (registry pages and API) ---------------------------------------------------------------

from workflow.actor import Actor  # noqa: E402
from workflow.enterprise_rows import ENTERPRISE_KINDS  # noqa: E402
from workflow.errors import Forbidden, InputInvalid, NotFound  # noqa: E402
from workflow.fields import FieldSpec, clean  # noqa: E402
from workflow.uscc import validate_uscc  # noqa: E402

ENTERPRISE_FIELDS = (
    FieldSpec("uscc", "统一社会信用代码", max_length=40),
    FieldSpec("name", "企业名称", max_length=200),
    FieldSpec("address", "住所", required=False, max_length=500),
    FieldSpec("legal_rep", "法定代表人（负责人）", required=False, max_length=100),
    FieldSpec("phone", "联系电话", required=False, max_length=30),
    FieldSpec("kind", "企业类型", kind="choice", choices=tuple(ENTERPRISE_KINDS)),
)


def _clean_enterprise(raw) -> dict:
    values = clean(ENTERPRISE_FIELDS, raw)
    try:
        values["uscc"] = validate_uscc(values["uscc"])
    except ValueError as exc:
        raise InputInvalid({"uscc": str(exc)}) from None
    phone = values.get("phone") or ""
    if phone and not all(c.isdigit() or c in "-+ " for c in phone):
        raise InputInvalid({"phone": "联系电话只能包含数字、空格和 + -"})
    return {k: (v or "") for k, v in values.items()}


def create_enterprise(session: Session, actor: Actor, raw) -> Enterprise:
    """A handler or leader adds an enterprise to their own unit's registry (flushes; the caller commits)."""
    if actor.unit_id is None:
        raise Forbidden("只有区局等执法单位的人员可以登记企业")
    values = _clean_enterprise(raw)
    if session.execute(select(Enterprise.id).where(Enterprise.uscc == values["uscc"])).first():
        raise InputInvalid({"uscc": f"{values['uscc']} 已在企业库中"})
    enterprise = Enterprise(**values, unit_id=actor.unit_id)
    session.add(enterprise)
    session.flush()
    return enterprise


def update_enterprise(session: Session, actor: Actor, enterprise_id: int, raw) -> Enterprise:
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None or not actor.can_see_unit(enterprise.unit_id):
        raise NotFound("企业不存在或无权查看")
    if actor.unit_id != enterprise.unit_id:
        raise Forbidden("只能修改本单位的企业")
    values = _clean_enterprise(raw)
    if values["uscc"] != enterprise.uscc and session.execute(
            select(Enterprise.id).where(Enterprise.uscc == values["uscc"])).first():
        raise InputInvalid({"uscc": f"{values['uscc']} 已在企业库中"})
    for key, value in values.items():
        setattr(enterprise, key, value)
    enterprise.updated_at = utcnow()
    session.add(enterprise)
    session.flush()
    return enterprise
