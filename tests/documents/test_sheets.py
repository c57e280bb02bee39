"""The one XLSX kit (documents/sheets.py) that every sheet is written with."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

import openpyxl
from openpyxl import Workbook

from documents import sheets

DOCUMENTS = Path(__file__).resolve().parents[2] / "documents"


def reopen(wb: Workbook):
    return openpyxl.load_workbook(io.BytesIO(sheets.workbook_bytes(wb))).active


def test_an_attachment_heading_has_the_attachment_the_title_and_unit_and_period_rows():
    wb = Workbook()
    sheets.write_sheet_heading(wb.active, attachment="附件2", title="统计表", width=10, stamp="报送编号 1",
                               stamp_span=4, left="填表单位：浦东", right="数据周期：2023年7月")
    ws = reopen(wb)
    assert ws["A1"].value == "附件2" and ws["A1"].font.name == sheets.HEADING_FONT
    assert ws["G1"].value == "报送编号 1" and ws["G1"].alignment.horizontal == "right"
    assert ws["A2"].value == "统计表" and ws["A2"].font.b and ws["A2"].font.name == sheets.TITLE_FONT
    assert ws.row_dimensions[2].height == 32
    assert ws["A3"].value == "填表单位：浦东" and ws["F3"].value == "数据周期：2023年7月"
    assert {str(r) for r in ws.merged_cells.ranges} == {"G1:J1", "A2:J2", "A3:E3", "F3:J3"}


def test_a_heading_without_a_stamp_leaves_row_one_to_the_attachment():
    wb = Workbook()
    sheets.write_sheet_heading(wb.active, attachment="附件1", title="台账", width=7, stamp=None, stamp_span=2,
                               left="单位：全市", right="报送时间：…")
    ws = reopen(wb)
    assert [c.value for c in ws[1]] == ["附件1"] + [None] * 6
    assert "G1" not in {str(r) for r in ws.merged_cells.ranges}


def test_the_print_setup_is_landscape_a4_one_page_wide_with_repeated_header_rows():
    wb = Workbook()
    sheets.print_setup(wb.active, freeze="B6", title_rows="4:5")
    ws = reopen(wb)
    assert ws.freeze_panes == "B6" and ws.print_title_rows == "$4:$5"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_a_date_cell_stays_a_date_and_other_cells_keep_their_format():
    wb = Workbook()
    ws = wb.active
    sheets.dated(ws.cell(row=1, column=1, value=dt.date(2023, 7, 10)))
    sheets.dated(ws.cell(row=1, column=2, value="2023-07-10"))
    sheets.boxed(ws.cell(row=1, column=3, value="x"), sheets.body_font(), sheets.CENTER)
    sheets.set_widths(ws, [6, 28, 18])
    ws = reopen(wb)
    assert ws["A1"].is_date and ws["A1"].number_format == sheets.DATE_FORMAT
    assert not ws["B1"].is_date and ws["B1"].number_format == "General"
    assert ws["C1"].border.left.style == "thin" and ws["C1"].font.name == sheets.BODY_FONT
    assert [ws.column_dimensions[c].width for c in "ABC"] == [6, 28, 18]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return found | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}


def test_the_attachment_writers_import_each_other_one_way_only():
    assert "documents.statistics_report" not in _imports(DOCUMENTS / "ledger_report.py")
    assert "documents.ledger_report" not in _imports(DOCUMENTS / "issue_list.py")


def test_borders_and_the_sheet_fonts_are_defined_in_the_kit_only():
    for path in DOCUMENTS.glob("*.py"):
        if path.name == "sheets.py":
            continue
        source = path.read_text(encoding="utf-8")
        for spelled in ("Border(", "Side(", "仿宋_GB2312", "黑体", "方正小标宋简体", "wb.save(", "BytesIO("):
            assert spelled not in source, f"{path.name} spells {spelled}"
