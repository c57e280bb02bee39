"""Audit events: who did what, as structured records on the `hazardtrack.audit` logger."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("hazardtrack.audit")


def audit(event: str, **fields: Any) -> None:
    """Emit one audit record; `record.audit` holds {"event": event, **fields} for the formatter."""
    log.info(event, extra={"audit": {"event": event, **fields}})
