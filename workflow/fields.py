"""Input field specifications: one definition drives validation (API and forms) and the HTML form widgets.

A field spec knows its API name, its Chinese label, its type and its limits. `clean()` turns raw input
(JSON values or form strings) into typed values, or raises InputInvalid naming every offending field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from workflow.errors import InputInvalid

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_TEXT = 10_000  # DESIGN §7: free text up to 10,000 characters


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text | longtext | date | money | int | choice | items
    required: bool = True
    max_length: int = MAX_TEXT
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    help: str = ""
    # for kind == "items": the sub-fields of one row
    item_fields: tuple["FieldSpec", ...] = field(default_factory=tuple)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("应为日期（YYYY-MM-DD）")
    text = value.strip()
    if not _ISO_DATE.fullmatch(text):  # Python also reads 20231201 and 2023-W48-5; the API says YYYY-MM-DD
        raise ValueError("日期格式应为 YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("日期无效（格式应为 YYYY-MM-DD）") from None


def date_params(params: Mapping[str, Any], *names: str) -> list[dt.date | None]:
    """Optional ISO dates from query parameters, in the order named; InputInvalid names every bad one."""
    errors: dict[str, str] = {}
    values: list[dt.date | None] = []
    for name in names:
        value = params.get(name)
        try:
            values.append(parse_date(value) if value else None)
        except ValueError as exc:
            values.append(None)
            errors[name] = str(exc)
    if errors:
        raise InputInvalid(errors)
    return values


def _clean_one(spec: FieldSpec, value: Any) -> Any:
    if spec.kind in ("text", "longtext", "choice"):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ValueError("应为文本")
        text = str(value).strip()
        if len(text) > spec.max_length:
            raise ValueError(f"不得超过 {spec.max_length} 个字符")
        if spec.kind == "choice" and spec.choices and text not in spec.choices:
            raise ValueError("应为以下之一：" + "、".join(spec.choices))
        return text
    if spec.kind == "date":
        return parse_date(value)
    if spec.kind == "money":
        if isinstance(value, bool):
            raise ValueError("应为金额（元）")
        try:
            amount = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            raise ValueError("应为金额（元）") from None
        if not amount.is_finite() or amount < 0:
            raise ValueError("金额不能为负数")
        if amount > Decimal("1e12"):
            raise ValueError("金额过大")
        return amount.quantize(Decimal("0.01"))
    if spec.kind == "int":
        if isinstance(value, bool):
            raise ValueError("应为整数")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError("应为整数") from None
        if spec.min_value is not None and number < spec.min_value:
            raise ValueError(f"不得小于 {spec.min_value}")
        if spec.max_value is not None and number > spec.max_value:
            raise ValueError(f"不得大于 {spec.max_value}")
        return number
    if spec.kind == "items":
        if not isinstance(value, list) or not value:
            raise ValueError("至少填写一项")
        if len(value) > 200:
            raise ValueError("不得超过 200 项")
        rows = []
        for index, row in enumerate(value, start=1):
            if not isinstance(row, Mapping):
                raise ValueError(f"第 {index} 项格式有误")
            try:
                rows.append(clean(spec.item_fields, row))
            except InputInvalid as exc:
                # The sub-field's own message already starts with its label (e.g. "请填写数量").
                raise ValueError(f"第 {index} 项：{next(iter(exc.fields.values()))}") from None
        return rows
    raise AssertionError(f"unknown field kind {spec.kind}")


def clean(specs: Iterable[FieldSpec], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate `raw` against `specs`; return typed values; raise InputInvalid listing every bad field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        value = raw.get(spec.name)
        if _blank(value) or (spec.kind == "items" and value == []):
            if spec.required:
                errors[spec.name] = f"请填写{spec.label}"
            else:
                cleaned[spec.name] = None
            continue
        try:
            cleaned[spec.name] = _clean_one(spec, value)
        except ValueError as exc:
            errors[spec.name] = f"{spec.label}{exc}"
    if errors:
        raise InputInvalid(errors)
    return cleaned


def to_jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values → JSON-able values (dates ISO, money as string with two decimals)."""

    def convert(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, Mapping):
            return {k: convert(v) for k, v in value.items()}
        return value

    return {k: convert(v) for k, v in values.items()}
