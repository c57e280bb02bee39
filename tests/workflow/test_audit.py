"""Audit events are plain log records on `hazardtrack.audit` with the event and its fields as `record.audit`."""

from __future__ import annotations

import logging

import pytest

from workflow.audit import AUDIT_LOGGER, audit


class Records:
    def __init__(self, caplog):
        self.caplog = caplog

    def __iter__(self):
        return iter(self.list())

    def __getitem__(self, i):
        return self.list()[i]

    def __bool__(self):
        return bool(self.list())

    def list(self) -> list[logging.LogRecord]:
        return [r for r in self.caplog.records if r.name == AUDIT_LOGGER]


@pytest.fixture
def records(caplog) -> Records:
    caplog.set_level(logging.INFO, logger=AUDIT_LOGGER)
    return Records(caplog)


def test_an_event_becomes_one_info_record_with_its_fields(records):
    audit("item_registered", user_id=3, item_id=17, unit="310115")
    (record,) = records
    assert record.name == AUDIT_LOGGER == "hazardtrack.audit" and record.levelno == logging.INFO
    assert record.audit == {"event": "item_registered", "user_id": 3, "item_id": 17, "unit": "310115"}
    assert record.getMessage() == "item_registered user_id=3 item_id=17 unit='310115'"


def test_the_record_points_at_the_caller(records):
    audit("sign_out", user_id=1)
    assert records[0].funcName == "test_the_record_points_at_the_caller"


def test_an_event_without_fields_is_fine(records):
    audit("nightly_check")
    assert records[0].audit == {"event": "nightly_check"}


@pytest.mark.parametrize("name", ["", "Sign In", "sign-in", "1st", "签到"])
def test_event_names_are_snake_case(records, name):
    with pytest.raises(ValueError):
        audit(name)
    assert not records


@pytest.mark.parametrize("field", ["time", "level", "logger", "message", "request_id"])
def test_fields_cannot_shadow_what_the_line_already_has(records, field):
    with pytest.raises(ValueError):
        audit("sign_in", **{field: "x"})
    assert not records


def test_nothing_is_built_when_the_audit_logger_is_off(caplog):
    caplog.set_level(logging.WARNING, logger=AUDIT_LOGGER)
    audit("sign_in", user_id=1)
    assert not [r for r in caplog.records if r.name == AUDIT_LOGGER]
