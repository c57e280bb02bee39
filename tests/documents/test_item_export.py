"""The item list's XLSX export (隐患清单), written from rows without a database."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest

from documents.item_export import COLUMNS, items_xlsx, row_values

TODAY = dt.date(2023, 7, 10)
UNIT = SimpleNamespace(label="浦东新区")
FIRM = SimpleNamespace(name="上海宏达燃气器具有限公司", uscc="91310115591693856A")


def item(n: int, *, deadline: dt.date | None = None, state: str = "rectifying", sub_product: str | None = "家用燃气灶"):
    return SimpleNamespace(id=n, category="燃气用品", sub_product=sub_product, problem_type="质量低劣", source="监督抽查",
                           found_on=dt.date(2023, 7, 3), state=state, deadline=deadline, measures="责令改正",
                           facts=f"第{n}件事实")


def rows(n: int):
    return [(item(i + 1, deadline=TODAY + dt.timedelta(days=i - 1)), FIRM, UNIT) for i in range(n)]


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_the_sheet_has_the_headers_widths_and_a_frozen_header_row():
    sheet = sheet_of(items_xlsx(rows(1), TODAY).data)
    assert sheet.title == "隐患清单"
    assert [c.value for c in sheet[1]] == [title for title, _ in COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 8 and sheet.column_dimensions["O"].width == 60
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("DCE6F1")


def test_a_row_holds_real_dates_the_state_label_and_the_days_left():
    overdue = item(7, deadline=TODAY - dt.timedelta(days=2), sub_product=None)
    sheet = sheet_of(items_xlsx([(overdue, FIRM, UNIT)], TODAY).data)
    values = [c.value for c in sheet[2]]
    assert values[:8] == [7, "浦东新区", FIRM.name, FIRM.uscc, "燃气用品", None, "质量低劣", "监督抽查"]
    assert values[8] == dt.datetime(2023, 7, 3) and sheet["I2"].is_date and sheet["I2"].number_format == "yyyy-mm-dd"
    assert values[9] == "整改中"
    assert values[10] == dt.datetime(2023, 7, 8) and sheet["K2"].is_date
    assert values[11:13] == ["是", -2]
    assert values[13:] == ["责令改正", "第7件事实"]


def test_an_item_without_a_deadline_is_not_overdue():
    assert row_values(item(1), FIRM, UNIT, TODAY)[10:13] == [None, "否", None]


def test_every_row_up_to_the_cap_is_written_and_counted():
    export = items_xlsx(iter(rows(5)), TODAY, cap=5)
    assert (export.rows, export.truncated) == (5, False)
    sheet = sheet_of(export.data)
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [1, 2, 3, 4, 5]


def test_rows_past_the_cap_are_left_out_and_the_sheet_says_so():
    export = items_xlsx(iter(rows(6)), TODAY, cap=5)
    assert (export.rows, export.truncated) == (5, True)
    last = list(sheet_of(export.data).iter_rows(values_only=True))[-1]
    assert last[0] == "仅导出前 5 条，请缩小筛选范围后分批导出"


def test_the_writer_reads_no_more_than_one_row_past_the_cap():
    taken = []

    def source():
        for row in rows(100):
            taken.append(row)
            yield row

    items_xlsx(source(), TODAY, cap=10)
    assert len(taken) == 11


@pytest.mark.parametrize("n", [0, 3])
def test_an_export_reopens_in_openpyxl(n):
    export = items_xlsx(rows(n), TODAY)
    assert export.rows == n and len(list(sheet_of(export.data).iter_rows())) == n + 1


def test_formula_like_text_is_exported_as_that_text_and_a_control_character_is_replaced():
    hostile = ['=HYPERLINK("http://evil.example","点我")', "+1", "@SUM(A1)", "-2", "响\x07铃"]
    firm = SimpleNamespace(name="=1+2", uscc=FIRM.uscc)
    source = [(SimpleNamespace(**{**vars(item(n + 1)), "measures": text, "facts": text}), firm, UNIT)
              for n, text in enumerate(hostile)]
    sheet = sheet_of(items_xlsx(source, TODAY).data)  # without the kit: IllegalCharacterError on the last row
    expected = hostile[:4] + ["响\ufffd铃"]
    for row, text in zip(sheet.iter_rows(min_row=2), expected):
        cells = {"企业名称": row[2], "整治措施": row[13], "隐患事实": row[14]}
        assert cells["企业名称"].value == "=1+2" and cells["企业名称"].data_type == "s"
        for cell in (cells["整治措施"], cells["隐患事实"]):
            assert (cell.value, cell.data_type) == (text, "s")
            assert cell.quotePrefix == (text[0] in "=+-@")
