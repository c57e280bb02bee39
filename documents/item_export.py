"""The filtered hazard-item list as XLSX (隐患清单), as the list page's 导出 button downloads it.

The rows come from the caller (web/pages/items.py reads them page by page with the list's keyset query); this
module only writes them, with openpyxl's write-only workbook so that memory stays flat up to EXPORT_CAP rows.
One row per item: dates are real date cells, the days left are a number (negative: overdue).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from documents import sheets
from workflow.labels import overdue_label
from workflow.table import STATE_LABELS

SHEET_TITLE = "隐患清单"
EXPORT_CAP = 50_000
COLUMNS: tuple[tuple[str, float], ...] = (
    ("编号", 8), ("单位", 14), ("企业名称", 30), ("统一社会信用代码", 22), ("产品类别", 16), ("具体产品", 16),
    ("问题类型", 20), ("发现来源", 10), ("发现日期", 12), ("状态", 12), ("当前期限", 12), ("是否逾期", 9),
    ("剩余（负数为逾期）天数", 12), ("整治措施", 40), ("隐患事实", 60),
)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center")


@dataclass(frozen=True)
class ItemExport:
    data: bytes
    rows: int  # rows written (at most the cap)
    truncated: bool  # more items matched than the cap


def row_values(item: Any, enterprise: Any, unit: Any, today: dt.date) -> list[Any]:
    """One item's cells, in COLUMNS order, on the business date `today`."""
    days = (item.deadline - today).days if item.deadline else None
    return [item.id, unit.label, enterprise.name, enterprise.uscc, item.category, item.sub_product or "",
            item.problem_type, item.source, item.found_on, STATE_LABELS[item.state], item.deadline,
            overdue_label(days), days, item.measures, item.facts]


def items_xlsx(rows: Iterable[tuple[Any, Any, Any]], today: dt.date, *, cap: int = EXPORT_CAP) -> ItemExport:
    """Write (item, enterprise, unit) rows up to `cap`; one row past the cap marks the export truncated and adds
    a last line saying so."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheets.set_widths(sheet, [width for _, width in COLUMNS])
    sheet.freeze_panes = "A2"
    header = []
    for title, _ in COLUMNS:
        cell = sheets.write_only_cell(sheet, title)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)

    source: Iterator[tuple[Any, Any, Any]] = iter(rows)
    count = 0
    for item, enterprise, unit in source:
        if count == cap:
            break
        sheet.append([sheets.write_only_cell(sheet, v) for v in row_values(item, enterprise, unit, today)])
        count += 1
    else:
        return ItemExport(sheets.workbook_bytes(workbook), count, False)
    sheet.append([sheets.write_only_cell(sheet, f"仅导出前 {cap:,} 条，请缩小筛选范围后分批导出")])
    return ItemExport(sheets.workbook_bytes(workbook), count, True)
