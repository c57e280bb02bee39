"""The pure part of the enterprise import (DESIGN §7): read a CSV/XLSX file into rows, check every row.

An import is all-or-nothing: callers store the rows only when ``validate_rows`` returns no errors, and otherwise
show ``format_errors(errors)`` — one line per bad cell, naming the spreadsheet row (the header is row 1), the
column and the reason, e.g. "第 3 行 统一社会信用代码：校验位错误：应为 A，实为 B".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Callable, Iterable, Sequence

from workflow.enterprise_fields import ENTERPRISE_KINDS, FIELD, FIELDS
from workflow.uscc import validate_uscc

__all__ = [
    "COLUMNS",
    "ENTERPRISE_KINDS",
    "EnterpriseRow",
    "RowError",
    "format_errors",
    "parse_enterprise_file",
    "read_rows",
    "validate_rows",
]

COL_USCC, COL_NAME, COL_ADDRESS, COL_LEGAL_REP, COL_PHONE, COL_KIND = (
    FIELD[name].column for name in ("uscc", "name", "address", "legal_rep", "phone", "kind"))
COL_UNIT = "所属单位"

# The file's columns: the enterprise's own fields (workflow.enterprise_fields), then its unit.
COLUMNS: tuple[str, ...] = (COL_USCC, COL_NAME, COL_ADDRESS, COL_LEGAL_REP, COL_PHONE, COL_UNIT, COL_KIND)
MAX_UNIT = 200
BY_COLUMN = {f.column: f for f in FIELDS}


@dataclass(frozen=True)
class EnterpriseRow:
    uscc: str
    name: str
    address: str
    legal_rep: str
    phone: str
    unit_code: str
    kind: str  # one of ENTERPRISE_KINDS, as the import file writes it


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number: the header is 1, the first data row 2; 0 = the file as a whole
    column: str  # the Chinese column header, or "" when the error is not about one column
    reason: str  # Chinese


# -- reading ------------------------------------------------------------------------------------------------


def read_rows(filename: str, data: bytes) -> list[dict[str, str]]:
    """The data rows of a CSV (UTF-8, BOM optional) or XLSX (first sheet) file, keyed by the header row.

    ``rows[i]`` is spreadsheet row ``i + 2``: blank rows inside the data are kept (as rows of empty strings) so
    that row numbers stay right; trailing blank rows are dropped. Every value is a stripped string; XLSX numbers
    come as text without a trailing ".0", dates as YYYY-MM-DD. A column whose header is blank is dropped when it
    holds no data, and otherwise keyed "第 N 列". Raises ValueError (Chinese message) for an unsupported
    extension, an unreadable file, a missing header row or a repeated column.
    """
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".csv":
        table = _csv_table(data)
    elif suffix == ".xlsx":
        table = _xlsx_table(data)
    elif suffix == ".xls":
        raise ValueError("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV（UTF-8）后再导入")
    else:
        raise ValueError(f"不支持的文件类型“{suffix or filename}”：请使用 .xlsx 或 .csv（UTF-8）文件")
    return _rows_from_table(table)


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("CSV 文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入") from None
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise ValueError(f"无法读取 CSV 文件：{exc}") from None


def _xlsx_table(data: bytes) -> list[list[str]]:
    import openpyxl  # only needed for XLSX

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("文件不是有效的 XLSX 文件（无法打开）")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, InvalidFileException, BadZipFile, …)
        raise ValueError(f"文件不是有效的 XLSX 文件：{exc}") from None
    try:
        if not workbook.worksheets:
            raise ValueError("XLSX 文件中没有工作表")
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _rows_from_table(table: list[list[str]]) -> list[dict[str, str]]:
    table = [[cell.strip() for cell in row] for row in table]
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise ValueError("文件是空的：第 1 行应为表头（" + "、".join(COLUMNS) + "）")
    header, body = table[0], table[1:]
    width = max(len(r) for r in table)
    header = header + [""] * (width - len(header))
    body = [r + [""] * (width - len(r)) for r in body]

    keep: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, name in enumerate(header):
        name = name.lstrip("\ufeff").strip()
        if not name:
            if not any(r[index] for r in body):
                continue
            name = f"第 {index + 1} 列"
        if name in seen:
            raise ValueError(f"表头中“{name}”列重复")
        seen.add(name)
        keep.append((index, name))
    return [{name: r[index] for index, name in keep} for r in body]


# -- checking -----------------------------------------------------------------------------------------------


def validate_rows(
    rows: Sequence[dict[str, str]],
    unit_lookup: Callable[[str], str | None],
) -> tuple[list[EnterpriseRow], list[RowError]]:
    """Check every row; return the good rows and every error found (all of them, not just the first).

    ``rows`` come from ``read_rows`` (all with the same keys: the header). ``unit_lookup`` maps a unit's code
    (310115) or full name to its code, or None when there is no such unit. The header must hold exactly
    ``COLUMNS`` (any order); otherwise the only errors are about the header (row 1). Blank rows are skipped.
    When errors are returned the caller must import nothing.
    """
    if not rows:
        return [], [RowError(0, "", "文件中没有企业数据（表头以下没有数据行）")]

    header: list[str] = list(rows[0].keys())
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    header_errors = []
    if missing:
        header_errors.append(RowError(1, "表头", "缺少列：" + "、".join(missing)))
    if extra:
        header_errors.append(RowError(1, "表头", "多余的列：" + "、".join(extra)))
    if header_errors:
        header_errors.append(RowError(1, "表头", "表头应恰为以下各列：" + "、".join(COLUMNS)))
        return [], header_errors

    good: list[EnterpriseRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    data_rows = 0
    for index, raw in enumerate(rows):
        row_number = index + 2
        values = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        if not any(values.values()):
            continue
        data_rows += 1
        row_errors: list[RowError] = []

        def fail(column: str, reason: str) -> None:
            row_errors.append(RowError(row_number, column, reason))

        uscc = values[COL_USCC]
        if not uscc:
            fail(COL_USCC, "不能为空")
        else:
            try:
                uscc = validate_uscc(uscc)
            except ValueError as exc:
                fail(COL_USCC, str(exc))
            else:
                if uscc in first_row_of:
                    fail(COL_USCC, f"{uscc} 与第 {first_row_of[uscc]} 行重复")
                else:
                    first_row_of[uscc] = row_number

        unit_code: str | None = None
        for column in COLUMNS[1:]:  # the USCC is checked above (it also must not repeat within the file)
            if column != COL_UNIT:
                reason = BY_COLUMN[column].check(values[column])
                if reason:
                    fail(column, reason)
                continue
            unit_text = values[COL_UNIT]
            if not unit_text:
                fail(COL_UNIT, "不能为空（填写单位代码，如 310115，或单位全称）")
            elif len(unit_text) > MAX_UNIT:
                fail(COL_UNIT, f"不能超过 {MAX_UNIT} 个字符")
            else:
                unit_code = unit_lookup(unit_text)
                if unit_code is None:
                    fail(COL_UNIT, f"未知单位“{unit_text}”（填写单位代码，如 310115，或单位全称）")

        if row_errors:
            errors.extend(row_errors)
        else:
            assert unit_code is not None
            good.append(EnterpriseRow(uscc, values[COL_NAME], values[COL_ADDRESS], values[COL_LEGAL_REP], values[COL_PHONE],
                                      unit_code, values[COL_KIND]))

    if not data_rows:
        errors.append(RowError(0, "", "文件中没有企业数据（表头以下没有数据行）"))
    return good, errors


def parse_enterprise_file(
    filename: str,
    data: bytes,
    unit_lookup: Callable[[str], str | None],
) -> tuple[list[EnterpriseRow], list[RowError]]:
    """read_rows + validate_rows; an unreadable file becomes one RowError with row 0."""
    try:
        rows = read_rows(filename, data)
    except ValueError as exc:
        return [], [RowError(0, "", str(exc))]
    return validate_rows(rows, unit_lookup)


def format_errors(errors: Iterable[RowError]) -> str:
    """One line per error: "第 3 行 统一社会信用代码：校验位错误：应为 A，实为 B"."""
    lines = []
    for error in errors:
        where = "文件" if error.row <= 0 else f"第 {error.row} 行"
        if error.column:
            where = f"{where} {error.column}"
        lines.append(f"{where}：{error.reason}")
    return "\n".join(lines)
