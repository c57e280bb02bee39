"""The pure part of the enterprise import (DESIGN §7): read a CSV/XLSX file into rows, check every row.

An import is all-or-nothing: callers store the rows only when ``validate_rows`` returns no errors, and otherwise
show ``format_errors(errors)`` — one line per bad cell, naming the spreadsheet row (the header is row 1), the
column and the reason, e.g. "第 3 行 统一社会信用代码：校验位错误：应为 A，实为 B".

Every file is read within bounds before and while it is parsed (issue 9): at most MAX_FILE_BYTES; an XLSX's zip
archive is checked from its central directory before openpyxl opens it (members, each member's and the total
declared inflated size, the compression ratio — Python's zipfile never inflates a member past its declared size,
so these bounds hold for what is really read); rows are streamed and a file with data past MAX_DATA_ROWS or
MAX_COLUMNS is refused as soon as the parse reaches it; at most MAX_LISTED_ERRORS errors are kept (the first by
row), all of them counted (``RowErrors.total``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Callable, Iterable, Sequence

from workflow.enterprise_fields import ENTERPRISE_KINDS, FIELD, FIELDS
from workflow.uscc import validate_uscc

__all__ = [
    "COLUMNS",
    "ENTERPRISE_KINDS",
    "EnterpriseRow",
    "RowError",
    "RowErrors",
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

# The bounds of one import file (issue 9: a 3 MB XLSX inflating to 3 GB, a 134 KB CSV of 100,000 rows).
MAX_FILE_BYTES = 20 * 1024 * 1024  # DESIGN §7: an uploaded file up to 20 MB
MAX_DATA_ROWS = 20_000  # data rows below the header (trailing blank rows do not count)
MAX_COLUMNS = 50  # columns holding anything (the file needs 7)
MAX_XLSX_MEMBERS = 1_000  # files inside the XLSX archive (a workbook has a dozen or two)
MAX_XLSX_DIRECTORY_BYTES = 1024 * 1024  # the archive's central directory (a workbook's: a few kilobytes)
MAX_XLSX_MEMBER_BYTES = 20 * 1024 * 1024  # one member, inflated: 20,000 rows of 7 columns need about 5 MB
MAX_XLSX_INFLATED_BYTES = 50 * 1024 * 1024  # all members, inflated
MAX_XLSX_RATIO = 200  # inflated / compressed for a member over RATIO_FLOOR (XML sheets compress 5–30 times)
RATIO_FLOOR = 1024 * 1024
MAX_LISTED_ERRORS = 100  # errors kept and shown; the rest are counted


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


class RowErrors(list):
    """A list of at most `limit` RowErrors — the first ones added — that counts every error added (`total`), so
    that a file with an error on each of 20,000 rows costs a hundred objects and a page of a hundred lines."""

    def __init__(self, errors: Iterable[RowError] = (), *, limit: int = MAX_LISTED_ERRORS, total: int = 0):
        super().__init__()
        self.limit, self.total = limit, total
        for error in errors:
            self.add(error)

    def add(self, error: RowError) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(error)

    append = add

    def extend(self, errors: Iterable[RowError]) -> None:  # type: ignore[override]
        for error in errors:
            self.add(error)

    def merged(self, *others: "RowErrors") -> "RowErrors":
        """This and `others` as one, sorted by row and column, cut to the limit, with the totals summed. Each
        part keeps its first errors in row order, so the merged list holds the first errors of the whole file."""
        kept = sorted([e for part in (self, *others) for e in part], key=lambda e: (e.row, e.column))
        merged = RowErrors(kept, limit=self.limit)
        merged.total = sum(part.total for part in (self, *others))
        return merged

    @property
    def unlisted(self) -> int:
        """Errors counted but not kept."""
        return self.total - len(self)


# -- reading ------------------------------------------------------------------------------------------------


def read_rows(filename: str, data: bytes) -> list[dict[str, str]]:
    """The data rows of a CSV (UTF-8, BOM optional) or XLSX (first sheet) file, keyed by the header row.

    ``rows[i]`` is spreadsheet row ``i + 2``: blank rows inside the data are kept (as rows of empty strings) so
    that row numbers stay right; trailing blank rows are dropped. Every value is a stripped string; XLSX numbers
    come as text without a trailing ".0", dates as YYYY-MM-DD. A column whose header is blank is dropped when it
    holds no data, and otherwise keyed "第 N 列". Raises ValueError (Chinese message) for an unsupported
    extension, an unreadable file, a missing header row, a repeated column, or a file past the bounds above.
    """
    suffix = PurePath(filename or "").suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限")
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
        return _bounded_table(csv.reader(io.StringIO(text, newline="")), str)
    except csv.Error as exc:
        raise ValueError(f"无法读取 CSV 文件：{exc}") from None


def _bounded_table(rows: Iterable[Sequence[Any]], text: Callable[[Any], str]) -> list[list[str]]:
    """The stripped cells of `rows` (row 1 is the header) as they stream in; blank rows inside the data are kept
    so that row numbers stay right, trailing blank rows are dropped. Raises ValueError as soon as a row past
    MAX_DATA_ROWS or a column past MAX_COLUMNS holds anything: nothing beyond the bounds is kept."""
    table: list[list[str]] = []
    blanks = 0  # blank rows not yet kept: they count only if data follows
    for number, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS:
            tail = row[MAX_COLUMNS:]  # counted in C: a row padded to column XFD costs microseconds, not a loop
            if tail.count(None) + tail.count("") != len(tail) and any(
                    text(v).strip() for v in tail if v is not None and v != ""):
                raise ValueError(f"文件第 {number} 行超过 {MAX_COLUMNS} 列：企业名单只需 {len(COLUMNS)} 列，"
                                 "请删除多余的列后再导入")
            row = row[:MAX_COLUMNS]
        cells = [text(v).strip() for v in row]
        if not any(cells):
            blanks += 1
            continue
        if number > MAX_DATA_ROWS + 1:
            raise ValueError(f"文件超过 {MAX_DATA_ROWS:,} 行数据的上限（第 {number:,} 行仍有数据）："
                             "请拆分为多个文件分批导入")
        table.extend([] for _ in range(blanks))
        blanks = 0
        table.append(cells)
    return table


def check_xlsx_archive(data: bytes) -> None:
    """Refuse a zip bomb before anything is inflated: the archive's member count from its end record, then from
    the central directory each member's declared size, their total and the compression ratio. Python's zipfile
    stops inflating a member at its declared size (and then fails its CRC), so the declared sizes bound what
    openpyxl can read. Raises ValueError (Chinese)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise ValueError("文件不是有效的 XLSX 文件（无法打开）")
    members, directory = struct.unpack_from("<HI", data, end + 10)
    # 0xFFFF members (a ZIP64 archive) included: no real workbook needs it. zipfile reads the central directory
    # by its size, whatever the count says, so its size is bounded too (a workbook's is a few kilobytes).
    if members > MAX_XLSX_MEMBERS or directory > MAX_XLSX_DIRECTORY_BYTES:
        raise ValueError("XLSX 文件结构异常（压缩包内文件过多），疑似压缩炸弹，已拒绝导入")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ValueError(f"文件不是有效的 XLSX 文件：{exc}") from None
    if len(infos) > MAX_XLSX_MEMBERS:
        raise ValueError("XLSX 文件结构异常（压缩包内文件过多），疑似压缩炸弹，已拒绝导入")
    mb = 1024 * 1024
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_XLSX_MEMBER_BYTES or total > MAX_XLSX_INFLATED_BYTES:
            raise ValueError(f"XLSX 文件解压后过大（超过 {MAX_XLSX_MEMBER_BYTES // mb} MB 单项或 "
                             f"{MAX_XLSX_INFLATED_BYTES // mb} MB 合计上限），疑似压缩炸弹，已拒绝导入；"
                             "请删除多余的内容或拆分文件后再导入")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_XLSX_RATIO * max(info.compress_size, 1):
            raise ValueError(f"XLSX 文件压缩比异常（{info.filename} 解压后为压缩前的 "
                             f"{info.file_size // max(info.compress_size, 1):,} 倍），疑似压缩炸弹，已拒绝导入")


def _xlsx_table(data: bytes) -> list[list[str]]:
    import openpyxl  # only needed for XLSX

    check_xlsx_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, InvalidFileException, BadZipFile, …)
        raise ValueError(f"文件不是有效的 XLSX 文件：{exc}") from None
    try:
        if not workbook.worksheets:
            raise ValueError("XLSX 文件中没有工作表")
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):  # a read-only sheet: trust its rows, not its <dimension> claim,
            sheet.reset_dimensions()  # which would pad every row to it (A1:XFD1048576 is 17 billion cells)
        return _bounded_table(sheet.iter_rows(values_only=True), _cell_text)
    except ValueError:
        raise
    except Exception as exc:  # a member that fails its CRC or its XML while streaming
        raise ValueError(f"文件不是有效的 XLSX 文件：{exc}") from None
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
) -> tuple[list[EnterpriseRow], RowErrors]:
    """Check every row; return the good rows and the errors found: every one counted (``errors.total``), the
    first MAX_LISTED_ERRORS of them kept.

    ``rows`` come from ``read_rows`` (all with the same keys: the header). ``unit_lookup`` maps a unit's code
    (310115) or full name to its code, or None when there is no such unit. The header must hold exactly
    ``COLUMNS`` (any order); otherwise the only errors are about the header (row 1). Blank rows are skipped.
    When errors are returned the caller must import nothing.
    """
    if not rows:
        return [], RowErrors([RowError(0, "", "文件中没有企业数据（表头以下没有数据行）")])

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
        return [], RowErrors(header_errors)

    good: list[EnterpriseRow] = []
    errors = RowErrors()
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
            for error in row_errors:
                errors.add(error)
        else:
            assert unit_code is not None
            good.append(EnterpriseRow(uscc, values[COL_NAME], values[COL_ADDRESS], values[COL_LEGAL_REP], values[COL_PHONE],
                                      unit_code, values[COL_KIND]))

    if not data_rows:
        errors.add(RowError(0, "", "文件中没有企业数据（表头以下没有数据行）"))
    return good, errors


def parse_enterprise_file(
    filename: str,
    data: bytes,
    unit_lookup: Callable[[str], str | None],
) -> tuple[list[EnterpriseRow], RowErrors]:
    """read_rows + validate_rows; an unreadable file becomes one RowError with row 0."""
    try:
        rows = read_rows(filename, data)
    except ValueError as exc:
        return [], RowErrors([RowError(0, "", str(exc))])
    return validate_rows(rows, unit_lookup)


def format_errors(errors: Iterable[RowError], total: int | None = None) -> str:
    """One line per error: "第 3 行 统一社会信用代码：校验位错误：应为 A，实为 B"; then, when `total` (default:
    ``errors.total`` of a RowErrors) is more than the errors listed, "另有 N 处错误未列出（共 T 处）"."""
    lines = []
    for error in errors:
        where = "文件" if error.row <= 0 else f"第 {error.row} 行"
        if error.column:
            where = f"{where} {error.column}"
        lines.append(f"{where}：{error.reason}")
    if total is None:
        total = getattr(errors, "total", len(lines))
    if total > len(lines):
        lines.append(unlisted_text(total - len(lines), total))
    return "\n".join(lines)


def unlisted_text(unlisted: int, total: int) -> str:
    return f"另有 {unlisted:,} 处错误未列出（共 {total:,} 处）"
