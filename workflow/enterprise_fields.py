"""The enterprise's fields, defined once: the table's column sizes (db.models.Enterprise), the registry form and the
API (`FORM_FIELDS`, `clean_enterprise`) and the import file's columns (workflow.enterprise_rows) all read them.

A 法定代表人 of 51–100 characters once saved through the form but not on PostgreSQL, and the form took a phone number
the import refused: each rule below now exists once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from workflow.errors import InputInvalid
from workflow.fields import FieldSpec, clean
from workflow.uscc import validate_uscc

ENTERPRISE_KINDS: tuple[str, ...] = ("生产", "销售", "生产和销售")

_PHONE = re.compile(r"^[0-9+\- ]+$")


def _phone_problem(phone: str) -> str | None:
    if not _PHONE.match(phone) or not any(ch.isdigit() for ch in phone):
        return f"“{phone}”无效：只能包含数字、“-”、“+”和空格"
    return None


def _uscc_problem(uscc: str) -> str | None:
    try:
        validate_uscc(uscc)
    except ValueError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class EnterpriseField:
    name: str  # attribute, API and form field name
    label: str  # form label
    column: str  # the import file's column header (DESIGN §7)
    max_length: int
    required: bool = True
    choices: tuple[str, ...] = ()
    problem: Callable[[str], str | None] | None = None  # a rule beyond length and choice: the reason, or None

    def check(self, value: str) -> str | None:
        """The reason `value` (stripped text) is not acceptable, or None. Messages read after the column name."""
        if not value:
            return "不能为空" if self.required else None
        if len(value) > self.max_length:
            return f"不能超过 {self.max_length} 个字符（实为 {len(value)} 个）"
        if self.choices and value not in self.choices:
            return f"“{value}”无效：应为 " + "、".join(self.choices) + " 之一"
        return self.problem(value) if self.problem else None


FIELDS: tuple[EnterpriseField, ...] = (
    EnterpriseField("uscc", "统一社会信用代码", "统一社会信用代码", 18, problem=_uscc_problem),
    EnterpriseField("name", "企业名称", "企业名称", 200),
    EnterpriseField("address", "住所", "住所", 500, required=False),
    EnterpriseField("legal_rep", "法定代表人（负责人）", "法定代表人", 100, required=False),
    EnterpriseField("phone", "联系电话", "联系电话", 30, required=False, problem=_phone_problem),
    EnterpriseField("kind", "企业类型", "企业类型", 10, choices=ENTERPRISE_KINDS),
)
FIELD = {f.name: f for f in FIELDS}

# The registry form and the API take the same fields (the unit is the writer's own).
FORM_FIELDS: tuple[FieldSpec, ...] = tuple(
    FieldSpec(f.name, f.label, kind="choice" if f.choices else "text", required=f.required,
              max_length=f.max_length, choices=f.choices)
    for f in FIELDS
)


def clean_enterprise(raw: Mapping[str, Any]) -> dict[str, str]:
    """Form or API input → the stored values; InputInvalid naming every bad field."""
    values = clean(FORM_FIELDS, raw)
    errors: dict[str, str] = {}
    for f in FIELDS:
        text = values.get(f.name) or ""
        if text and f.problem and (reason := f.problem(text.upper() if f.name == "uscc" else text)):
            errors[f.name] = reason if f.name == "uscc" else f"{f.label}{reason}"
    if errors:
        raise InputInvalid(errors)
    values["uscc"] = validate_uscc(values["uscc"])
    return {k: (v or "") for k, v in values.items()}
