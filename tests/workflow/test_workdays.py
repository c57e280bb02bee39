import datetime as dt
import json
import logging

import pytest

from workflow import workdays
from workflow.workdays import HOLIDAYS_FILE_ENV, WorkCalendar

D = dt.date


@pytest.fixture(autouse=True)
def fresh_default_calendar(monkeypatch):
    monkeypatch.delenv(HOLIDAYS_FILE_ENV, raising=False)
    workdays.reload()
    yield
    workdays.reload()


@pytest.fixture
def no_file(tmp_path):
    """A calendar whose holiday file does not exist: only the package and weekends."""
    return WorkCalendar(tmp_path / "absent.json")


def test_fifteen_working_days_from_25_september_2023_skip_national_day_and_count_the_make_up_weekend():
    # 09-29 … 10-06 are holidays; Saturday 10-07 and Sunday 10-08 are 调休 working days.
    assert workdays.add_working_days(D(2023, 9, 25), 15) == D(2023, 10, 20)
    assert not workdays.is_working_day(D(2023, 10, 2))
    assert workdays.is_working_day(D(2023, 10, 7))
    assert workdays.is_working_day(D(2023, 10, 8))
    assert workdays.working_days_between(D(2023, 9, 25), D(2023, 10, 20)) == 15


def test_spring_festival_2024_has_sunday_make_up_days_on_4_and_18_february():
    assert workdays.is_working_day(D(2024, 2, 4))
    assert workdays.is_working_day(D(2024, 2, 18))
    assert not any(workdays.is_working_day(D(2024, 2, day)) for day in range(10, 18))
    # Thursday 02-08: Friday 02-09 is the first working day after it, Sunday 02-18 the second.
    assert workdays.add_working_days(D(2024, 2, 8), 1) == D(2024, 2, 9)
    assert workdays.add_working_days(D(2024, 2, 8), 2) == D(2024, 2, 18)


def test_the_start_day_is_not_counted_and_zero_days_is_the_start_itself():
    saturday = D(2023, 6, 3)
    assert workdays.add_working_days(saturday, 0) == saturday
    assert workdays.add_working_days(saturday, 1) == D(2023, 6, 5)
    assert workdays.add_working_days(D(2023, 6, 5), 1) == D(2023, 6, 6)


def test_negative_counts_go_backwards_and_between_is_antisymmetric():
    assert workdays.add_working_days(D(2023, 10, 9), -1) == D(2023, 10, 8)
    assert workdays.add_working_days(D(2023, 10, 9), -3) == D(2023, 9, 28)
    assert workdays.working_days_between(D(2023, 10, 20), D(2023, 9, 25)) == -15
    assert workdays.working_days_between(D(2023, 9, 25), D(2023, 9, 25)) == 0


def test_years_the_package_knows_are_official():
    assert workdays.calendar_basis(2023) == "official"
    assert workdays.calendar_basis(2026) == "official"
    assert workdays.calendar_note(D(2023, 9, 25), D(2023, 10, 20)) is None


def test_a_2027_date_falls_back_to_weekends_with_one_warning_per_year(no_file, caplog):
    caplog.set_level(logging.WARNING, logger="hazardtrack.workdays")
    assert no_file.basis(2027) == "weekends"
    assert no_file.is_working_day(D(2027, 1, 1))  # a Friday: New Year unknown, so counted as working
    assert not no_file.is_working_day(D(2027, 1, 2))  # a Saturday
    assert no_file.add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)
    no_file.is_working_day(D(2027, 3, 3))
    warnings = [r for r in caplog.records if r.name == "hazardtrack.workdays" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2027" in warnings[0].getMessage()
    assert "2027年尚未载入官方节假日安排" in no_file.note(D(2026, 12, 20), D(2027, 1, 10))


def test_a_deadline_from_late_2026_into_2027_does_not_fail(no_file):
    assert no_file.add_working_days(D(2026, 12, 20), 15) == D(2027, 1, 8)


def test_the_repository_holiday_file_is_valid_and_claims_no_unofficial_year():
    years = workdays.load_holidays_file(workdays.DEFAULT_HOLIDAYS_FILE)
    assert all(year >= 2027 for year in years)


def write_2027(path):
    path.write_text(
        json.dumps(
            {
                "_note": "test schedule, not official",
                "2027": {"holidays": ["2027-01-01", "2027-02-08"], "workdays": ["2027-02-06"]},
            }
        ),
        encoding="utf-8",
    )
    return path


def test_a_holiday_file_makes_the_basis_file_and_is_honoured(tmp_path, caplog):
    calendar = WorkCalendar(write_2027(tmp_path / "holidays.json"))
    caplog.set_level(logging.WARNING, logger="hazardtrack.workdays")
    assert calendar.basis(2027) == "file"
    assert not calendar.is_working_day(D(2027, 1, 1))  # a listed holiday on a Friday
    assert calendar.is_working_day(D(2027, 2, 6))  # a listed make-up Saturday
    assert not calendar.is_working_day(D(2027, 2, 8))  # a listed holiday on a Monday
    assert not calendar.is_working_day(D(2027, 2, 7))  # an unlisted Sunday
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.basis(2026) == "official"  # the package still wins where it has the year
    assert not [r for r in caplog.records if r.name == "hazardtrack.workdays"]
    assert calendar.note(D(2027, 1, 1)) == "2027年工作日按系统节假日文件计算。"


def test_the_environment_variable_names_the_holiday_file(tmp_path, monkeypatch):
    monkeypatch.setenv(HOLIDAYS_FILE_ENV, str(write_2027(tmp_path / "override.json")))
    workdays.reload()
    assert workdays.calendar_basis(2027) == "file"
    assert not workdays.is_working_day(D(2027, 1, 1))


def test_an_environment_variable_naming_a_missing_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(HOLIDAYS_FILE_ENV, str(tmp_path / "missing.json"))
    workdays.reload()
    with pytest.raises(ValueError, match="节假日文件不存在"):
        workdays.calendar_basis(2027)


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "不是有效的 JSON"),
        ('{"27": {}}', "四位年份"),
        ('{"2027": {"holidays": ["2027-13-01"]}}', "格式应为 YYYY-MM-DD"),
        ('{"2027": {"holidays": ["2028-01-01"]}}', "不属于 2027 年"),
        ('{"2027": {"holidays": ["2027-02-06"], "workdays": ["2027-02-06"]}}', "同时列为"),
    ],
)
def test_a_malformed_holiday_file_is_refused_naming_the_problem(tmp_path, content, message):
    path = tmp_path / "holidays.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        WorkCalendar(path).basis(2027)


def test_datetimes_are_taken_as_their_date():
    assert workdays.is_working_day(dt.datetime(2023, 10, 7, 9, 30))
