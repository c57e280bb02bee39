"""附件2 重点工业产品质量安全隐患排查治理情况统计表 as PDF (landscape A4, WeasyPrint) and XLSX (openpyxl),
and a report submission (附件2 + 附件1) re-rendered from its frozen JSON.

Every function takes the JSON of db.statistics.StatisticsTable.to_json() (live or frozen), so a submission
renders exactly what was submitted. Columns, groups and header lines come with the data (its campaign's layout);
JSON frozen before layouts were data prints with the 2023 notice's line breaks (workflow.statistics_columns).

PDF through the shared WeasyPrint set-up of documents/pdf.py (html_to_pdf, the static stylesheet statistics.css
that 附件1 shares); XLSX with the sheet kit of documents/sheets.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from documents import sheets
from documents.ledger_report import SHEET_TITLE as LEDGER_SHEET_TITLE
from documents.ledger_report import ledger_view, write_ledger_sheet
from documents.pdf import ATTACHMENTS_STYLESHEET, html_to_pdf, metadata_date, template_environment
from workflow.labels import STATISTICS_TITLE, calendar_day, chinese_date, period_text
from workflow.statistics_columns import (CATEGORY_HEADER, COUNTING_RULES, STAT_COLUMNS, STATISTICS_ATTACHMENT,
                                         TOTAL_LABEL, column_groups, statistics_notes)

MONEY_FORMAT = "0.00"
COUNT_FORMAT = "0"

ENV = template_environment()

_BY_KEY = {c.key: c for c in STAT_COLUMNS}


@dataclass(frozen=True)
class _Column:
    key: str
    group: str
    header: str
    lines: tuple[str, ...]
    money: bool
    width: str  # the CSS class of its <col>


def _columns(data: dict) -> list[_Column]:
    """The data's columns with their header lines: as the data gives them (its campaign's layout), else — JSON
    frozen before layouts were data — the 2023 notice's where the header is unchanged, else one line."""
    columns = []
    for c in data["columns"]:
        known = _BY_KEY.get(c.get("key", ""))
        if c.get("lines"):
            lines = tuple(c["lines"])
        else:
            lines = known.lines if known is not None and known.header == c["header"] else (c["header"],)
        counting = COUNTING_RULES.get(c.get("key", ""))
        money = counting.money if counting is not None else False
        width = "wide" if len(max(lines, key=len)) > 4 else "fig"
        columns.append(_Column(c.get("key", ""), c["group"], c["header"], lines, money, width))
    return columns


def _groups(columns: list[_Column]) -> list[tuple[str, int]]:
    return list(column_groups(columns))


def _cell(value: Any, money: bool) -> str:
    return f"{float(value):.2f}" if money else str(int(value))


def statistics_view(data: dict) -> dict[str, Any]:
    """What the template prints: formatted figures, the notice's header lines, the footnote."""
    columns = _columns(data)
    return {
        "attachment": STATISTICS_ATTACHMENT,
        "title": STATISTICS_TITLE,
        "unit": data["unit"],
        "period": period_text(data["from"], data["to"]),
        "category_header": CATEGORY_HEADER,
        "total_label": TOTAL_LABEL,
        "columns": columns,
        "groups": _groups(columns),
        "rows": [{"category": r["category"], "cells": [_cell(v, c.money) for v, c in zip(r["values"], columns)]}
                 for r in data["rows"]],
        "total": [_cell(v, c.money) for v, c in zip(data["total"]["values"], columns)],
        "notes": data.get("notes") or statistics_notes(),
    }


def statistics_html(data: dict, *, generated_on: dt.date | None = None, stamp: str | None = None) -> str:
    """`generated_on` sets the PDF's metadata dates (default: the period's end, so one table → the same bytes);
    `stamp` is printed at the foot of every page (e.g. a submission's number and hash)."""
    day = generated_on or calendar_day(data["to"])
    return ENV.get_template("statistics.html").render(t=statistics_view(data), meta_date=metadata_date(day),
                                                      stamp=stamp)


def statistics_pdf(data: dict, *, generated_on: dt.date | None = None, stamp: str | None = None) -> bytes:
    """附件2 as PDF/A-2u, landscape A4, one page for the 20 categories and 合计."""
    day = generated_on or calendar_day(data["to"])
    return html_to_pdf(statistics_html(data, generated_on=day, stamp=stamp), ATTACHMENTS_STYLESHEET, day)


# --- XLSX ---------------------------------------------------------------------------------------------------

SHEET_TITLE = "统计表"
FIRST_DATA_ROW = 6  # 1 附件2, 2 title, 3 填表单位/数据周期, 4 groups, 5 headers, 6… categories


def write_statistics_sheet(ws: Worksheet, data: dict, *, stamp: str | None = None) -> None:
    """Fill `ws` with 附件2: merged group headers, figures as numbers (万元 with number format 0.00)."""
    columns = _columns(data)
    width = len(columns) + 1
    sheets.write_sheet_heading(ws, attachment=STATISTICS_ATTACHMENT, title=STATISTICS_TITLE, width=width,
                               stamp=stamp, stamp_span=6, left=f"填表单位：{data['unit']}",
                               right=f"数据周期：{period_text(data['from'], data['to'])}")

    ws.merge_cells("A4:A5")
    sheets.cell(ws, 4, 1, CATEGORY_HEADER)
    column = 2
    for group, span in _groups(columns):
        if span > 1:
            ws.merge_cells(start_row=4, start_column=column, end_row=4, end_column=column + span - 1)
        sheets.cell(ws, 4, column, group)
        column += span
    for index, c in enumerate(columns, start=2):
        sheets.cell(ws, 5, index, "\n".join(c.lines))
    for row in (4, 5):
        for col in range(1, width + 1):
            sheets.boxed(ws.cell(row=row, column=col), sheets.heading_font(10), sheets.CENTER)
    ws.row_dimensions[5].height = 45

    rows = [(r["category"], r["values"]) for r in data["rows"]] + [(TOTAL_LABEL, data["total"]["values"])]
    for offset, (category, values) in enumerate(rows):
        r = FIRST_DATA_ROW + offset
        label_font = sheets.heading_font() if category == TOTAL_LABEL else sheets.body_font()
        sheets.boxed(sheets.cell(ws, r, 1, category), label_font, sheets.LEFT)
        for index, (value, c) in enumerate(zip(values, columns), start=2):
            cell = sheets.cell(ws, r, index, float(value) if c.money else int(value))
            cell.number_format = MONEY_FORMAT if c.money else COUNT_FORMAT
            sheets.boxed(cell, sheets.body_font(), sheets.CENTER)

    note_row = FIRST_DATA_ROW + len(rows) + 1
    for n, note in enumerate(data.get("notes") or statistics_notes(), start=1):
        sheets.merged_row(ws, note_row, width, ("注：" if n == 1 else "　　") + f"{n}. {note}",
                          font=sheets.body_font(9), alignment=Alignment(wrap_text=True, vertical="top"),
                          height=15 * max(1, len(note) // 120 + 1))
        note_row += 1

    sheets.set_widths(ws, [26] + [14 if c.width == "wide" else 10 for c in columns])
    sheets.print_setup(ws, freeze=ws.cell(row=FIRST_DATA_ROW, column=2), title_rows="4:5")


def statistics_xlsx(data: dict, *, stamp: str | None = None) -> bytes:
    return sheets.one_sheet(SHEET_TITLE, lambda ws: write_statistics_sheet(ws, data, stamp=stamp))


# --- a submission (附件2 + 附件1), from its frozen JSON -----------------------------------------------------------


def submission_stamp(frozen: dict, sha256: str | None = None) -> str:
    """The foot of every page: 报送编号, unit, submission date and the frozen JSON's short hash."""
    parts = [f"报送编号 {frozen['number']}", frozen["unit"]["name"],
             f"报送日期 {chinese_date(frozen['submitted_on'])}"]
    if sha256:
        parts.append(f"校验码 {sha256[:12]}")
    return "　".join(parts)


def submission_html(frozen: dict, sha256: str | None = None) -> str:
    return ENV.get_template("submission.html").render(
        title=f"{frozen['deadline']['title']} {frozen['number']}",
        t=statistics_view(frozen["statistics"]),
        l=ledger_view(frozen["ledger"]),
        stamp=submission_stamp(frozen, sha256),
        meta_date=metadata_date(calendar_day(frozen["submitted_on"])),
    )


def submission_pdf(frozen: dict, sha256: str | None = None) -> bytes:
    """附件2 then 附件1 of a submission, from its frozen JSON; byte-identical for one frozen JSON."""
    return html_to_pdf(submission_html(frozen, sha256), ATTACHMENTS_STYLESHEET, calendar_day(frozen["submitted_on"]))


def submission_xlsx(frozen: dict, sha256: str | None = None) -> bytes:
    """Two sheets, 统计表 (附件2) and 典型案例台账 (附件1), from the frozen JSON."""
    stamp = submission_stamp(frozen, sha256)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    write_statistics_sheet(ws, frozen["statistics"], stamp=stamp)
    write_ledger_sheet(wb.create_sheet(LEDGER_SHEET_TITLE), frozen["ledger"], stamp=stamp)
    return sheets.workbook_bytes(wb)
