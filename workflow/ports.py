"""What the use cases need from storage. db/ implements these (db/repositories.py, db/uow.py); the tests' in-memory
fakes (tests/workflow/fakes.py) implement them too. The use cases see nothing else of storage.

Records are attribute bags: the db rows satisfy the record protocols below, and so do the fakes' plain objects. The
domain never imports a table class. A use case changes a record by setting its attributes inside the unit of work;
`commit()` makes every change of the block durable at once, leaving the block without it undoes them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol, Sequence

# --- records ----------------------------------------------------------------------------------------------------


class UnitRecord(Protocol):
    id: int
    code: str
    name: str
    label: str
    short_name: str
    kind: str
    enforces: bool
    number_format: str | None


class UserRecord(Protocol):
    id: int
    username: str
    full_name: str
    role: str
    unit_id: int | None
    password_hash: str
    active: bool


class CampaignRecord(Protocol):
    id: int
    key: str
    name: str
    notice_number: str
    starts_on: dt.date
    ends_on: dt.date
    reporting_deadlines: list[dict[str, Any]]


class EnterpriseRecord(Protocol):
    id: int
    uscc: str
    name: str
    address: str
    legal_rep: str
    phone: str
    unit_id: int
    kind: str
    updated_at: dt.datetime


class ItemRecord(Protocol):
    id: int
    campaign_id: int
    unit_id: int
    enterprise_id: int
    category: str
    sub_product: str | None
    problem_type: str
    source: str
    facts: str
    found_on: dt.date
    state: str
    version: int
    deadline: dt.date | None
    case_deadline: dt.date | None
    state_since: dt.date
    measures: str
    handler_id: int
    updated_at: dt.datetime


class HistoryRecord(Protocol):
    seq: int
    event: str
    from_state: str | None
    to_state: str
    actor_name: str
    on_date: dt.date
    input: dict[str, Any]
    document_id: int | None


class DocumentRecord(Protocol):
    id: int
    number: str
    sha256: str | None


class ActivityRecord(Protocol):
    """An activity record of any kind (workflow.record_kinds.KINDS): its kind's fields plus these."""

    id: int
    campaign_id: int
    unit_id: int
    created_by: int
    updated_by: int | None
    updated_at: dt.datetime


class SubmissionRecord(Protocol):
    id: int
    number: str
    unit_id: int


class FlagRecord(Protocol):
    id: int
    unit_id: int
    item_id: int | None
    note: str
    closed_at: dt.datetime | None
    closed_by: int | None
    closed_by_name: str | None


@dataclass(frozen=True)
class Catalog:
    campaign_id: int
    categories: dict[str, list[str]]  # name → sub-products, in the notice's order
    problem_types: list[str]
    sources: list[str]


@dataclass(frozen=True)
class SpecialInspectionCase:
    """An enterprise the two-failures rule lists for a 专门现场检查, with what registering it needs."""

    enterprise_id: int
    enterprise_uscc: str
    unit_id: int
    category: str
    sub_product: str | None
    facts: str
    source: str
    problem_type: str
    follow_up_item_id: int | None  # a hazard item already registered after the latest failure


# --- repositories -----------------------------------------------------------------------------------------------


class ItemRepository(Protocol):
    def get(self, item_id: int, *, for_update: bool = False) -> ItemRecord | None: ...
    def add(self, **fields: Any) -> ItemRecord: ...


class EnterpriseRepository(Protocol):
    def by_uscc(self, uscc: str, *, for_update: bool = False) -> EnterpriseRecord | None: ...
    def get(self, enterprise_id: int, *, for_update: bool = False) -> EnterpriseRecord | None: ...
    def add(self, **fields: Any) -> EnterpriseRecord: ...
    def known_usccs(self, usccs: Iterable[str]) -> set[str]: ...
    def add_many(self, rows: Sequence[Mapping[str, Any]]) -> int: ...


class UnitRepository(Protocol):
    def get(self, unit_id: int) -> UnitRecord | None: ...
    def find(self, code_or_name: str) -> UnitRecord | None: ...
    def all(self) -> list[UnitRecord]: ...


class UserRepository(Protocol):
    def get(self, user_id: int, *, for_update: bool = False) -> UserRecord | None: ...
    def by_username(self, username: str, *, any_case: bool = False) -> UserRecord | None: ...
    def add(self, **fields: Any) -> UserRecord: ...
    def active_admins(self) -> int: ...
    def end_sessions(self, user_id: int) -> None: ...  # every signed-in browser session of the user


class CatalogRepository(Protocol):
    def for_date(self, day: dt.date) -> Catalog: ...
    def for_campaign(self, campaign_id: int) -> Catalog: ...


class CampaignRepository(Protocol):
    def of_date(self, day: dt.date) -> CampaignRecord: ...
    def get(self, campaign_id: int) -> CampaignRecord | None: ...


class HistoryRepository(Protocol):
    def for_item(self, item_id: int) -> list[HistoryRecord]: ...
    def add(self, **fields: Any) -> HistoryRecord: ...
    def first_on(self, item_id: int, event: str) -> dt.date | None: ...


class DocumentRepository(Protocol):
    def add(self, **fields: Any) -> DocumentRecord: ...
    def get(self, document_id: int, *, for_update: bool = False) -> DocumentRecord | None: ...
    def numbers(self, ids: Iterable[int]) -> dict[int, str]: ...


class NumberSeries(Protocol):
    def next(self, unit_id: int, kind: str, year: int) -> int: ...


class RecordRepository(Protocol):
    """The activity records, each kind in its own table."""

    def add(self, kind: str, **fields: Any) -> ActivityRecord: ...
    def get(self, kind: str, record_id: int, *, for_update: bool = False) -> ActivityRecord | None: ...
    def exists_for_item(self, kind: str, item_id: int, *, except_id: int | None = None) -> bool: ...
    def public(self, kind: str, record: ActivityRecord) -> dict[str, Any]: ...


class SubmissionRepository(Protocol):
    def add(self, **fields: Any) -> SubmissionRecord: ...
    def public(self, submission: SubmissionRecord) -> dict[str, Any]: ...


class FlagRepository(Protocol):
    def add(self, **fields: Any) -> FlagRecord: ...
    def get(self, flag_id: int, *, for_update: bool = False) -> FlagRecord | None: ...


class ReportQueries(Protocol):
    """The two tables a submission freezes, computed inside the submitting transaction (JSON-able dicts)."""

    def statistics(self, *, campaign_id: int, unit_id: int, date_from: dt.date,
                   date_to: dt.date) -> dict[str, Any]: ...
    def ledger(self, *, campaign_id: int, unit_id: int, date_from: dt.date, date_to: dt.date) -> dict[str, Any]: ...


class SpecialInspectionQueries(Protocol):
    def case(self, enterprise_id: int, *, reference: dt.date) -> SpecialInspectionCase | None: ...
    def not_listed_reason(self, *, reference: dt.date) -> str: ...


class UnitOfWork(Protocol):
    items: ItemRepository
    enterprises: EnterpriseRepository
    units: UnitRepository
    users: UserRepository
    catalog: CatalogRepository
    campaigns: CampaignRepository
    history: HistoryRepository
    documents: DocumentRepository
    numbers: NumberSeries
    records: RecordRepository
    submissions: SubmissionRepository
    flags: FlagRepository
    reports: ReportQueries
    special_inspections: SpecialInspectionQueries

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc: Any) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class OverdueQuery(Protocol):
    """The read side's overdue list: items past their deadline on `today`, the campaign's priority category first,
    then most overdue, keyset-paged."""

    def overdue(self, actor: Any, today: dt.date, *, unit: str | None, cursor: str | None,
                limit: int) -> tuple[list[Any], str | None]: ...

    def unit_code(self, unit_id: int) -> str | None: ...


def aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment

