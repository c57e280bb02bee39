"""附件1 隐患排查治理工作典型案例台账, as data: its title and columns."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.labels import LEDGER_TITLE  # noqa: F401  (defined with the other report titles)

# --- 附件1 隐患排查治理工作典型案例台账 ----------------------------------------------------------------------

LEDGER_ATTACHMENT = "附件1"


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str


LEDGER_UNIT_COLUMN = LedgerColumn("unit", "单位")  # printed as a column in a city-wide ledger, else in the heading
LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("reported_on", "报送时间"),
    LedgerColumn("filed_on", "立案时间"),
    LedgerColumn("content", "案例内容"),
    LedgerColumn("progress", "典型案例办理进度"),
    LedgerColumn("exposed", "是否依法曝光"),
    LedgerColumn("credit_listed", "是否纳入国家企业信用信息公示系统"),
)
