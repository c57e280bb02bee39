"""The reporting tables as the notice prints them: 附件2 统计表 and 附件1 典型案例台账, in PDF and XLSX."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from workflow import records
from db import record_queries
from db.models import ReportSubmission
from db.ledger import ledger
from db.statistics import statistics
from workflow.submissions import submit_report
from documents.ledger_report import ledger_pdf, ledger_xlsx
from documents.statistics_report import statistics_pdf, statistics_xlsx, submission_pdf, submission_xlsx
from tests.db.activity_builders import LATER, at, generate
from tests.documents.pdf_probe import INTENDED_FACES, page_count, pdf_fonts, pdf_pages, squeeze, strict
from workflow.statistics_columns import STAT_COLUMNS, STAT_GROUPS, STATISTICS_TITLE, counting_rules_markdown, statistics_notes
from workflow.ledger_columns import LEDGER_COLUMNS, LEDGER_TITLE

D = dt.date
REPO = Path(__file__).resolve().parents[2]
NOTICE = REPO / "db" / "reference" / "notice_2023.txt"  # the public notice, kept in the repo
PNG_DIR = Path("/tmp/report-png")
JULY = (D(2023, 7, 1), D(2023, 7, 31))


# --- the notice's own header texts --------------------------------------------------------------------------


def notice() -> str:
    return NOTICE.read_text(encoding="utf-8")


def _cells(segment: str) -> list[list[str]]:
    """Tab-separated cells of the notice's tables; each cell as its lines."""
    return [[line.strip() for line in cell.splitlines() if line.strip()] for cell in segment.split("\t")]


def appendix2_header() -> tuple[list[str], list[tuple[str, ...]]]:
    text = notice()
    table = text[text.rindex("附件2"):]
    head = table[table.index("产品类别"):table.index("危险化学品")]
    cells = [c for c in _cells(head) if c]
    groups = [c[0] for c in cells[1:7]]
    return groups, [tuple(c) for c in cells[7:]]


def appendix1_header() -> tuple[str, list[str]]:
    text = notice()
    table = text[text.rindex("附件1"):text.rindex("附件2")]
    lines = [line.strip() for line in table.splitlines() if line.strip()]
    return lines[1], [line for line in lines[3:]]


def test_the_statistics_headers_and_groups_are_the_notices_with_its_line_breaks():
    groups, headers = appendix2_header()
    assert [group for group, _ in STAT_GROUPS] == groups
    assert [c.lines for c in STAT_COLUMNS] == headers
    assert STATISTICS_TITLE in notice()
    assert sum(span for _, span in STAT_GROUPS) == 15


def test_the_ledger_headers_are_the_notices():
    title, headers = appendix1_header()
    assert title == LEDGER_TITLE
    assert [c.header for c in LEDGER_COLUMNS] == headers


def test_each_counting_rule_is_written_once_and_reaches_the_footnote_and_the_readme():
    notes = "".join(statistics_notes())
    for column in STAT_COLUMNS:
        assert f"{column.header}：{column.rule}" in notes
    assert "合计" in notes and "去重" in notes
    # The README's section is the generated text, verbatim: edit workflow/statistics_columns.py and paste
    # counting_rules_markdown() into README.md, or this fails.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How 附件2 is counted"):]
    section = section[:section.index("\n## ", 1)]
    assert counting_rules_markdown() in section
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| group")]
    assert rows == [f"| {c.group} | {c.header} | {c.rule_en} |" for c in STAT_COLUMNS]


# --- rendered from real records ----------------------------------------------------------------------------------


@pytest.fixture
def july(world):
    generate(world)
    with Session(world.db.reader) as s:
        city = statistics(s, unit_id=None, date_from=JULY[0], date_to=JULY[1]).to_json()
        pudong = statistics(s, unit_id=world.handler.unit_id, date_from=JULY[0], date_to=JULY[1]).to_json()
    return city, pudong


def _png(name: str, pdf: bytes) -> None:
    """Keep a PNG of every page for people to look at (pdftoppm -png -r 60)."""
    PNG_DIR.mkdir(exist_ok=True)
    path = PNG_DIR / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(PNG_DIR / name)], check=True)


def _only_intended_fonts(pdf: bytes) -> None:
    fonts = pdf_fonts(pdf)
    assert fonts and all(INTENDED_FACES.match(f["name"]) and f["emb"] == "yes" for f in fonts), fonts


def test_the_statistics_pdf_is_one_landscape_page_with_heading_figures_and_footnote(july):
    city, pudong = july
    pdf = strict(statistics_pdf, pudong)
    _png("statistics", pdf)
    assert page_count(pdf) == 1
    text = squeeze(pdf_pages(pdf)[0])
    assert "附件2" in text and squeeze(STATISTICS_TITLE) in text
    assert "填表单位：上海市浦东新区市场监督管理局" in text
    assert "数据周期：2023年7月1日至2023年7月31日" in text
    for group, _ in STAT_GROUPS:
        assert group in text
    for row in pudong["rows"]:
        assert row["category"] in text
    assert "合计" in text and "按企业去重" in text
    fines = [c["key"] for c in pudong["columns"]].index("fines")
    assert f"{pudong['total']['values'][fines]:.2f}" in text
    _only_intended_fonts(pdf)
    # one table, the same bytes
    assert statistics_pdf(pudong) == pdf


def test_the_statistics_xlsx_reopens_with_the_same_figures_merged_groups_and_money_formats(july):
    city, _ = july
    sheet = load_workbook(io.BytesIO(statistics_xlsx(city))).active
    assert sheet["A2"].value == STATISTICS_TITLE
    assert "A4:A5" in sheet.merged_cells and sheet["A4"].value == "产品类别"
    column = 2
    for group, span in STAT_GROUPS:
        first, last = sheet.cell(row=4, column=column), sheet.cell(row=4, column=column + span - 1)
        if span > 1:
            assert f"{first.coordinate}:{last.coordinate}" in sheet.merged_cells
        assert sheet.cell(row=4, column=column).value == group
        column += span
    for index, c in enumerate(STAT_COLUMNS, start=2):
        assert sheet.cell(row=5, column=index).value.replace("\n", "") == c.header
    rows = city["rows"] + [{"category": "合计", "values": city["total"]["values"]}]
    for offset, row in enumerate(rows):
        r = 6 + offset
        assert sheet.cell(row=r, column=1).value == row["category"]
        for index, (value, c) in enumerate(zip(row["values"], STAT_COLUMNS), start=2):
            cell = sheet.cell(row=r, column=index)
            assert cell.value == value and isinstance(cell.value, (int, float))
            assert cell.number_format == ("0.00" if c.money else "0")
    assert any(v for v in city["total"]["values"])


@pytest.fixture
def cases(world):
    """Six typical cases, in both units, on cases that were exposed; some with long 案例内容."""
    generate(world)
    with Session(world.db.reader) as s:
        exposures = record_queries.list_records(s, "exposure", world.supervisor, limit=200)[0]
    writers = {world.handler.unit_id: world.handler, world.other_handler.unit_id: world.other_handler}
    units = {e["item_id"]: e["unit"]["id"] for e in exposures}
    for n, item in enumerate(sorted(units)[:6]):
        content = ("2023年7月，区局在监督抽查中发现上海某燃气器具有限公司生产的家用燃气灶熄火保护装置不合格，"
                   "依法立案查处，没收违法所得并处罚款。") * (1 + n % 3)
        records.create_record(world.uow(), "typical_case", writers[units[item]], dict(
            item_id=item, reported_on=f"2023-07-{10 + n:02d}", content=content,
            progress="已作出行政处罚决定并执行完毕，涉案产品已全部下架。"), LATER)
    with Session(world.db.reader) as s:
        return ledger(s, unit_id=None, date_from=JULY[0], date_to=JULY[1]).to_json()


def test_the_ledger_pdf_and_xlsx_have_the_notices_columns_and_every_case(cases):
    assert len(cases["rows"]) == 6
    pdf = strict(ledger_pdf, cases)
    _png("ledger", pdf)
    text = squeeze("".join(pdf_pages(pdf)))
    assert squeeze(LEDGER_TITLE) in text and "附件1" in text and "单位：全市" in text
    for c in LEDGER_COLUMNS:
        assert c.header in text
    for row in cases["rows"]:
        assert squeeze(row["exposed"]) in text
    _only_intended_fonts(pdf)
    sheet = load_workbook(io.BytesIO(ledger_xlsx(cases))).active
    assert [sheet.cell(row=4, column=i).value for i in range(1, 8)] == ["单位"] + [c.header for c in LEDGER_COLUMNS]
    for offset, row in enumerate(cases["rows"]):
        assert sheet.cell(row=5 + offset, column=4).value == row["content"]
        assert sheet.cell(row=5 + offset, column=2).value.date() == D.fromisoformat(row["reported_on"])


def test_a_submission_prints_both_tables_with_its_number_on_every_page(world):
    generate(world)
    result = submit_report(world.uow(), world.leader, "monthly-2023-07-31", at(D(2023, 7, 31), 16))
    with Session(world.db.reader) as s:
        row = s.get(ReportSubmission, result["id"])
    pdf = strict(submission_pdf, row.frozen, row.sha256)
    _png("submission", pdf)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    assert all(squeeze(result["number"]) in squeeze(p) and row.sha256[:12] in p for p in pages)
    assert squeeze(STATISTICS_TITLE) in squeeze(pages[0]) and squeeze(LEDGER_TITLE) in squeeze(pages[-1])
    book = load_workbook(io.BytesIO(submission_xlsx(row.frozen, row.sha256)))
    assert book.sheetnames == ["统计表", "典型案例台账"]
    assert book["统计表"].cell(row=26, column=2).value == row.frozen["statistics"]["total"]["values"][0]
