"""Browser tests in real Chromium (the Debian package; `playwright install` cannot download here).

One server and one browser per session: the app runs under uvicorn in a background thread on a free 127.0.0.1
port, against a temporary SQLite database set up as `hazardtrack init` + `hazardtrack demo` do (the demo accounts
have real argon2 passwords), on a clock pinned at tests.conftest.NOW. Each test opens its own browser context
(fresh cookies) and registers its own items.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENS = Path("/tmp/screens")

# `make test` installs the chromium package; without it these tests fail (never skip silently).
if not Path(CHROMIUM).exists():  # pragma: no cover
    raise RuntimeError("Chromium is not installed at /usr/bin/chromium: run `make test` (it installs it) "
                       "or apt-get install chromium")

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from demo import DEMO_PASSWORD, load_demo  # noqa: E402
from db.engine import Database  # noqa: E402
from db.models import Enterprise, HazardItem, Unit, User  # noqa: E402
from db.uow import SqlUnitOfWork  # noqa: E402
from workflow import services  # noqa: E402
from workflow.actor import Actor  # noqa: E402
from tests.conftest import NOW, MovableClock, _new_sqlite_database  # noqa: E402
from workflow.clock import business_date  # noqa: E402

# The server runs on a clock pinned at NOW (2023-07-10 10:00 Shanghai) and the demo data is dated around it, so
# the screens never depend on the day the suite runs (and every deadline lies inside the holiday calendar).
CLOCK = MovableClock(NOW)  # never moved: the server is shared by every e2e test
TODAY = business_date(NOW)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@dataclass
class LiveServer:
    url: str
    db: Database

    def actor(self, username: str) -> Actor:
        with Session(self.db.reader) as s:
            user = s.execute(select(User).where(User.username == username)).scalar_one()
            return Actor(user.id, user.username, user.full_name, user.role, user.unit_id)

    def enterprise(self, unit_code: str) -> Enterprise:
        with Session(self.db.reader) as s:
            return s.execute(select(Enterprise).join(Unit, Unit.id == Enterprise.unit_id)
                             .where(Unit.code == unit_code).order_by(Enterprise.id)).scalars().first()

    def register(self, username: str = "pudong.handler", *, found_days_ago: int = 1, **overrides: Any) -> int:
        """A fresh item through the real use case (found `found_days_ago` days ago: 60 makes it overdue)."""
        actor = self.actor(username)
        with Session(self.db.reader) as s:
            unit = s.get(Unit, actor.unit_id)
        enterprise = self.enterprise(unit.code)
        today = TODAY
        data = dict(enterprise_uscc=enterprise.uscc, category="燃气用品", sub_product="家用燃气灶",
                    problem_type="质量低劣", source="监督抽查",
                    facts="经抽样检验，该企业销售的家用燃气灶熄火保护装置不合格。",
                    found_on=(today - dt.timedelta(days=found_days_ago)).isoformat())
        data.update(overrides)
        return services.register_item(SqlUnitOfWork(self.db), actor, data, CLOCK.now()).item_id

    def item(self, item_id: int) -> HazardItem:
        with Session(self.db.reader) as s:
            return s.get(HazardItem, item_id)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, sqlite_template) -> Iterator[LiveServer]:
    import uvicorn

    from web.app import create_app
    from web.settings import Settings

    data_dir = tmp_path_factory.mktemp("e2e")
    database = _new_sqlite_database(data_dir, sqlite_template)  # a copy of what `hazardtrack init` makes
    load_demo(database, items_per_unit=8, enterprises_per_unit=8, today=TODAY)
    settings = Settings(secret_key="e2e-secret-key-0123456789abcdef-e2e", data_dir=data_dir, secure_cookies=False)
    app = create_app(database=database, settings=settings, clock=CLOCK)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the e2e server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", database)
    server.should_exit = True
    thread.join(timeout=10)
    database.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def screens() -> Path:
    if SCREENS.exists():
        shutil.rmtree(SCREENS)
    SCREENS.mkdir(parents=True)
    return SCREENS


def login(page: Page, server: LiveServer, username: str, password: str = DEMO_PASSWORD) -> Page:
    page.goto(server.url + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(server.url + "/")
    return page

