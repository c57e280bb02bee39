"""A unit's 问题清单 (issue list) as PDF (landscape A4, WeasyPrint) and as XLSX (openpyxl).

Both outputs come from one column definition, `COLUMNS`. A row is a dict:
{"enterprise", "uscc", "category", "sub_product" (or None), "problem", "measures", "responsible",
 "deadline" ("YYYY-MM-DD" or None), "state_label"}.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from documents import sheets
from documents.pdf import html_to_pdf, metadata_date, template_environment
from workflow.labels import ISSUE_LIST_TITLE as TITLE, calendar_day, chinese_date

STYLESHEET = "issue_list.css"


def _product(row: dict) -> str:
    sub = row.get("sub_product")
    category = row.get("category") or ""
    return f"{category}（{sub}）" if sub else category


def _deadline(row: dict) -> dt.date | None:
    return calendar_day(row.get("deadline"))


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[int, dict], Any]  # (1-based row number, row) → the cell's value
    xlsx_width: float  # in Excel character units
    pdf_width: str  # CSS width of the column in the PDF table
    align: str = "left"  # left | center


COLUMNS: tuple[Column, ...] = (
    Column("序号", lambda n, r: n, 6, "12mm", "center"),
    Column("企业名称", lambda n, r: r.get("enterprise") or "", 28, "38mm"),
    Column("产品类别", lambda n, r: _product(r), 18, "30mm"),
    Column("存在问题", lambda n, r: r.get("problem") or "", 44, "auto"),
    Column("整治措施", lambda n, r: r.get("measures") or "", 44, "auto"),
    Column("责任人", lambda n, r: r.get("responsible") or "", 10, "16mm", "center"),
    Column("整改期限", lambda n, r: _deadline(r), 13, "31mm", "center"),
    Column("状态", lambda n, r: r.get("state_label") or "", 14, "23mm", "center"),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)


def row_values(rows: Sequence[dict]) -> list[list[Any]]:
    """The table's cells, in COLUMNS order (dates as datetime.date or None)."""
    return [[c.value(n, row) for c in COLUMNS] for n, row in enumerate(rows, start=1)]


def _subtitle(unit_name: str, generated_on: dt.date, period: str | None) -> str:
    parts = [f"填报单位：{unit_name}"]
    if period:
        parts.append(f"数据周期：{period}")
    parts.append(f"制表日期：{chinese_date(generated_on)}")
    return "　　".join(parts)


# --- PDF --------------------------------------------------------------------------------------------------

_ENV = template_environment()


def _pdf_cell(value: Any) -> str:
    if value is None or value == "":
        return "/"
    if isinstance(value, dt.date):
        return chinese_date(value)
    return str(value)


def issue_list_html(unit_name: str, rows: list[dict], generated_on: dt.date, period: str | None = None) -> str:
    table = [[_pdf_cell(v) for v in values] for values in row_values(rows)]
    return _ENV.get_template("issue_list.html").render(
        title=TITLE,
        unit_name=unit_name,
        subtitle=_subtitle(unit_name, generated_on, period),
        columns=COLUMNS,
        rows=table,
        meta_date=metadata_date(generated_on),
    )


def issue_list_pdf(unit_name: str, rows: list[dict], generated_on: dt.date, period: str | None = None) -> bytes:
    """The 问题清单 as PDF/A-2u, landscape A4; the table header repeats on every page."""
    return html_to_pdf(issue_list_html(unit_name, rows, generated_on, period), STYLESHEET, generated_on)


# --- XLSX -------------------------------------------------------------------------------------------------

HEADER_ROW = 3  # row 1: title, row 2: unit / period / date, row 3: the column headers


def issue_list_xlsx(unit_name: str, rows: list[dict], generated_on: dt.date, period: str | None = None) -> bytes:
    """The 问题清单 as an XLSX workbook: title row, frozen header row, column widths, real dates."""
    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    width = len(COLUMNS)

    sheets.merged_row(ws, 1, width, f"{unit_name}{TITLE}", font=sheets.title_font(),
                      alignment=Alignment(horizontal="center", vertical="center"), height=36)
    sheets.merged_row(ws, 2, width, _subtitle(unit_name, generated_on, period), font=sheets.body_font(),
                      alignment=Alignment(horizontal="left", vertical="center"))
    for col, column in enumerate(COLUMNS, start=1):
        sheets.boxed(sheets.cell(ws, HEADER_ROW, col, column.header), sheets.heading_font(bold=True),
                     sheets.CENTER)
    sheets.set_widths(ws, [column.xlsx_width for column in COLUMNS])

    for r, values in enumerate(row_values(rows), start=HEADER_ROW + 1):
        for col, (column, value) in enumerate(zip(COLUMNS, values), start=1):
            cell = sheets.cell(ws, r, col, value)
            sheets.boxed(cell, sheets.body_font(), Alignment(horizontal=column.align, vertical="top", wrap_text=True))

    sheets.print_setup(ws, freeze=ws.cell(row=HEADER_ROW + 1, column=1), title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(width)}{HEADER_ROW + len(rows)}"

    stamp = dt.datetime.combine(generated_on, dt.time())
    wb.properties.creator = sheets.clean_text(unit_name)
    wb.properties.title = sheets.clean_text(f"{unit_name}{TITLE}")
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return sheets.workbook_bytes(wb)
