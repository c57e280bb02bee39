"""What the use cases need from storage. db/ implements these; the use cases see nothing else of it.

Records are plain attribute bags (the db rows satisfy them); the domain never imports a table class.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Catalog:
    campaign_id: int
    categories: dict[str, list[str]]  # name → sub-products, in the notice's order
    problem_types: list[str]
    sources: list[str]


class ItemRepository(Protocol):
    def get(self, item_id: int, *, for_update: bool = False) -> Any | None: ...
    def add(self, **fields: Any) -> Any: ...


class EnterpriseRepository(Protocol):
    def by_uscc(self, uscc: str) -> Any | None: ...
    def get(self, enterprise_id: int) -> Any | None: ...


class UnitRepository(Protocol):
    def get(self, unit_id: int) -> Any | None: ...


class UserRepository(Protocol):
    def get(self, user_id: int) -> Any | None: ...


class CatalogRepository(Protocol):
    def active(self) -> Catalog: ...


class HistoryRepository(Protocol):
    def for_item(self, item_id: int) -> list[Any]: ...
    def add(self, **fields: Any) -> Any: ...


class DocumentRepository(Protocol):
    def add(self, **fields: Any) -> Any: ...


class NumberSeries(Protocol):
    def next(self, unit_id: int, kind: str, year: int) -> int: ...


class OverdueQuery(Protocol):
    """The read side's overdue list: items past their deadline on `today`, the campaign's priority category first,
    then most overdue, keyset-paged."""

    def overdue(self, actor: Any, today: dt.date, *, unit: str | None, cursor: str | None,
                limit: int) -> tuple[list[Any], str | None]: ...

    def unit_code(self, unit_id: int) -> str | None: ...


class UnitOfWork(Protocol):
    items: ItemRepository
    enterprises: EnterpriseRepository
    units: UnitRepository
    users: UserRepository
    catalog: CatalogRepository
    history: HistoryRepository
    documents: DocumentRepository
    numbers: NumberSeries

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc: Any) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


def aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment
