"""HTML forms generated from the workflow's FieldSpecs (never written by hand per event).

`form_input` reads a submitted form into the raw mapping the use cases validate (the same shape the JSON API
takes); `FormView` carries what the `_forms.html` macros need to render a form again with the user's input and
the errors next to each field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from workflow.fields import FieldSpec

BLANK_ITEM_ROWS = 5  # rows of an "items" table offered on a fresh form
MAX_ITEM_ROWS = 200


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _item_rows(spec: FieldSpec, form: Mapping[str, Any]) -> list[dict[str, str]]:
    """The rows of an `items` field, posted as `<name>-<row>-<sub>`; rows left blank are ignored."""
    pattern = re.compile(rf"^{re.escape(spec.name)}-(\d{{1,3}})-(\w+)$")
    indexes = sorted({int(m.group(1)) for key in form.keys() if (m := pattern.match(key))})
    rows = []
    for index in indexes[:MAX_ITEM_ROWS + 1]:
        row = {sub.name: _text(form.get(f"{spec.name}-{index}-{sub.name}")).strip() for sub in spec.item_fields}
        if any(row.values()):
            rows.append(row)
    return rows


def form_input(specs: Iterable[FieldSpec], form: Mapping[str, Any]) -> dict[str, Any]:
    """A submitted form → the raw input of a use case (strings; `items` as a list of row dicts)."""
    raw: dict[str, Any] = {}
    for spec in specs:
        if spec.kind == "items":
            raw[spec.name] = _item_rows(spec, form)
        else:
            raw[spec.name] = _text(form.get(spec.name))
    return raw


def tidy_errors(specs: Iterable[FieldSpec], errors: Mapping[str, str]) -> dict[str, str]:
    """Error texts for people: a row error of an `items` field names the row, not the sub-field's API name."""
    tidy = dict(errors)
    for spec in specs:
        if spec.kind == "choice" and tidy.get(spec.name) == f"请填写{spec.label}":
            tidy[spec.name] = f"请选择{spec.label}"  # a select is chosen, not filled in
        if spec.kind == "items" and spec.name in tidy:
            for sub in spec.item_fields:
                tidy[spec.name] = tidy[spec.name].replace(f" {sub.name}：", "：")
    return tidy


@dataclass
class FormView:
    """One form: its fields, the values to show, the errors by field, where it posts."""

    specs: tuple[FieldSpec, ...]
    action: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # choices supplied by the catalog
    groups: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # grouped choices (sub-products)
    hidden: dict[str, Any] = field(default_factory=dict)
    lookups: dict[str, str] = field(default_factory=dict)  # field → search URL (suggestions in a <datalist>)
    submit: str = "提交"
    key: str = ""  # an id prefix, unique on the page
    message: str = ""  # a form-level message (e.g. a version conflict)

    def __post_init__(self) -> None:
        self.errors = tidy_errors(self.specs, self.errors)

    def choices(self, spec: FieldSpec) -> list[str]:
        return list(spec.choices) or list(self.options.get(spec.name, []))

    def rows(self, spec: FieldSpec) -> list[dict[str, str]]:
        """The rows of an `items` field to render: the user's rows and blank ones up to BLANK_ITEM_ROWS."""
        given = [r for r in (self.values.get(spec.name) or []) if isinstance(r, Mapping)]
        blanks = max(BLANK_ITEM_ROWS - len(given), 1)
        return [dict(r) for r in given] + [{} for _ in range(blanks)]

    def value(self, spec: FieldSpec) -> str:
        return _text(self.values.get(spec.name))

    def input_type(self, spec: FieldSpec) -> str:
        return {"date": "date", "money": "number", "int": "number"}.get(spec.kind, "text")

    def field_id(self, spec: FieldSpec) -> str:
        return f"{self.key}-{spec.name}" if self.key else spec.name

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.message)
