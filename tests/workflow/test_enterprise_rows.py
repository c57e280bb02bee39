import datetime as dt
import io

import openpyxl
import pytest

from workflow.enterprise_rows import (
    COLUMNS,
    EnterpriseRow,
    RowError,
    format_errors,
    parse_enterprise_file,
    read_rows,
    validate_rows,
)

UNITS = {
    "310115": "310115",
    "上海市浦东新区市场监督管理局": "310115",
    "310101": "310101",
    "上海市黄浦区市场监督管理局": "310101",
}


def lookup(text):
    return UNITS.get(text)


HEADER = ",".join(COLUMNS)
GOOD_CSV = (
    HEADER
    + "\n91310115591693856A,上海甲燃气器具有限公司,上海市浦东新区张江路1号,张三,021-58881234,310115,生产\n"
    + "91310110666007217T,上海乙电器销售有限公司,上海市杨浦区国定路2号,李四,,上海市黄浦区市场监督管理局,销售\n"
)


def csv_bytes(*lines, bom=False):
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def check(filename, data):
    return validate_rows(read_rows(filename, data), lookup)


def test_a_good_csv_gives_one_enterprise_per_row():
    good, errors = check("enterprises.csv", GOOD_CSV.encode("utf-8"))
    assert errors == []
    assert good == [
        EnterpriseRow("91310115591693856A", "上海甲燃气器具有限公司", "上海市浦东新区张江路1号", "张三",
                      "021-58881234", "310115", "生产"),
        EnterpriseRow("91310110666007217T", "上海乙电器销售有限公司", "上海市杨浦区国定路2号", "李四",
                      "", "310101", "销售"),
    ]


def test_a_csv_with_a_byte_order_mark_reads_the_first_column_header():
    data = b"\xef\xbb\xbf" + GOOD_CSV.encode("utf-8")
    rows = read_rows("enterprises.CSV", data)
    assert list(rows[0]) == list(COLUMNS)
    good, errors = validate_rows(rows, lookup)
    assert errors == [] and len(good) == 2


def make_xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("其他")  # only the first sheet is read
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_good_xlsx_reads_numbers_as_text_without_a_decimal_point():
    data = make_xlsx(
        [
            list(COLUMNS),
            ["91310115591693856A", "上海甲燃气器具有限公司", "上海市浦东新区张江路1号", "张三", 13812345678, 310115, "生产和销售"],
            [None] * 7,  # a blank row in the middle is skipped but keeps the row numbers right
            ["91310110666007217T", "上海乙电器销售有限公司", None, None, 58881234.0, "310101", "销售"],
        ]
    )
    rows = read_rows("企业名单.xlsx", data)
    assert rows[0]["联系电话"] == "13812345678"
    assert rows[0]["所属单位"] == "310115"
    assert rows[2]["联系电话"] == "58881234"
    good, errors = validate_rows(rows, lookup)
    assert errors == []
    assert [(e.uscc, e.phone, e.unit_code, e.kind) for e in good] == [
        ("91310115591693856A", "13812345678", "310115", "生产和销售"),
        ("91310110666007217T", "58881234", "310101", "销售"),
    ]


def test_xlsx_dates_and_fractions_become_plain_text():
    data = make_xlsx([["a", "b"], [dt.datetime(2023, 7, 19), 1.5]])
    assert read_rows("x.xlsx", data) == [{"a": "2023-07-19", "b": "1.5"}]


def test_a_bad_check_character_names_the_row_the_column_and_the_expected_character():
    data = csv_bytes(HEADER, "91310115591693856A,甲,,,,310115,生产", "91310110666007217B,乙,,,,310115,销售")
    good, errors = check("e.csv", data)
    assert errors == [RowError(3, "统一社会信用代码", "校验位错误：应为 T，实为 B")]
    assert format_errors(errors) == "第 3 行 统一社会信用代码：校验位错误：应为 T，实为 B"


def test_missing_columns_are_named_and_no_row_is_checked():
    data = csv_bytes("统一社会信用代码,企业名称,住所,法定代表人,所属单位", "bad,,,,,")
    good, errors = check("e.csv", data)
    assert good == []
    assert errors[0] == RowError(1, "表头", "缺少列：联系电话、企业类型")
    assert all(e.row == 1 for e in errors)


def test_an_extra_column_is_refused_because_the_header_must_be_exact():
    data = csv_bytes("序号," + HEADER, "1,91310115591693856A,甲,,,,310115,生产")
    good, errors = check("e.csv", data)
    assert RowError(1, "表头", "多余的列：序号") in errors


def test_columns_may_come_in_any_order():
    data = csv_bytes("企业类型,企业名称,所属单位,统一社会信用代码,住所,法定代表人,联系电话",
                     "销售,甲,310115,91310115591693856A,,,")
    good, errors = check("e.csv", data)
    assert errors == [] and good[0].kind == "销售"


def test_an_unknown_unit_is_refused():
    data = csv_bytes(HEADER, "91310115591693856A,甲,,,,上海市外滩区市场监督管理局,生产")
    good, errors = check("e.csv", data)
    assert [(e.row, e.column) for e in errors] == [(2, "所属单位")]
    assert "未知单位“上海市外滩区市场监督管理局”" in errors[0].reason


def test_an_enterprise_kind_outside_the_three_is_refused():
    data = csv_bytes(HEADER, "91310115591693856A,甲,,,,310115,进口")
    good, errors = check("e.csv", data)
    assert errors == [RowError(2, "企业类型", "“进口”无效：应为 生产、销售、生产和销售 之一")]


def test_a_code_repeated_inside_the_file_is_refused_naming_the_first_row():
    data = csv_bytes(HEADER, "91310115591693856A,甲,,,,310115,生产", "91310115591693856a,甲二,,,,310115,销售")
    good, errors = check("e.csv", data)
    assert errors == [RowError(3, "统一社会信用代码", "91310115591693856A 与第 2 行重复")]


def test_every_bad_cell_of_every_row_is_reported():
    long_name = "企" * 201
    data = csv_bytes(
        HEADER,
        f"913101155916938,{long_name},,,电话：123,,",
        ",,,,+86 21 5888-1234,310115,生产",
    )
    good, errors = check("e.csv", data)
    assert good == []
    assert [(e.row, e.column) for e in errors] == [
        (2, "统一社会信用代码"), (2, "企业名称"), (2, "联系电话"), (2, "所属单位"), (2, "企业类型"),
        (3, "统一社会信用代码"), (3, "企业名称"),
    ]
    assert "长度应为 18 位" in errors[0].reason
    assert "不能超过 200 个字符" in errors[1].reason


def test_a_phone_longer_than_30_characters_is_refused():
    data = csv_bytes(HEADER, "91310115591693856A,甲,,,0" + "1" * 30 + ",310115,生产")
    good, errors = check("e.csv", data)
    assert [(e.column, e.reason) for e in errors] == [("联系电话", "不能超过 30 个字符（实为 31 个）")]


def test_a_header_without_data_rows_is_an_error_for_the_whole_file():
    good, errors = check("e.csv", csv_bytes(HEADER, ",,,,,,"))
    assert errors == [RowError(0, "", "文件中没有企业数据（表头以下没有数据行）")]
    assert format_errors(errors) == "文件：文件中没有企业数据（表头以下没有数据行）"


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("e.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 Excel"),
        ("e.txt", b"x", "不支持的文件类型"),
        ("e.xlsx", b"not a zip", "不是有效的 XLSX"),
        ("e.csv", "统一社会信用代码".encode("gbk"), "不是 UTF-8 编码"),
        ("e.csv", b"", "文件是空的"),
        ("e.csv", "企业名称,企业名称\n甲,乙\n".encode(), "“企业名称”列重复"),
    ],
)
def test_an_unreadable_file_is_a_clear_error(filename, data, message):
    with pytest.raises(ValueError, match=message):
        read_rows(filename, data)
    good, errors = parse_enterprise_file(filename, data, lookup)
    assert good == [] and len(errors) == 1 and errors[0].row == 0 and message in errors[0].reason


def test_parse_enterprise_file_reads_and_checks_in_one_call():
    good, errors = parse_enterprise_file("e.csv", GOOD_CSV.encode(), lookup)
    assert errors == [] and len(good) == 2


def test_unnamed_empty_columns_are_ignored_but_unnamed_columns_with_data_are_refused():
    assert list(read_rows("e.csv", csv_bytes(HEADER + ",", "91310115591693856A,甲,,,,310115,生产,"))[0]) == list(COLUMNS)
    data = csv_bytes(HEADER + ",", "91310115591693856A,甲,,,,310115,生产,备注")
    good, errors = check("e.csv", data)
    assert RowError(1, "表头", "多余的列：第 8 列") in errors


# --- bounded reading (issue 9: a 3 MB XLSX inflating to 3 GB; a 134 KB CSV of 100,000 rows) -------------------

import struct  # noqa: E402
import tracemalloc  # noqa: E402
import zipfile  # noqa: E402

from workflow import enterprise_rows  # noqa: E402
from workflow.enterprise_rows import MAX_DATA_ROWS, MAX_LISTED_ERRORS, RowErrors  # noqa: E402


def good_xlsx(rows=(("91310115591693856A", "上海甲燃气器具有限公司", "", "", "", "310115", "生产"),)) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(list(COLUMNS))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, change) -> bytes:
    """The same archive with `change(name, bytes) -> bytes` applied to each member."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return out.getvalue()


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """`data` with `member`'s declared inflated size set to `size` in its local header and the central directory
    (a crafted archive: what a zip bomb declares, without writing gigabytes)."""
    blob = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := blob.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            length = struct.unpack_from("<H", blob, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if blob[name_at:name_at + length] == name:
                struct.pack_into("<I", blob, start + offset, size)
            start += 4
    return bytes(blob)


def no_openpyxl(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the archive check should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_shared_strings_declared_to_inflate_to_3_gb_are_refused_before_openpyxl_reads_anything(monkeypatch):
    strings = "<sst>" + "<si><t>上海某某燃气器具有限公司</t></si>" * 100_000 + "</sst>"  # 4 MB, compresses well
    out = io.BytesIO(good_xlsx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    data = declare_size(out.getvalue(), "xl/sharedStrings.xml", 3 * 1024 ** 3)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml").file_size == 3 * 1024 ** 3
    assert len(data) < 1024 * 1024
    no_openpyxl(monkeypatch)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="解压后过大.*疑似压缩炸弹"):
            read_rows("bomb.xlsx", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # a few times the file, never its declared 3 GB


def test_a_member_that_really_inflates_past_the_bound_is_refused_from_its_declared_size(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_xlsx())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info.filename, source.read(info))
        with bomb.open("xl/sharedStrings.xml", "w") as member:  # 21 MB of XML streamed in, ~100 KB stored
            chunk = ("<si><t>x</t></si>" * 4096).encode()
            for _ in range(21 * 1024 * 1024 // len(chunk) + 1):
                member.write(chunk)
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    no_openpyxl(monkeypatch)
    with pytest.raises(ValueError, match="疑似压缩炸弹"):
        read_rows("bomb.xlsx", data)


def test_a_member_inflating_past_its_declared_size_is_cut_there_and_the_file_refused():
    data = good_xlsx()
    sheet = "xl/worksheets/sheet1.xml"
    lying = declare_size(data, sheet, 100)  # the real sheet is longer: zipfile stops at 100 bytes, CRC fails
    with pytest.raises(ValueError, match="不是有效的 XLSX"):
        read_rows("lying.xlsx", lying)


def test_an_archive_of_too_many_members_is_refused(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(enterprise_rows.MAX_XLSX_MEMBERS + 1):
            archive.writestr(f"x/{n}.xml", "")
    no_openpyxl(monkeypatch)
    with pytest.raises(ValueError, match="压缩包内文件过多"):
        read_rows("many.xlsx", out.getvalue())
    small = io.BytesIO()
    with zipfile.ZipFile(small, "w") as archive:
        for n in range(30_000):  # a central directory of ~1.5 MB …
            archive.writestr(f"{n}", "")
    lying = bytearray(small.getvalue())
    struct.pack_into("<HH", lying, lying.rfind(b"PK\x05\x06") + 8, 10, 10)  # … whose end record claims 10 members
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: pytest.fail("the directory was read into memory"))
    with pytest.raises(ValueError, match="压缩包内文件过多"):
        read_rows("lying.xlsx", bytes(lying))


def test_a_sheet_claiming_a_huge_dimension_is_read_by_its_real_rows_only(monkeypatch):
    data = rewrite(good_xlsx(), lambda name, body: body.replace(b'<dimension ref="A1:G2"', b'<dimension ref="A1:XFD200000"')
                   if name.startswith("xl/worksheets/") else body)
    assert b"XFD200000" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    converted, widths = [], []
    real_text, real_table = enterprise_rows._cell_text, enterprise_rows._bounded_table
    monkeypatch.setattr(enterprise_rows, "_cell_text", lambda v: converted.append(v) or real_text(v))

    def table(rows, text):
        return real_table((widths.append(len(row)) or row for row in rows), text)

    monkeypatch.setattr(enterprise_rows, "_bounded_table", table)
    rows = read_rows("claims.xlsx", data)
    assert [r["统一社会信用代码"] for r in rows] == ["91310115591693856A"]
    assert widths == [7, 7]  # the rows as written, not padded to column XFD (16,384 cells each)
    assert len(converted) <= 2 * enterprise_rows.MAX_COLUMNS  # and never more than 50 cells of a row converted


def test_a_row_with_data_past_the_column_bound_is_refused():
    row = ["91310115591693856A", "甲", "", "", "", "310115", "生产"] + [""] * 60 + ["藏在第 68 列"]
    with pytest.raises(ValueError, match="第 2 行超过 50 列"):
        read_rows("wide.csv", csv_bytes(HEADER, ",".join(row)))
    with pytest.raises(ValueError, match="第 2 行超过 50 列"):
        read_rows("wide.xlsx", good_xlsx([row]))
    empty_tail = csv_bytes(HEADER, ",".join(row[:-1]))  # empty columns past the bound are only trimmed
    assert len(read_rows("wide.csv", empty_tail)) == 1


def test_a_csv_of_100000_rows_is_refused_at_the_row_bound():
    data = csv_bytes(HEADER, *["1"] * 100_000)
    assert len(data) < 300 * 1024
    with pytest.raises(ValueError, match=f"超过 {MAX_DATA_ROWS:,} 行数据的上限（第 {MAX_DATA_ROWS + 2:,} 行仍有数据）"):
        read_rows("rows.csv", data)
    good, errors = parse_enterprise_file("rows.csv", data, lookup)
    assert good == [] and len(errors) == 1


def test_blank_rows_after_the_data_do_not_count_against_the_row_bound_and_the_bound_itself_is_allowed():
    assert len(read_rows("e.csv", csv_bytes(HEADER, "1", *[","] * 30_000))) == 1
    assert len(read_rows("e.csv", csv_bytes(HEADER, *["1"] * MAX_DATA_ROWS))) == MAX_DATA_ROWS


def test_a_file_over_20_mb_is_refused_before_it_is_parsed():
    with pytest.raises(ValueError, match="超过 20 MB"):
        read_rows("big.csv", b"," * (enterprise_rows.MAX_FILE_BYTES + 1))


def test_at_most_100_errors_are_kept_and_all_are_counted():
    bad = "91310115591693856B,上海甲燃气器具有限公司,,,,310115,生产"  # a wrong check digit on every row
    good, errors = check("bad.csv", csv_bytes(HEADER, *[bad] * 5_000))
    assert good == [] and isinstance(errors, RowErrors)
    assert len(errors) == MAX_LISTED_ERRORS and errors.total == 5_000 and errors.unlisted == 4_900
    assert [e.row for e in errors] == list(range(2, 2 + MAX_LISTED_ERRORS))  # the first ones, by row
    text = format_errors(errors)
    assert text.count("\n") == MAX_LISTED_ERRORS and text.endswith("另有 4,900 处错误未列出（共 5,000 处）")


def test_merged_error_lists_keep_the_first_errors_of_the_file_and_sum_the_totals():
    a = RowErrors(RowError(r, "甲", "x") for r in range(2, 300, 2))
    b = RowErrors(RowError(r, "乙", "y") for r in range(3, 300, 2))
    merged = a.merged(b)
    assert [e.row for e in merged] == list(range(2, 2 + MAX_LISTED_ERRORS)) and merged.total == a.total + b.total
