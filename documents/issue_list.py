"""A unit's 问题清单 (issue list) as PDF (landscape A4, WeasyPrint) and as XLSX (openpyxl).

Both outputs come from one column definition, `COLUMNS`. A row is a dict:
{"enterprise", "uscc", "category", "sub_product" (or None), "problem", "measures", "responsible",
 "deadline" ("YYYY-MM-DD" or None), "state_label"}.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from documents.pdf import TEMPLATES_DIR, html_to_pdf, metadata_date
from documents.render import cn_date

TITLE = "问题清单"
STYLESHEET = "issue_list.css"


def _product(row: dict) -> str:
    sub = row.get("sub_product")
    category = row.get("category") or ""
    return f"{category}（{sub}）" if sub else category


def _deadline(row: dict) -> dt.date | None:
    value = row.get("deadline")
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


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
    parts.append(f"制表日期：{cn_date(generated_on)}")
    return "　　".join(parts)


# --- PDF --------------------------------------------------------------------------------------------------

_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _pdf_cell(value: Any) -> str:
    if value is None or value == "":
        return "/"
    if isinstance(value, dt.date):
        return cn_date(value)
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

_XLSX_FONT = "仿宋_GB2312"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_ROW = 3  # row 1: title, row 2: unit / period / date, row 3: the column headers


def issue_list_xlsx(unit_name: str, rows: list[dict], generated_on: dt.date, period: str | None = None) -> bytes:
    """The 问题清单 as an XLSX workbook: title row, frozen header row, column widths, real dates."""
    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    last = get_column_letter(len(COLUMNS))

    ws["A1"] = f"{unit_name}{TITLE}"
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36

    ws["A2"] = _subtitle(unit_name, generated_on, period)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name=_XLSX_FONT, size=11)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")

    for col, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=column.header)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = column.xlsx_width

    for r, values in enumerate(row_values(rows), start=HEADER_ROW + 1):
        for col, (column, value) in enumerate(zip(COLUMNS, values), start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.font = Font(name=_XLSX_FONT, size=11)
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal=column.align, vertical="top", wrap_text=True)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"

    stamp = dt.datetime.combine(generated_on, dt.time())
    wb.properties.creator = unit_name
    wb.properties.title = f"{unit_name}{TITLE}"
    wb.properties.created = stamp
    wb.properties.modified = stamp

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
