"""The XLSX kit every sheet is written with (附件1, 附件2, a submission, the 问题清单, the item export): fonts,
borders and alignments, the heading rows of an attachment sheet, the print set-up, date cells, the bytes.

One module, so that the sheets look alike and none imports another's writer for its styles. Every value enters a
sheet through `put` (or `cell` / `write_only_cell`, which call it): text is written as text — never a formula,
whatever it starts with — and a character XLSX cannot hold becomes U+FFFD (tests/documents/test_sheets.py checks
that no writer in documents/ sets a cell any other way).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
DATE_FORMAT = "yyyy-mm-dd"

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


# Characters an XLSX (XML 1.0) cannot hold: the C0 controls but tab, LF and CR (openpyxl's ILLEGAL_CHARACTERS_RE,
# which would raise), lone surrogates and the non-characters U+FFFE/U+FFFF. Each becomes REPLACEMENT, so that the
# reader sees where something was and one stored control character never fails a whole export.
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell (openpyxl cuts there too)
# A text starting with one of these is a formula to a spreadsheet program (OWASP "CSV injection": = + - @, tab,
# CR (written as LF, see clean_text, so LF too); and their full-width forms, which East Asian input methods produce). Such a text is written as a string cell
# with the quote prefix set (what Excel stores when one types '=…): it shows exactly as stored and stays text when
# the cell is edited. Nothing is added to the text, so "-5度" still reads "-5度".
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")


def clean_text(text: str) -> str:
    """`text` with every character an XLSX cannot hold replaced by U+FFFD and its line ends as LF (a CR is read
    back as LF from the XML anyway, so the file says so itself), cut to Excel's 32,767 characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_IN_XLSX.sub(REPLACEMENT, text)[:MAX_CELL_TEXT]


def put(target: Cell, value: Any) -> Cell:
    """The one way a value enters a sheet: text as literal text (never a formula or an error code such as #N/A;
    a leading = + - @ tab or CR gets the quote prefix), illegal characters replaced; dates as date cells
    (yyyy-mm-dd); numbers, None and the rest as openpyxl writes them."""
    if isinstance(value, str):
        text = clean_text(value)
        target.value = text
        target.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error: neither, here
        if text[:1] in FORMULA_TRIGGERS:
            target.quotePrefix = True
        return target
    target.value = value
    return dated(target)


def cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """ws.cell(row, column) holding `value`, through `put`."""
    return put(ws.cell(row=row, column=column), value)


def write_only_cell(ws: Any, value: Any) -> WriteOnlyCell:
    """A cell of a write-only sheet holding `value`, through `put`."""
    return put(WriteOnlyCell(ws), value)


def body_font(size: float = 11) -> Font:
    return Font(name=BODY_FONT, size=size)


def heading_font(size: float = 11, *, bold: bool = False) -> Font:
    return Font(name=HEADING_FONT, size=size, bold=bold)


def title_font(*, bold: bool = False) -> Font:
    return Font(name=TITLE_FONT, size=18, bold=bold)


def boxed(cell: Cell, font: Font, alignment: Alignment) -> Cell:
    """A table cell: its font and alignment, and the thin black border all round."""
    cell.font, cell.alignment, cell.border = font, alignment, BORDER
    return cell


def dated(cell: Cell) -> Cell:
    """A date shows as a date (yyyy-mm-dd), and stays a real date cell for sorting and filtering."""
    if isinstance(cell.value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def merged_row(ws: Worksheet, row: int, width: int, value: Any, *, font: Font, alignment: Alignment,
               height: float | None = None) -> Cell:
    """One text across the sheet's `width` columns (a title or a subtitle)."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    target = cell(ws, row, 1, value)
    target.font, target.alignment = font, alignment
    if height is not None:
        ws.row_dimensions[row].height = height
    return target


def set_widths(ws: Any, widths: Iterable[float]) -> None:
    """Column widths (Excel character units) from column A on; works on write-only sheets too."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def write_sheet_heading(ws: Worksheet, *, attachment: str, title: str, width: int, stamp: str | None,
                        stamp_span: int, left: str, right: str) -> None:
    """Rows 1–3 of an attachment sheet as the notice lays them out: 附件N (and a submission stamp), the title,
    then the unit on the left and the period on the right."""
    cell(ws, 1, 1, attachment).font = heading_font(14)
    if stamp:
        start = width - stamp_span + 1
        cell(ws, 1, start, stamp).font = body_font(9)
        ws.merge_cells(start_row=1, start_column=start, end_row=1, end_column=width)
        ws.cell(row=1, column=start).alignment = Alignment(horizontal="right")
    merged_row(ws, 2, width, title, font=title_font(bold=True),
               alignment=Alignment(horizontal="center", vertical="center"), height=32)
    split = max(1, width // 2)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=split)
    ws.merge_cells(start_row=3, start_column=split + 1, end_row=3, end_column=width)
    cell(ws, 3, 1, left).font = body_font()
    target = cell(ws, 3, split + 1, right)
    target.font = body_font()
    target.alignment = Alignment(horizontal="right")


def print_setup(ws: Worksheet, *, freeze: Any, title_rows: str) -> None:
    """Landscape A4, one page wide, header rows repeated on every printed page, panes frozen below them."""
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def one_sheet(title: str, write: Callable[[Worksheet], None]) -> bytes:
    """A workbook of one sheet named `title`, filled by `write`."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    write(ws)
    return workbook_bytes(wb)
