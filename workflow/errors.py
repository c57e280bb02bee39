"""Domain errors. Each maps to one HTTP status in web/; messages are Chinese because people read them."""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """The record does not exist, or belongs to a unit the caller may not see (existence is not revealed)."""

    code = "not_found"


class Forbidden(DomainError):
    """The caller's role or unit may not do this."""

    code = "forbidden"


class Conflict(DomainError):
    """The item moved on: stale version, or the event is not allowed in the current state."""

    code = "conflict"


class InputInvalid(DomainError):
    """Input failed validation; `fields` maps each offending field to a Chinese message."""

    code = "invalid_input"

    def __init__(self, fields: dict[str, str], detail: str | None = None):
        self.fields = dict(fields)
        super().__init__(detail or "输入有误：" + "；".join(f"{k}：{v}" for k, v in self.fields.items()))
