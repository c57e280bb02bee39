"""Logging, configured once for the web app and the CLI.

`configure()` puts one handler on the root logger (stderr) and sets the root level; calling it again re-reads the
settings and replaces that handler's formatter and level, never adding a second handler. It leaves every other
handler alone (pytest's, a host application's).

Settings (environment):
    HAZARDTRACK_LOG_LEVEL   DEBUG, INFO (default), WARNING, ERROR, CRITICAL
    HAZARDTRACK_LOG_FORMAT  text (default: human-readable lines) or json (one JSON object per line)
An unknown value falls back to the default, with a warning. WeasyPrint's and fontTools' INFO chatter is held back
(CHATTY_LOGGERS) unless the level is DEBUG.

Every record gets a `request_id` attribute (None outside a request) from the context variable the request-log
middleware (web/request_log.py) sets, so any line written while a request is handled names its request.

Lines, text format (control characters in the message escaped, so no client input can start a line):
    2023-07-10 10:00:00,123 INFO hazardtrack.web [3f2a…] message
Lines, JSON format:
    {"time": "2023-07-10T10:00:00.123+08:00", "level": "INFO", "logger": "hazardtrack.web", "message": "…",
     "request_id": "3f2a…"}  (+ "exception" with the traceback when there is one)
Structured records:
    - audit records (`record.audit`, workflow/audit.py): {"time", "level", "logger", "event", …fields, "request_id"},
      written as a JSON object in the text format too, so that audit lines are machine-readable everywhere;
    - access records (`record.access`, web/request_log.py): in JSON their fields (method, path, status, duration_ms,
      user_id) join the object; in text the message already says them.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import os
import re
import sys
from typing import Any, TextIO

LEVEL_ENV = "HAZARDTRACK_LOG_LEVEL"
FORMAT_ENV = "HAZARDTRACK_LOG_FORMAT"
FORMATS = ("text", "json")
# Libraries that narrate their work at INFO (WeasyPrint's rendering steps, fontTools' subsetting): WARNING and up
# unless HAZARDTRACK_LOG_LEVEL=DEBUG.
CHATTY_LOGGERS = ("weasyprint.progress", "fontTools")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("hazardtrack_request_id", default=None)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def current_request_id() -> str | None:
    return request_id_var.get()


def escape_controls(text: str) -> str:
    """Control characters (newlines included) as \\xNN: what a client sent can never start a forged log line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _time(record: logging.LogRecord) -> str:
    return dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def audit_line(record: logging.LogRecord) -> str:
    fields = dict(record.audit)  # type: ignore[attr-defined]
    data: dict[str, Any] = {"time": _time(record), "level": record.levelname, "logger": record.name,
                            "event": fields.pop("event", None)}
    data.update(fields)
    data["request_id"] = getattr(record, "request_id", None)
    return _json(data)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger [request id] message`; audit records as a JSON object; control characters escaped."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(rid)s] %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        values = dict(record.__dict__, message=escape_controls(record.message),
                      rid=getattr(record, "request_id", None) or "-")
        return self._style._fmt % values  # type: ignore[union-attr]

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(getattr(record, "audit", None), dict):
            return audit_line(record)
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per record (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(getattr(record, "audit", None), dict):
            return audit_line(record)
        data: dict[str, Any] = {"time": _time(record), "level": record.levelname, "logger": record.name,
                                "message": record.getMessage()}
        access = getattr(record, "access", None)
        if isinstance(access, dict):
            data.update({k: v for k, v in access.items() if k not in data})
        data["request_id"] = getattr(record, "request_id", None)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return _json(data)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (as logging.lastResort does), so a replaced stderr is followed."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:  # logging.StreamHandler.__init__ assigns it
        pass


_MARK = "_hazardtrack_handler"


def _install_record_factory() -> None:
    previous = logging.getLogRecordFactory()
    if getattr(previous, _MARK, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = request_id_var.get()
        return record

    setattr(factory, _MARK, True)
    logging.setLogRecordFactory(factory)


def our_handler() -> logging.Handler | None:
    return next((h for h in logging.getLogger().handlers if getattr(h, _MARK, False)), None)


def _parse_level(value: str | None) -> tuple[int, str | None]:
    if not value:
        return logging.INFO, None
    level = logging.getLevelName(value.strip().upper())
    if isinstance(level, int):
        return level, None
    return logging.INFO, f"{LEVEL_ENV}={value!r} is not a level; using INFO"


def configure(*, level: str | None = None, fmt: str | None = None) -> logging.Handler:
    """Set up logging (idempotent). `level` and `fmt` override the environment variables."""
    problems = []
    levelno, problem = _parse_level(level if level is not None else os.environ.get(LEVEL_ENV))
    if problem:
        problems.append(problem)
    chosen = (fmt if fmt is not None else os.environ.get(FORMAT_ENV, "text")).strip().lower() or "text"
    if chosen not in FORMATS:
        problems.append(f"{FORMAT_ENV}={chosen!r} is not one of {', '.join(FORMATS)}; using text")
        chosen = "text"

    _install_record_factory()
    root = logging.getLogger()
    handler = our_handler()
    if handler is None:
        handler = _StderrHandler()
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    handler.setLevel(logging.NOTSET)
    root.setLevel(levelno)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if levelno <= logging.DEBUG else logging.WARNING)
    for message in problems:
        logging.getLogger("hazardtrack").warning(message)
    return handler
