"""Shared fixtures: migrated databases (SQLite and a real PostgreSQL the suite starts itself), users, enterprises."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from db.engine import Database, open_database
from db.models import Enterprise, Unit, User
from db.setup import initialise
from db.uow import SqlUnitOfWork
from tests.pg import TemporaryPostgres
from workflow.actor import Actor
from workflow.clock import SHANGHAI, FixedClock

os.environ.setdefault("HAZARDTRACK_SECRET_KEY", "test-secret-key-not-for-production-0123456789")

# A fixed "now" inside the 2023 campaign keeps dates and working days deterministic: the web tests run on a clock
# pinned here (never the machine's), so every deadline they compute lies inside the official holiday calendar.
NOW = dt.datetime(2023, 7, 10, 10, 0, tzinfo=SHANGHAI)
PUDONG_USCC = "91310115591693856A"
YANGPU_USCC = "91310110666007217T"


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryPostgres]:
    server = TemporaryPostgres()
    server.start()
    yield server
    server.stop()


_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_template(postgres: TemporaryPostgres) -> str:
    """A migrated PostgreSQL database with reference data; each test clones it (CREATE DATABASE … TEMPLATE)."""
    admin = create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text("CREATE DATABASE template_hazardtrack"))
    admin.dispose()
    database = open_database(postgres.url("template_hazardtrack"))
    initialise(database)
    database.dispose()
    return "template_hazardtrack"


def _new_pg_database(postgres: TemporaryPostgres, template: str) -> Database:
    name = f"t{next(_counter)}_{os.getpid()}"
    admin = create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE {template}'))
    admin.dispose()
    return open_database(postgres.url(name))


class MovableClock(FixedClock):
    """The app's clock in tests: pinned (at NOW unless told otherwise), moved only when a test says so. Like the
    real clock it answers in UTC, whatever zone the moment was given in."""

    def __init__(self, moment: dt.datetime = NOW):
        super().__init__(moment)
        self.set(moment)

    def advance(self, **delta: float) -> dt.datetime:
        self.moment = self.moment + dt.timedelta(**delta)
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self.moment = moment.astimezone(dt.timezone.utc)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(NOW)


def build_sqlite_template(path: Path) -> Path:
    """Migrates a fresh SQLite file and loads the reference data, then leaves it complete on its own: the WAL is
    checkpointed into the main file and truncated and every connection closed, so a plain file copy is the whole
    database."""
    database = open_database(f"sqlite:///{path}")
    initialise(database)
    database.dispose()
    connection = sqlite3.connect(path, isolation_level=None)  # autocommit: a checkpoint cannot run in a transaction
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    wal = path.with_name(path.name + "-wal")
    if busy or (wal.exists() and wal.stat().st_size):
        raise RuntimeError(f"the SQLite template {path} was not fully checkpointed")
    return path


_sqlite_template: Path | None = None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """One migrated SQLite database with reference data per session (Alembic runs once, not once per test);
    each test gets its own copy (tests/db/test_setup.py still migrates for real)."""
    global _sqlite_template
    path = build_sqlite_template(tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3")
    _sqlite_template = path
    return path


def _new_sqlite_database(tmp_path: Path, template: Path | None = None) -> Database:
    """A private copy of the migrated template in `tmp_path`."""
    template = template or _sqlite_template
    if template is None:
        raise RuntimeError("request the sqlite_template fixture before making SQLite databases")
    target = Path(tmp_path) / "test.sqlite3"
    shutil.copyfile(template, target)
    return open_database(f"sqlite:///{target}")


@pytest.fixture
def sqlite_db(tmp_path, sqlite_template: Path) -> Iterator[Database]:
    database = _new_sqlite_database(tmp_path, sqlite_template)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db(request, tmp_path) -> Iterator[Database]:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = _new_sqlite_database(tmp_path, request.getfixturevalue("sqlite_template"))
    else:
        database = _new_pg_database(request.getfixturevalue("postgres"), request.getfixturevalue("pg_template"))
    yield database
    database.dispose()


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    return sqlite_db


def unit_id(database: Database, code: str) -> int:
    with Session(database.reader) as s:
        from sqlalchemy import select

        return s.execute(select(Unit.id).where(Unit.code == code)).scalar_one()


def add_user(database: Database, username: str, role: str, unit_code: str | None, name: str | None = None) -> Actor:
    """Adds a user with a cheap fixed hash (argon2 is exercised in the auth tests)."""
    uid = unit_id(database, unit_code) if unit_code else None
    with Session(database.writer) as s:
        user = User(username=username, full_name=name or username, role=role, unit_id=uid,
                    password_hash="$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$ZmFrZWhhc2g")
        s.add(user)
        s.commit()
        return Actor(user.id, user.username, user.full_name, user.role, user.unit_id)


def add_enterprise(database: Database, uscc: str, unit_code: str, name: str = "上海宏达燃气器具有限公司") -> int:
    with Session(database.writer) as s:
        e = Enterprise(uscc=uscc, name=name, address="上海市浦东新区张江路100号", legal_rep="王伟",
                       phone="021-58881234", unit_id=unit_id(database, unit_code), kind="生产和销售")
        s.add(e)
        s.commit()
        return e.id


class World:
    """A small populated database: two units, their handlers and leaders, a supervisor, one enterprise each."""

    def __init__(self, database: Database):
        self.db = database
        self.handler = add_user(database, "pd.handler", "handler", "310115", "张三")
        self.leader = add_user(database, "pd.leader", "leader", "310115", "李四")
        self.other_handler = add_user(database, "yp.handler", "handler", "310110", "王五")
        self.other_leader = add_user(database, "yp.leader", "leader", "310110", "赵六")
        self.supervisor = add_user(database, "city.supervisor", "supervisor", None, "周督导")
        self.admin = add_user(database, "city.admin", "admin", None, "管理员")
        add_enterprise(database, PUDONG_USCC, "310115")
        add_enterprise(database, YANGPU_USCC, "310110", "上海杨浦电动车销售有限公司")

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.db)


def register_input(**overrides: Any) -> dict[str, Any]:
    data = dict(
        enterprise_uscc=PUDONG_USCC, category="燃气用品", sub_product="家用燃气灶", problem_type="质量低劣",
        source="监督抽查", facts="经抽样检验，该企业生产的家用燃气灶熄火保护装置不合格。", found_on="2023-07-03",
    )
    data.update(overrides)
    return data


@pytest.fixture
def world(db: Database) -> World:
    return World(db)


@pytest.fixture
def any_world(any_db: Database) -> World:
    return World(any_db)


EVENT_INPUTS: dict[str, Callable[[dt.date], dict[str, Any]]] = {
    "order_rectification": lambda today: dict(deadline=(today + dt.timedelta(days=20)).isoformat(),
                                              requirements="立即停止销售并召回", legal_basis="《产品质量法》第四十九条"),
    "extend_rectification": lambda today: dict(deadline=(today + dt.timedelta(days=60)).isoformat(), reason="设备更换"),
    "verify_rectification": lambda today: dict(verified_on=today.isoformat(), findings="已整改到位"),
    "file_case": lambda today: dict(offence="销售不合格产品案", reasons="违法事实清楚", legal_provisions="《程序规定》第二十条"),
    "seize": lambda today: dict(items=[dict(name="家用燃气灶", spec="JZT-2", unit="台", quantity="12")],
                                place="当事人仓库", period_days=30),
    "transfer_to_judiciary": lambda today: dict(receiving_organ="上海市公安局浦东分局", suspected_offence="销售伪劣产品罪",
                                                amount_involved="150000", materials="移送书、调查报告"),
    "judiciary_returned": lambda today: dict(reason="公安机关不予立案"),
    "close_case": lambda today: dict(outcome="处罚", decision_number="沪市监浦处〔2023〕101号", fine_amount="50000",
                                     case_value="30000"),
    "dismiss": lambda today: dict(reason="核查不属实"),
    "start_recheck": lambda today: dict(scheduled_on=(today + dt.timedelta(days=10)).isoformat()),
    "pass_recheck": lambda today: dict(findings="未发现问题反弹"),
}


def event_input(event: str, state: str, today: dt.date) -> dict[str, Any]:
    data = EVENT_INPUTS[event](today)
    if event == "close_case" and state == "transferred":
        data = dict(outcome="移送已受理", decision_number="", fine_amount="0", case_value="150000")
    return data


class CliResult:
    """What one `hazardtrack …` run printed and returned."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr

    def __repr__(self) -> str:
        return f"CliResult({self.returncode}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def cli(monkeypatch, capsys) -> Callable[..., CliResult]:
    """Runs the command line in this process — `web.cli.main(argv)`, as the installed `hazardtrack` script does —
    with `env` set (None removes a variable) and `stdin` as standard input. Seconds faster than a subprocess per
    command; tests/db/test_setup.py keeps one real subprocess of the installed script."""
    import io
    import sys

    from web.cli import main

    def run(*args: str, stdin: str = "", env: dict[str, str | None] | None = None) -> CliResult:
        for name, value in (env or {}).items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()  # what ran before is not this command's output
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's usage errors
            code = stop.code if isinstance(stop.code, int) else 1
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
