"""Working days by the official PRC calendar, 调休 (make-up working days) included.

One small interface over three sources, tried per year in this order:

1. ``"official"`` — the ``chinesecalendar`` package, when it holds the year (1.11.0 holds 2004-2026 and raises
   NotImplementedError for any other year);
2. ``"file"`` — ``workflow/holidays.json`` (or the file named by the environment variable
   ``HAZARDTRACK_HOLIDAYS_FILE``, which replaces it), which an admin extends when the State Council publishes
   the next schedule::

       {"2027": {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}}

   ``holidays`` are days off (法定节假日 and the weekdays moved into them); ``workdays`` are the make-up working
   days (调休上班, usually a Saturday or Sunday). Keys starting with "_" are comments;
3. ``"weekends"`` — Monday to Friday are working days. This is a guess, so it is logged as a WARNING on the
   ``hazardtrack.workdays`` logger once per year, and ``calendar_note`` gives the sentence to show on screen.

Results are cached per date. ``reload()`` forgets everything (e.g. after an admin edited the file).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from pathlib import Path
from typing import Literal

import chinese_calendar

__all__ = [
    "HOLIDAYS_FILE_ENV",
    "DEFAULT_HOLIDAYS_FILE",
    "Basis",
    "WorkCalendar",
    "add_working_days",
    "calendar_basis",
    "calendar_note",
    "default_calendar",
    "is_working_day",
    "load_holidays_file",
    "reload",
    "working_days_between",
]

log = logging.getLogger("hazardtrack.workdays")

HOLIDAYS_FILE_ENV = "HAZARDTRACK_HOLIDAYS_FILE"
DEFAULT_HOLIDAYS_FILE = Path(__file__).with_name("holidays.json")

Basis = Literal["official", "file", "weekends"]

_BASIS_LABELS = {
    "official": "国务院办公厅公布的节假日安排",
    "file": "系统节假日文件",
    "weekends": "仅按周末",
}


def _parse_day(value: object, year: int, path: Path) -> dt.date:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"节假日文件 {path}：{year} 年的日期“{value}”格式应为 YYYY-MM-DD") from None
    if day.year != year:
        raise ValueError(f"节假日文件 {path}：日期 {day} 不属于 {year} 年")
    return day


def load_holidays_file(path: Path) -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
    """Read and check a holiday file: {year: (holidays, workdays)}. Raise ValueError naming the problem."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"无法读取节假日文件 {path}：{exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"节假日文件 {path} 不是有效的 JSON：{exc}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"节假日文件 {path} 的顶层应为对象（年份 → 安排）")
    years: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] = {}
    for key, entry in raw.items():
        if key.startswith("_"):
            continue
        if not (len(key) == 4 and key.isdigit()):
            raise ValueError(f"节假日文件 {path}：键“{key}”应为四位年份")
        year = int(key)
        if not isinstance(entry, dict) or set(entry) - {"holidays", "workdays", "_note"}:
            raise ValueError(f"节假日文件 {path}：{year} 年应为 {{\"holidays\": [...], \"workdays\": [...]}}")
        lists = []
        for name in ("holidays", "workdays"):
            values = entry.get(name, [])
            if not isinstance(values, list):
                raise ValueError(f"节假日文件 {path}：{year} 年的 {name} 应为日期列表")
            lists.append(frozenset(_parse_day(v, year, path) for v in values))
        holidays, workdays = lists
        both = sorted(holidays & workdays)
        if both:
            raise ValueError(f"节假日文件 {path}：{both[0]} 同时列为放假日和调休上班日")
        years[year] = (holidays, workdays)
    return years


class WorkCalendar:
    """The working-day calendar. Thread-safe; caches per year (basis) and per date (working or not)."""

    def __init__(self, holidays_file: Path | str | None = None):
        if holidays_file is None:
            env = os.environ.get(HOLIDAYS_FILE_ENV, "").strip()
            if env:
                holidays_file = Path(env)
                if not holidays_file.is_file():
                    raise ValueError(f"环境变量 {HOLIDAYS_FILE_ENV} 指向的节假日文件不存在：{holidays_file}")
            else:
                holidays_file = DEFAULT_HOLIDAYS_FILE
        self.holidays_file = Path(holidays_file)
        self._file: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] | None = None
        self._basis: dict[int, Basis] = {}
        self._days: dict[dt.date, bool] = {}
        self._lock = threading.Lock()

    # -- sources ---------------------------------------------------------------------------------------------

    def _file_years(self) -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
        if self._file is None:
            self._file = load_holidays_file(self.holidays_file) if self.holidays_file.is_file() else {}
        return self._file

    @staticmethod
    def _official_has(year: int) -> bool:
        try:
            chinese_calendar.is_workday(dt.date(year, 1, 1))
        except NotImplementedError:
            return False
        return True

    def basis(self, year: int) -> Basis:
        """Where the calendar of ``year`` comes from: "official", "file" or "weekends"."""
        found = self._basis.get(year)
        if found is not None:
            return found
        with self._lock:
            if year in self._basis:
                return self._basis[year]
            if self._official_has(year):
                found = "official"
            elif year in self._file_years():
                found = "file"
            else:
                found = "weekends"
                log.warning(
                    "No official holiday schedule for %d (chinesecalendar lacks it and %s has no entry): "
                    "counting weekends only. Add the State Council's schedule for %d to the holiday file.",
                    year, self.holidays_file, year,
                )
            self._basis[year] = found
            return found

    # -- queries ---------------------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        day = _as_date(day)
        cached = self._days.get(day)
        if cached is not None:
            return cached
        basis = self.basis(day.year)
        if basis == "official":
            working = bool(chinese_calendar.is_workday(day))
        elif basis == "file":
            holidays, workdays = self._file_years()[day.year]
            working = day in workdays or (day not in holidays and day.weekday() < 5)
        else:
            working = day.weekday() < 5
        self._days[day] = working
        return working

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``start`` (``start`` itself not counted); n < 0 counts backwards.

        n == 0 returns ``start`` unchanged, whether or not it is a working day.
        """
        start = _as_date(start)
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]: after ``a``, up to and including ``b``; negative when b < a.

        So ``working_days_between(a, add_working_days(a, n)) == n``.
        """
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def note(self, start: dt.date, end: dt.date | None = None) -> str | None:
        """A Chinese sentence for the screen when some year in [start, end] is not on the official calendar."""
        start = _as_date(start)
        end = _as_date(end) if end is not None else start
        if end < start:
            start, end = end, start
        parts = []
        for year in range(start.year, end.year + 1):
            basis = self.basis(year)
            if basis == "file":
                parts.append(f"{year}年工作日按{_BASIS_LABELS['file']}计算")
            elif basis == "weekends":
                parts.append(f"{year}年尚未载入官方节假日安排，工作日{_BASIS_LABELS['weekends']}计算，可能与实际不符")
            # official: nothing to say
        return "；".join(parts) + "。" if parts else None


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


_default: WorkCalendar | None = None
_default_lock = threading.Lock()


def default_calendar() -> WorkCalendar:
    """The process-wide calendar (built on first use from HAZARDTRACK_HOLIDAYS_FILE or workflow/holidays.json)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = WorkCalendar()
    return _default


def reload() -> None:
    """Forget the process-wide calendar and its caches; the next call re-reads the environment and the file."""
    global _default
    with _default_lock:
        _default = None


def is_working_day(d: dt.date) -> bool:
    return default_calendar().is_working_day(d)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return default_calendar().add_working_days(start, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    return default_calendar().working_days_between(a, b)


def calendar_basis(year: int) -> Basis:
    return default_calendar().basis(year)


def calendar_note(start: dt.date, end: dt.date | None = None) -> str | None:
    return default_calendar().note(start, end)
