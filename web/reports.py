"""Reports as bytes in each format: one dispatch shared by the CLI, the API and the pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session

from db.issue_list import issue_list_rows
from workflow.labels import CITY_LONG_NAME, REPORT_TITLES, period_text

FORMATS = {"pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json"}
TITLES = REPORT_TITLES  # kind → title, for file names


def _issues(session: Session, unit, start: dt.date, end: dt.date, fmt: str, today: dt.date, campaign) -> bytes:
    """The 问题清单, dated `today` (制表日期): the business date of the caller's clock."""
    from documents.issue_list import issue_list_pdf, issue_list_xlsx

    rows = issue_list_rows(session, unit_id=unit.id if unit else None, date_from=start, date_to=end,
                           campaign=campaign)
    name = unit.name if unit else CITY_LONG_NAME
    if fmt == "json":
        return _json({"unit": unit.code if unit else None, "from": start.isoformat(), "to": end.isoformat(),
                      "items": rows})
    render = issue_list_pdf if fmt == "pdf" else issue_list_xlsx
    return render(name, rows, today, period_text(start, end))


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _statistics(session: Session, unit, start: dt.date, end: dt.date, fmt: str, today: dt.date,
                campaign) -> bytes:
    from db.statistics import statistics
    from documents.statistics_report import statistics_pdf, statistics_xlsx

    data = statistics(session, unit_id=unit.id if unit else None, date_from=start, date_to=end,
                      campaign=campaign).to_json()
    if fmt == "json":
        return _json(data)
    return statistics_pdf(data) if fmt == "pdf" else statistics_xlsx(data)


def _ledger(session: Session, unit, start: dt.date, end: dt.date, fmt: str, today: dt.date, campaign) -> bytes:
    from db.ledger import ledger
    from documents.ledger_report import ledger_pdf, ledger_xlsx

    data = ledger(session, unit_id=unit.id if unit else None, date_from=start, date_to=end,
                  campaign=campaign).to_json()
    if fmt == "json":
        return _json(data)
    return ledger_pdf(data) if fmt == "pdf" else ledger_xlsx(data)


REPORTS = {"issues": _issues, "statistics": _statistics, "ledger": _ledger}


def render_report(session: Session, kind: str, unit, start: dt.date, end: dt.date, fmt: str, *,
                  today: dt.date, campaign=None) -> bytes:
    """`today` is the business date of the caller's clock (never the machine's): the 问题清单 prints it as its
    制表日期; 附件1 and 附件2 are dated by their period, so that one period gives the same bytes. `campaign`
    (a db.models.Campaign): whose records, catalog and columns; None: the campaign of `start`."""
    if fmt not in FORMATS:
        raise ValueError("格式应为 pdf、xlsx 或 json")
    if kind not in REPORTS:
        raise ValueError(f"没有名为 {kind} 的报表")
    return REPORTS[kind](session, unit, start, end, fmt, today, campaign)
