"""The unit's 问题清单 as PDF and XLSX."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from documents.issue_list import COLUMNS, HEADER_ROW, HEADERS, issue_list_pdf, issue_list_xlsx
from tests.documents.pdf_probe import INTENDED_FACES, pdf_fonts, pdf_info, pdf_pages, squeeze, strict

UNIT = "上海市浦东新区市场监督管理局"
GENERATED = dt.date(2023, 10, 31)
PERIOD = "2023年7月1日至2023年10月31日"

_PRODUCTS = [
    (
        "燃气用品",
        "家用燃气灶",
        "监督抽查不合格：熄火保护装置不符合GB 16410-2020要求",
        "责令停止生产销售，召回已售产品，整改后复检",
    ),
    ("电动自行车充电器和电池", None, "销售未获强制性产品认证的充电器", "扣押涉案产品，立案查处"),
    ("电线电缆", None, "导体电阻超标，质量低劣", "责令改正，下架不合格批次"),
    ("消防产品", "灭火器", "灭火剂充装量不足", "责令召回，约谈企业负责人"),
    ("安全帽", None, "冲击吸收性能不合格", "责令停止销售，对库存产品予以封存"),
]
_STATES = ["整改中", "已立案", "已办结", "已移送司法机关", "已发现"]


def make_rows(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        category, sub, problem, measures = _PRODUCTS[i % len(_PRODUCTS)]
        rows.append(
            {
                "enterprise": f"上海某某企业{i + 1:03d}有限公司",
                "uscc": "91310115591693856A",
                "category": category,
                "sub_product": sub,
                "problem": problem,
                "measures": measures,
                "responsible": ["张三", "李四", "王五"][i % 3],
                "deadline": None if i % 9 == 0 else (dt.date(2023, 8, 1) + dt.timedelta(days=i)).isoformat(),
                "state_label": _STATES[i % len(_STATES)],
            }
        )
    return rows


ROWS = make_rows(200)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return strict(issue_list_pdf, UNIT, ROWS, GENERATED, PERIOD)


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return pdf_pages(pdf)


@pytest.fixture(scope="module")
def xlsx() -> bytes:
    return issue_list_xlsx(UNIT, ROWS, GENERATED, PERIOD)


def test_the_pdf_is_landscape_a4(pdf):
    assert "841.89 x 595.276 pts (A4)" in pdf_info(pdf) or "841.89 x 595.28 pts (A4)" in pdf_info(pdf)


def test_the_pdf_has_title_unit_period_and_date_on_the_first_page(pages):
    first = squeeze(pages[0])
    for expected in ("问题清单", UNIT, PERIOD, "2023年10月31日"):
        assert squeeze(expected) in first


def test_a_200_row_list_repeats_its_header_on_every_page(pages):
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        flat = squeeze(page)
        missing = [h for h in HEADERS if h not in flat]
        assert not missing, f"page {n} lacks {missing}"
        assert f"— {n} —" in page


def test_every_row_is_printed_once_in_order(pages):
    flat = squeeze("".join(pages))
    positions = [flat.find(row["enterprise"]) for row in ROWS]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)
    assert "2023年8月2日" in flat  # deadlines print as Chinese dates


def test_the_pdf_embeds_only_cjk_faces(pdf):
    names = [f["name"] for f in pdf_fonts(pdf)]
    assert names and all(INTENDED_FACES.match(n) for n in names), names


def test_the_pdf_is_byte_identical_for_the_same_input():
    first = strict(issue_list_pdf, UNIT, make_rows(20), GENERATED, PERIOD)
    assert strict(issue_list_pdf, UNIT, make_rows(20), GENERATED, PERIOD) == first


def test_user_text_prints_literally_in_the_list():
    rows = make_rows(1)
    rows[0]["enterprise"] = "上海<script>x</script>&某某公司〔2023〕"
    text = squeeze("".join(pdf_pages(strict(issue_list_pdf, UNIT, rows, GENERATED))))
    assert "上海<script>x</script>&某某公司〔2023〕" in text


def test_an_empty_list_still_renders():
    text = squeeze("".join(pdf_pages(strict(issue_list_pdf, UNIT, [], GENERATED))))
    assert "问题清单" in text and "企业名称" in text


def test_the_xlsx_reopens_with_title_frozen_header_and_the_same_rows(xlsx):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    ws = wb.active
    assert "问题清单" in ws["A1"].value and UNIT in ws["A1"].value
    assert PERIOD in ws["A2"].value
    assert [c.value for c in ws[HEADER_ROW]] == list(HEADERS)
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    data = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(data) == len(ROWS)
    for n, (values, row) in enumerate(zip(data, ROWS), start=1):
        assert values[0] == n
        assert values[1] == row["enterprise"]
        assert values[2] == (f"{row['category']}（{row['sub_product']}）" if row["sub_product"] else row["category"])
        assert values[3] == row["problem"]
        assert values[4] == row["measures"]
        assert values[5] == row["responsible"]
        if row["deadline"] is None:
            assert values[6] is None
        else:
            assert isinstance(values[6], dt.datetime)  # a real date cell, not text
            assert values[6].date().isoformat() == row["deadline"]
        assert values[7] == row["state_label"]
    for letter, column in zip("ABCDEFGH", COLUMNS):
        assert ws.column_dimensions[letter].width == column.xlsx_width


def test_the_xlsx_date_cells_are_formatted_as_dates(xlsx):
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cell = ws.cell(row=HEADER_ROW + 2, column=7)
    assert cell.is_date and re.search("yy", cell.number_format)


def test_pdf_and_xlsx_share_one_column_definition(pages, xlsx):
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers == [c.header for c in COLUMNS]
    assert headers == ["序号", "企业名称", "产品类别", "存在问题", "整治措施", "责任人", "整改期限", "状态"]
    assert squeeze("".join(headers)) in squeeze(pages[0]) or all(h in squeeze(pages[0]) for h in headers)
