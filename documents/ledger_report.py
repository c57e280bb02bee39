"""附件1 隐患排查治理工作典型案例台账 as PDF (landscape A4) and XLSX, from db.ledger.LedgerTable.to_json().

Columns as the notice prints them: 报送时间, 立案时间, 案例内容, 典型案例办理进度, 是否依法曝光,
是否纳入国家企业信用信息公示系统; 单位 heads the table ("单位：…"), and is a column of its own in a city-wide ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from documents import sheets
from documents.pdf import ATTACHMENTS_STYLESHEET, html_to_pdf, metadata_date, template_environment
from workflow.labels import LEDGER_TITLE, calendar_day, chinese_date, period_text
from workflow.ledger_columns import LEDGER_ATTACHMENT

ENV = template_environment()
_CELL_CLASS = {"unit": "unit", "reported_on": "date", "filed_on": "date", "exposed": "flag", "credit_listed": "flag"}
_XLSX_WIDTH = {"unit": 16, "reported_on": 14, "filed_on": 14, "content": 60, "progress": 34, "exposed": 22,
               "credit_listed": 24}
SHEET_TITLE = "典型案例台账"
FIRST_DATA_ROW = 5  # 1 附件1, 2 title, 3 单位 / 报送时间, 4 headers


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    if key == "unit":
        return row.get("unit_label") or row.get("unit") or ""
    if key in ("reported_on", "filed_on"):
        return chinese_date(value, blank="/")
    return value if value not in (None, "") else "/"


def ledger_view(data: dict) -> dict[str, Any]:
    columns = data["columns"]
    rows = []
    for row in data["rows"]:
        rows.append([
            {"cls": _CELL_CLASS.get(c["key"], "text"),
             "lines": [line for line in str(_text(row, c["key"])).splitlines() if line.strip()] or ["/"]}
            for c in columns
        ])
    return {
        "attachment": LEDGER_ATTACHMENT,
        "title": LEDGER_TITLE,
        "unit": data["unit"],
        "period": period_text(data["from"], data["to"]),
        "columns": columns,
        "rows": rows,
    }


def ledger_html(data: dict, *, generated_on: dt.date | None = None, stamp: str | None = None) -> str:
    day = generated_on or calendar_day(data["to"])
    return ENV.get_template("ledger.html").render(l=ledger_view(data), meta_date=metadata_date(day), stamp=stamp)


def ledger_pdf(data: dict, *, generated_on: dt.date | None = None, stamp: str | None = None) -> bytes:
    """附件1 as PDF/A-2u, landscape A4; the header row repeats on every page."""
    day = generated_on or calendar_day(data["to"])
    return html_to_pdf(ledger_html(data, generated_on=day, stamp=stamp), ATTACHMENTS_STYLESHEET, day)


def write_ledger_sheet(ws: Worksheet, data: dict, *, stamp: str | None = None) -> None:
    columns = data["columns"]
    sheets.write_sheet_heading(ws, attachment=LEDGER_ATTACHMENT, title=LEDGER_TITLE, width=len(columns),
                               stamp=stamp, stamp_span=2, left=f"单位：{data['unit']}",
                               right=f"报送时间：{period_text(data['from'], data['to'])}")
    for index, c in enumerate(columns, start=1):
        sheets.boxed(sheets.cell(ws, 4, index, c["header"]), sheets.heading_font(), sheets.CENTER)
    sheets.set_widths(ws, [_XLSX_WIDTH.get(c["key"], 20) for c in columns])
    ws.row_dimensions[4].height = 30
    for offset, row in enumerate(data["rows"]):
        r = FIRST_DATA_ROW + offset
        for index, c in enumerate(columns, start=1):
            key = c["key"]
            value: Any = _text(row, key)
            if key in ("reported_on", "filed_on") and row.get(key):
                value = calendar_day(row[key])
            cell = sheets.cell(ws, r, index, value)
            sheets.boxed(cell, sheets.body_font(), Alignment(horizontal="center" if key in _CELL_CLASS else "left",
                                                             vertical="top", wrap_text=True))
    sheets.print_setup(ws, freeze=ws.cell(row=FIRST_DATA_ROW, column=1), title_rows="4:4")


def ledger_xlsx(data: dict, *, stamp: str | None = None) -> bytes:
    return sheets.one_sheet(SHEET_TITLE, lambda ws: write_ledger_sheet(ws, data, stamp=stamp))
