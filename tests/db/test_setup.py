"""Set-up and reference data: `init` is idempotent; imports are all-or-nothing; the CLI does what DESIGN §7 says."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
from argon2 import PasswordHasher
from sqlalchemy import func, inspect, select
from sqlmodel import Session

from demo import load_demo
from db.engine import open_database
from db.uow import SqlUnitOfWork
from tests.conftest import NOW
from workflow.enterprises import import_enterprises
from db.models import Category, Document, Enterprise, HazardItem, Unit, User
from db.setup import initialise
from tests.conftest import _new_sqlite_database
from workflow.table import State

HEADER = "统一社会信用代码,企业名称,住所,法定代表人,联系电话,所属单位,企业类型"


def table_counts(database):
    with Session(database.reader) as s:
        names = inspect(database.reader).get_table_names()
        from sqlalchemy import text

        return {n: s.execute(text(f'select count(*) from "{n}"')).scalar_one() for n in names}


def test_init_migrates_an_empty_database_to_the_schema_the_suite_copies(tmp_path, sqlite_template):
    """initialise() for real on an empty file (the other SQLite tests start from a copy of a template it made)."""
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    database = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    added = initialise(database)
    assert added["units"] == 22 and added["campaigns"] >= 1 and added["categories"] == 20 and added["terms"] > 0
    head = ScriptDirectory.from_config(alembic_config(database.url)).get_current_head()
    with database.reader.connect() as c:
        from sqlalchemy import text

        assert c.execute(text("select version_num from alembic_version")).scalar_one() == head
    (tmp_path / "copy").mkdir()
    template = _new_sqlite_database(tmp_path / "copy", sqlite_template)  # a copy, as every test gets
    try:
        assert table_counts(database) == table_counts(template)
        assert sorted(inspect(database.reader).get_table_names()) == sorted(inspect(template.reader).get_table_names())
    finally:
        template.dispose()
        database.dispose()


def test_init_twice_changes_nothing(any_db):
    before = table_counts(any_db)
    added = initialise(any_db)
    assert not any(added.values())
    assert table_counts(any_db) == before
    with Session(any_db.reader) as s:
        assert s.execute(select(func.count()).select_from(Unit)).scalar_one() == 22
        names = list(s.execute(select(Category.name).order_by(Category.position)).scalars())
    assert names[0] == "危险化学品" and names[11] == "燃气用品" and names[-1] == "儿童学生用品" and len(names) == 20


def test_an_import_with_one_bad_uscc_imports_nothing_and_names_the_row(db):
    csv = "\n".join([HEADER,
                     "91310115591693856A,上海宏达燃气器具有限公司,浦东新区张江路1号,王伟,021-58881234,310115,生产",
                     "91310110666007217X,上海杨浦电动车有限公司,杨浦区长阳路2号,李娜,021-65551234,310110,销售"])
    result = import_enterprises(SqlUnitOfWork(db), "firms.csv", csv.encode("utf-8"), NOW)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码")]
    assert "应为 T" in result.errors[0].reason
    with Session(db.reader) as s:
        assert s.execute(select(func.count()).select_from(Enterprise)).scalar_one() == 0


def test_a_good_xlsx_import_adds_every_row_with_its_unit(db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["91310115591693856A", "上海宏达燃气器具有限公司", "浦东新区张江路1号", "王伟", "021-58881234", "310115", "生产"])
    sheet.append(["91310110666007217T", "上海杨浦电动车有限公司", "杨浦区长阳路2号", "李娜", "", "上海市杨浦区市场监督管理局", "生产和销售"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_enterprises(SqlUnitOfWork(db), "firms.xlsx", buffer.getvalue(), NOW)
    assert result.ok and result.imported == 2
    with Session(db.reader) as s:
        rows = s.execute(select(Enterprise.uscc, Unit.code).join(Unit)).all()
    assert sorted(rows) == [("91310110666007217T", "310110"), ("91310115591693856A", "310115")]


def test_reimporting_a_known_enterprise_is_refused_rather_than_overwritten(db):
    csv = HEADER + "\n91310115591693856A,上海宏达燃气器具有限公司,,,,310115,生产\n"
    assert import_enterprises(SqlUnitOfWork(db), "a.csv", csv.encode(), NOW).ok
    result = import_enterprises(SqlUnitOfWork(db), "a.csv", csv.replace("宏达", "别名").encode(), NOW)
    assert not result.ok and result.errors[0].row == 2


AFTER_THE_CAMPAIGN = dt.date(2024, 3, 15)  # a pinned "today" by which every demo path has run its course


def test_demo_fills_every_state_with_consistent_documents(db):
    database = db
    summary = load_demo(database, items_per_unit=8, enterprises_per_unit=6, today=AFTER_THE_CAMPAIGN)
    assert summary.items == 19 * 8
    with Session(database.reader) as s:
        states = set(s.execute(select(HazardItem.state)).scalars())
        roles = set(s.execute(select(User.role)).scalars())
        documents = s.execute(select(func.count()).select_from(Document)).scalar_one()
    assert {s.value for s in State} <= states | {"transferred"}
    assert {"found", "rectifying", "case_filed", "closed"} <= states
    assert roles == {"handler", "leader", "supervisor", "admin"}
    assert documents >= summary.items
    assert load_demo(database, today=AFTER_THE_CAMPAIGN).skipped


def test_the_installed_hazardtrack_script_initialises_a_new_data_dir(tmp_path):
    """One real subprocess of the console script (the other CLI tests call web.cli.main in-process)."""
    import os

    script = Path(sys.executable).with_name("hazardtrack")
    env = {k: v for k, v in os.environ.items() if k != "HAZARDTRACK_DATABASE_URL"}
    env["HAZARDTRACK_DATA_DIR"] = str(tmp_path)
    first = subprocess.run([str(script), "init"], capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("已初始化：") and "units +22" in first.stdout
    with sqlite3.connect(tmp_path / "hazardtrack.sqlite3") as made:
        assert made.execute("select count(*) from unit").fetchone()[0] == 22
    usage = subprocess.run([str(script), "no-such-command"], capture_output=True, text=True, env=env, timeout=300)
    assert usage.returncode == 2 and "hazardtrack" in usage.stderr


NO_URL = {"HAZARDTRACK_DATABASE_URL": None}  # the data dir's SQLite file, whatever the environment says


def test_cli_init_create_user_and_import(tmp_path, cli):
    env = {"HAZARDTRACK_DATA_DIR": str(tmp_path), **NO_URL}
    first = cli("init", env=env)
    assert first.returncode == 0, first.stderr
    assert "units +22" in first.stdout
    second = cli("init", env=env)
    assert second.returncode == 0 and "无需更改" in second.stdout
    made = cli("create-user", "pd.zhang", "--role", "handler", "--unit", "310115", stdin="s3cret-pass\n", env=env)
    assert made.returncode == 0, made.stderr
    refused = cli("create-user", "nobody", "--role", "handler", stdin="s3cret-pass\n", env=env)
    assert refused.returncode != 0 and "单位" in refused.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n91310115591693856B,某公司,,,,310115,生产\n", encoding="utf-8")
    result = cli("import-enterprises", str(bad), env=env)
    assert result.returncode == 1 and "第 2 行" in result.stderr and "应为 A" in result.stderr
    assert cli("import-enterprises", str(tmp_path / "missing.csv"), env=env).returncode == 2
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\n91310115591693856A,某公司,,,,上海市浦东新区市场监督管理局,生产\n", encoding="utf-8")
    imported = cli("import-enterprises", str(good), env=env)
    assert imported.returncode == 0 and "已导入 1 家企业" in imported.stdout
    database = open_database(f"sqlite:///{tmp_path / 'hazardtrack.sqlite3'}")
    with Session(database.reader) as s:
        user = s.execute(select(User).where(User.username == "pd.zhang")).scalars().one()
        assert user.password_hash.startswith("$argon2")
        assert not PasswordHasher().check_needs_rehash(user.password_hash)  # argon2's production parameters
        assert s.execute(select(func.count()).select_from(Enterprise)).scalar_one() == 1
    database.dispose()


def test_backup_copies_the_database_and_the_stored_pdfs(tmp_path, cli, sqlite_template):
    data = tmp_path / "data"
    env = {"HAZARDTRACK_DATA_DIR": str(data), **NO_URL}
    data.mkdir()
    shutil.copyfile(sqlite_template, data / "hazardtrack.sqlite3")  # what `hazardtrack init` makes
    (data / "pdf" / "ab").mkdir(parents=True)
    (data / "pdf" / "ab" / "cdef.pdf").write_bytes(b"%PDF-1.7 test")
    target = tmp_path / "backup"
    result = cli("backup", str(target), env=env)
    assert result.returncode == 0, result.stderr
    copies = list(target.glob("hazardtrack-*.sqlite3"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as copy:
        assert copy.execute("select count(*) from unit").fetchone()[0] == 22
    assert (target / "pdf" / "ab" / "cdef.pdf").read_bytes() == b"%PDF-1.7 test"
