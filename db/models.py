"""SQLModel tables. Datetimes are stored timezone-aware (UTC); business dates are plain dates (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, Column, DateTime, Float, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflow.enterprise_fields import FIELD as ENTERPRISE


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def timestamp(**kw: Any) -> Any:
    """An aware UTC timestamp column, defaulting to now."""
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kw)


class Unit(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    name: str = Field(max_length=100)
    label: str = Field(max_length=50)
    short_name: str = Field(max_length=10)
    kind: str = Field(max_length=20)  # district | special | enforcement | division
    enforces: bool = True
    position: int = 0
    number_format: Optional[str] = Field(default=None, max_length=100)  # None: the default format


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True, index=True)
    full_name: str = Field(max_length=50)
    role: str = Field(max_length=20)
    unit_id: Optional[int] = Field(default=None, foreign_key="unit.id", index=True)
    password_hash: str = Field(max_length=200)
    active: bool = True
    created_at: dt.datetime = timestamp()


class WebSession(SQLModel, table=True):
    """A signed-in browser's server-side session (web/sessions.py). `id` is the sha256 of the cookie's session id
    (the table never holds a usable id); `user_id` lets a password reset or a disable end the user's sessions in
    the same transaction; `expires_at` in Unix seconds on the app's clock."""

    __tablename__ = "web_session"
    id: str = Field(primary_key=True, max_length=64)
    user_id: Optional[int] = Field(default=None, foreign_key="user.id", index=True)
    data: bytes = Field(sa_type=LargeBinary)
    expires_at: int = Field(sa_type=BigInteger, index=True)


class LoginFailure(SQLModel, table=True):
    """Failed sign-ins per throttle key (`user:<name>` or `ip:<address>`), shared by every server process
    (web/login_throttle.py holds the policy, db/login_failures.py the reads and writes). Times in Unix seconds."""

    __tablename__ = "login_failure"
    key: str = Field(primary_key=True, max_length=120)
    failures: int = 0
    first_at: float = Field(sa_type=Float)
    last_at: float = Field(sa_type=Float, index=True)


class Campaign(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=50, unique=True)  # e.g. campaign_2023 (the file's `key`, else its stem)
    name: str = Field(max_length=200)
    notice_number: str = Field(max_length=100)
    issued_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    phases: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reporting_deadlines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # What is special to this campaign (notice title, priority category, special-inspection rule, 附件2 columns):
    # workflow.campaigns.CampaignRules.to_json(), from the campaign file; read through db.campaigns.rules_of.
    rules: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    active: bool = True


class Category(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("campaign_id", "name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    position: int
    name: str = Field(max_length=100)
    sub_products: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class CatalogTerm(SQLModel, table=True):
    """Problem types and sources of a campaign's catalog."""

    __tablename__ = "catalog_term"
    __table_args__ = (UniqueConstraint("campaign_id", "kind", "name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    kind: str = Field(max_length=20)  # problem_type | source
    position: int
    name: str = Field(max_length=100)
    domain: Optional[str] = Field(default=None, max_length=20)  # production | circulation (problem types)


class Enterprise(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    # Column sizes come from the one field definition (workflow.enterprise_fields), as do the form and the import.
    uscc: str = Field(max_length=ENTERPRISE["uscc"].max_length, unique=True, index=True)
    name: str = Field(max_length=ENTERPRISE["name"].max_length, index=True)
    address: str = Field(default="", max_length=ENTERPRISE["address"].max_length)
    legal_rep: str = Field(default="", max_length=ENTERPRISE["legal_rep"].max_length)
    phone: str = Field(default="", max_length=ENTERPRISE["phone"].max_length)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(default="生产", max_length=ENTERPRISE["kind"].max_length)  # 生产 | 销售 | 生产和销售
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class HazardItem(SQLModel, table=True):
    __tablename__ = "hazard_item"
    __table_args__ = (
        Index("ix_item_unit_state_id", "unit_id", "state", "id"),
        Index("ix_item_unit_deadline", "unit_id", "deadline"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    category: str = Field(max_length=100, index=True)
    sub_product: Optional[str] = Field(default=None, max_length=100)
    problem_type: str = Field(max_length=100)
    source: str = Field(max_length=100)
    facts: str = Field(sa_type=Text)
    found_on: dt.date = Field(index=True)
    state: str = Field(max_length=20, index=True)
    version: int = 1
    deadline: Optional[dt.date] = Field(default=None, index=True)  # the current deadline; overdue is derived
    case_deadline: Optional[dt.date] = None  # the 90-day decision deadline, kept while seized or transferred
    state_since: dt.date  # business date of the last transition
    measures: str = Field(default="", sa_type=Text)  # the latest rectification requirements (问题清单 整治措施)
    handler_id: int = Field(foreign_key="user.id")  # 承办人 — the person responsible
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class ItemEvent(SQLModel, table=True):
    """Append-only history: one row per event fired on an item (UPDATE and DELETE refused by the database,
    migration 0007)."""

    __tablename__ = "item_event"
    __table_args__ = (UniqueConstraint("item_id", "seq"), Index("ix_item_event_event_date", "event", "on_date"))
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="hazard_item.id", index=True)
    seq: int
    event: str = Field(max_length=40)
    from_state: Optional[str] = Field(default=None, max_length=20)
    to_state: str = Field(max_length=20)
    actor_id: int = Field(foreign_key="user.id")
    actor_name: str = Field(max_length=50)
    on_date: dt.date
    at: dt.datetime = timestamp()
    input: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    document_id: Optional[int] = Field(default=None, foreign_key="document.id")
    # The chain (workflow/chain.py): the hash of the item's previous row (None for the first) and of this row.
    prev_hash: Optional[str] = Field(default=None, max_length=64)
    hash: str = Field(max_length=64)


class Document(SQLModel, table=True):
    """Append-only like the history (migration 0007): the one update allowed is sha256 from NULL to a value."""

    __table_args__ = (UniqueConstraint("unit_id", "kind", "year", "serial"), UniqueConstraint("number"))
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: Optional[int] = Field(default=None, foreign_key="hazard_item.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    kind: str = Field(max_length=40)
    year: int
    serial: int
    number: str = Field(max_length=100)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    template_version: int = 1
    snapshot_sha256: str = Field(max_length=64)  # of the snapshot's canonical JSON, stored at creation
    sha256: Optional[str] = Field(default=None, max_length=64)  # of the PDF, set once after its first render
    created_at: dt.datetime = timestamp()


class NumberSeries(SQLModel, table=True):
    """The last number issued per (unit, document kind, year). Allocated inside the transition's transaction."""

    __tablename__ = "number_series"
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    kind: str = Field(max_length=40, primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


class ReportSubmission(SQLModel, table=True):
    """A unit's submission of one reporting deadline: 附件2 and 附件1 frozen as JSON at submission time."""

    __tablename__ = "report_submission"
    __table_args__ = (
        UniqueConstraint("number"),
        UniqueConstraint("unit_id", "year", "serial"),
        Index("ix_report_submission_unit_deadline", "unit_id", "deadline_key"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    deadline_key: str = Field(max_length=40)  # e.g. monthly-2023-06-30
    due_on: dt.date
    period_from: dt.date
    period_to: dt.date
    year: int
    serial: int
    number: str = Field(max_length=100)  # 沪市监浦报统〔2023〕3号
    submitted_by: int = Field(foreign_key="user.id")
    submitted_by_name: str = Field(max_length=50)
    submitted_at: dt.datetime = timestamp()
    submitted_on: dt.date  # business date (Asia/Shanghai) of submitted_at: on time when ≤ due_on
    frozen: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)


class SupervisionFlag(SQLModel, table=True):
    """One 挂牌督办 notice on an item (item_id set) or on a unit (item_id NULL)."""

    __tablename__ = "supervision_flag"
    __table_args__ = (Index("ix_supervision_flag_unit_open", "unit_id", "closed_at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)  # the unit flagged, or the flagged item's unit
    item_id: Optional[int] = Field(default=None, foreign_key="hazard_item.id", index=True)
    note: str = Field(sa_type=Text)
    created_by: int = Field(foreign_key="user.id")
    created_by_name: str = Field(max_length=50)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    closed_at: Optional[dt.datetime] = Field(default=None, sa_type=DateTime(timezone=True))
    closed_by: Optional[int] = Field(default=None, foreign_key="user.id")
    closed_by_name: Optional[str] = Field(default=None, max_length=50)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
