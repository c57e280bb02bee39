"""Audit events: who did what, as one structured log record per event.

Call it where the thing has happened (after the commit for a write, at the decision for a sign-in)::

    from workflow.audit import audit

    audit("sign_in", user_id=user.id, username=user.username, via="page")
    audit("enterprises_imported", user_id=actor.user_id, unit_id=actor.unit_id, file="企业.xlsx", count=120)
    audit("submission_submitted", user_id=actor.user_id, submission_id=sub.id, period="2023-07")

API
    ``audit(event: str, /, **fields) -> None``
        Emits one INFO record on the logger ``hazardtrack.audit`` (``AUDIT_LOGGER``). The record carries
        ``record.audit == {"event": event, **fields}`` (a new dict); its message is a readable
        ``event key=value …`` for handlers that know nothing of the attribute. The formatter installed by
        ``web.logging_setup`` renders it as one JSON object ``{"time", "level", "logger", "event", …fields,
        "request_id"}`` in both the text and the JSON log format.

Rules for callers
    - ``event`` is snake_case, past tense or a noun for what happened: ``sign_in``, ``sign_in_failed``, ``lockout``,
      ``sign_out``, ``item_registered``, ``flag_raised``, ``user_created`` … (``[a-z][a-z0-9_]*``, else ValueError).
    - Say who: ``user_id`` for the acting user (``actor.user_id``); name the records touched by id (``item_id``,
      ``enterprise_id``, ``flag_id``, ``target_user_id`` …).
    - Field names may not be ``event``, ``time``, ``level``, ``logger``, ``message`` or ``request_id`` (those the
      line has already; ValueError). The request id is added by the logging set-up, not by callers.
    - Values should be JSON-able (str, int, float, bool, None, lists/dicts of those); anything else is written with
      ``str()``. Never a password, a token, a session id or free text a user typed at length (search terms, facts):
      truncate what a user typed (a username to 50 characters) and prefer ids and counts.

Pure standard library: this module imports nothing from web/, db/ or documents/ (DESIGN §6).
"""

from __future__ import annotations

import logging
import re
from typing import Any

AUDIT_LOGGER = "hazardtrack.audit"
RESERVED_FIELDS = frozenset({"event", "time", "level", "logger", "message", "request_id"})
_EVENT_NAME = re.compile(r"[a-z][a-z0-9_]*")

_log = logging.getLogger(AUDIT_LOGGER)


def audit(event: str, /, **fields: Any) -> None:
    """Record that `event` happened, with `fields` describing it (see the module docstring)."""
    if not isinstance(event, str) or not _EVENT_NAME.fullmatch(event):
        raise ValueError(f"audit event names are snake_case identifiers, not {event!r}")
    clash = RESERVED_FIELDS.intersection(fields)
    if clash:
        raise ValueError(f"audit fields may not be named {', '.join(sorted(clash))}")
    if not _log.isEnabledFor(logging.INFO):
        return
    text = " ".join([event, *(f"{key}={value!r}" for key, value in fields.items())])
    _log.info("%s", text, extra={"audit": {"event": event, **fields}}, stacklevel=2)
