"""Dates and Chinese labels are defined once, in workflow.labels, and everything that prints one uses it."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from workflow import clock, labels
from workflow.clock import SHANGHAI
from workflow.labels import (CITY_LABEL, CITY_LONG_NAME, REPORT_TITLES, SUBMISSION_STATUS_LABELS, calendar_day,
                             chinese_date, days_left_label, overdue_label, period_text, scope_label, shanghai_time)

REPO = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc


# --- the Chinese date ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [dt.date(2023, 7, 9), "2023-07-09", dt.datetime(2023, 7, 9, 12, 0, tzinfo=SHANGHAI)])
def test_a_date_an_iso_text_and_a_moment_print_alike_without_padding(value):
    assert chinese_date(value) == "2023年7月9日"


def test_a_moment_prints_on_its_shanghai_business_day():
    just_after_midnight = dt.datetime(2023, 7, 9, 16, 30, tzinfo=UTC)  # 2023-07-10 00:30 in Shanghai
    assert chinese_date(just_after_midnight) == "2023年7月10日"
    assert chinese_date(just_after_midnight.isoformat()) == "2023年7月10日"


def test_a_naive_moment_is_a_stored_utc_time_as_sqlite_returns_it():
    assert chinese_date(dt.datetime(2023, 7, 9, 16, 30)) == "2023年7月10日"
    assert chinese_date("2023-07-09T16:30:00") == "2023年7月10日"
    assert shanghai_time(dt.datetime(2023, 7, 9, 16, 30)) == dt.datetime(2023, 7, 10, 0, 30, tzinfo=SHANGHAI)


def test_no_date_prints_the_callers_blank():
    assert chinese_date(None) == "" and chinese_date("") == ""
    assert chinese_date(None, blank="/") == "/"


def test_a_value_that_is_no_date_fails_loudly():
    with pytest.raises(ValueError):
        chinese_date("tomorrow")


def test_calendar_day_reads_dates_texts_and_moments():
    assert calendar_day("2023-12-31") == dt.date(2023, 12, 31)
    assert calendar_day(dt.datetime(2023, 12, 31, 23, 0, tzinfo=UTC)) == dt.date(2024, 1, 1)
    assert calendar_day(None) is None


def test_a_period_is_written_as_the_notice_writes_it():
    assert period_text(dt.date(2023, 6, 1), dt.date(2023, 6, 30)) == "2023年6月1日至2023年6月30日"
    assert period_text("2023-06-01", "2023-06-30") == "2023年6月1日至2023年6月30日"


def test_the_clock_module_delegates_to_the_one_definition():
    for day in (dt.date(2023, 1, 1), dt.date(2023, 10, 31)):
        assert clock.chinese_date(day) == chinese_date(day)


# --- deadline, status and scope labels -------------------------------------------------------------------------


@pytest.mark.parametrize("days, text", [(None, "无期限"), (-2, "逾期 2 天"), (0, "今天到期"), (3, "剩余 3 天")])
def test_a_deadline_says_how_it_stands(days, text):
    assert days_left_label(days) == text


def test_only_a_passed_deadline_is_overdue():
    assert [overdue_label(d) for d in (None, 0, 1, -1)] == ["否", "否", "否", "是"]


def test_the_city_and_the_report_titles_read_as_before():
    assert CITY_LABEL == "全市"
    assert CITY_LONG_NAME == "上海市市场监督管理局（全市）"
    assert REPORT_TITLES == {"issues": "问题清单", "statistics": "重点工业产品质量安全隐患排查治理情况统计表",
                             "ledger": "隐患排查治理工作典型案例台账"}
    assert SUBMISSION_STATUS_LABELS == {"submitted": "按时报送", "late": "逾期报送", "missing": "逾期未报",
                                        "pending": "未到期"}


def test_the_scope_is_the_units_label_or_the_city():
    class Unit:
        label = "浦东新区"

    assert scope_label(Unit()) == "浦东新区"
    assert scope_label(None) == "全市"


# --- everything that prints a label uses these ------------------------------------------------------------------


def test_pages_documents_and_the_tables_use_the_same_functions_and_constants():
    from db import submissions
    from documents import render
    from web import reports
    from workflow import ledger_columns, statistics_columns

    env = type("Engine", (), {"engine": __import__("jinja2").Environment()})()
    from web.template_env import configure_environment

    configure_environment(env)
    assert env.engine.filters["cn_date"] is chinese_date
    assert env.engine.filters["days"] is days_left_label
    assert render.ENV.filters["cn_date"].func is chinese_date and render.cn_date(None) == "/"
    assert reports.TITLES is REPORT_TITLES
    assert submissions.STATUS_LABELS is SUBMISSION_STATUS_LABELS
    assert statistics_columns.STATISTICS_TITLE is labels.STATISTICS_TITLE
    assert statistics_columns.CITY_LABEL is CITY_LABEL
    assert ledger_columns.LEDGER_TITLE is labels.LEDGER_TITLE


_DATE_FORMAT = re.compile(r"年\{[^}]*\}月\{[^}]*\}日")  # an f-string writing a date by hand


def _python_files(*packages: str):
    for package in packages:
        yield from (REPO / package).rglob("*.py")


def test_no_module_of_documents_or_workflow_writes_a_chinese_date_or_the_city_by_hand():
    labels_file = REPO / "workflow" / "labels.py"
    for path in _python_files("documents", "workflow"):
        if path == labels_file:
            continue
        source = path.read_text(encoding="utf-8")
        assert not _DATE_FORMAT.search(source), f"{path.relative_to(REPO)} formats a date itself"
        strings = [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)
                   and isinstance(n.value, str)]
        # 全市 as a label (not inside a sentence such as a counting rule)
        assert CITY_LABEL not in strings and CITY_LONG_NAME not in strings, f"{path.relative_to(REPO)} spells 全市"


def test_the_labels_module_is_pure():
    tree = ast.parse((REPO / "workflow" / "labels.py").read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert {m.split(".")[0] for m in modules if m} <= {"__future__", "datetime", "typing", "workflow"}
