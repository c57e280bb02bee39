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
