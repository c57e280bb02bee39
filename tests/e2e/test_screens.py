"""Every page as a handler, a leader and a supervisor: rendered in Chromium, screenshotted to /tmp/screens/ for a
person to look at, and checked for what a screenshot reviewer would catch first — Chinese text in the intended
CJK font, nothing wider than the window, no server error."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page
from sqlalchemy import func, select
from sqlmodel import Session

from db.record_models import SamplingInspection
from db.models import Enterprise, Unit
from tests.e2e.conftest import LiveServer, login


def used_fonts(page: Page, selector: str) -> set[str]:
    """The font families Chromium actually used for the first element matching `selector` (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            return set()
        return {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    finally:
        cdp.detach()


def check_and_shoot(page: Page, screens: Path, name: str, *, status: int = 200, response=None) -> None:
    if response is not None:
        assert response.status == status, (name, response.status)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    fonts = used_fonts(page, "main h1") | used_fonts(page, "main p, main td, main label")
    assert fonts == {"Noto Sans CJK SC"}, f"{name}: rendered with {fonts}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: the page is {overflow}px wider than the window"
    clipped = page.evaluate("""() => [...document.querySelectorAll(
            'main h1, main h2, main th, main dt, main label, main .btn, main .badge, main .tag, .mainnav a')]
        .filter(e => e.offsetParent && !e.closest('.sr-only') && getComputedStyle(e).display !== 'inline')
        .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 2)
        .map(e => e.textContent.trim()).slice(0, 5)""")
    assert clipped == [], f"{name}: clipped text {clipped}"
    page.screenshot(path=str(screens / f"{name}.png"), full_page=True)


def open_all_event_forms(page: Page) -> None:
    page.evaluate("document.querySelectorAll('details.event-form').forEach(d => d.open = true)")


def sampled_enterprise(server: LiveServer, unit_code: str) -> int:
    """An enterprise of the unit with sampling inspections (the demo data has some), else any of the unit's."""
    with Session(server.db.reader) as s:
        row = s.execute(select(SamplingInspection.enterprise_id, func.count()).join(Unit, Unit.id ==
                        SamplingInspection.unit_id).where(Unit.code == unit_code)
                        .group_by(SamplingInspection.enterprise_id).order_by(func.count().desc())).first()
        if row:
            return row[0]
        return s.execute(select(Enterprise.id).join(Unit, Unit.id == Enterprise.unit_id)
                         .where(Unit.code == unit_code)).scalars().first()


def test_screens_as_handler(page: Page, live_server: LiveServer, screens: Path):
    url = live_server.url
    page.goto(url + "/login")
    check_and_shoot(page, screens, "handler-00-login")
    login(page, live_server, "pudong.handler")
    item = live_server.register("pudong.handler", found_days_ago=3)
    enterprise = sampled_enterprise(live_server, "310115")
    for name, path in [("01-dashboard", "/"), ("02-items", "/items"),
                       ("03-items-overdue", "/items?overdue=1&sort=deadline"),
                       ("04-item-new", "/items/new"), ("06-enterprises", "/enterprises"),
                       ("07-enterprise", f"/enterprises/{enterprise}"), ("08-enterprise-new", "/enterprises/new"),
                       ("09-enterprise-edit", f"/enterprises/{enterprise}/edit"),
                       ("10-enterprise-import", "/enterprises/import"),
                       ("11-enterprise-search", "/enterprises/search?q=%E4%B8%8A%E6%B5%B7"),
                       ("12-workflow", "/workflow")]:
        check_and_shoot(page, screens, f"handler-{name}", response=page.goto(url + path))

    response = page.goto(f"{url}/items/{item}")
    open_all_event_forms(page)
    check_and_shoot(page, screens, "handler-05-item", response=response)

    # The item page after an invalid submission: errors next to the fields, the input kept.
    page.locator("#order_rectification-deadline").fill("2020-01-01")
    page.locator("#event-order_rectification button[type=submit]").click()
    page.wait_for_selector("#event-order_rectification .error-box")
    check_and_shoot(page, screens, "handler-05b-item-errors")

    # The register form with errors.
    page.goto(url + "/items/new")
    page.get_by_label("产品类别").select_option("燃气用品")
    page.locator("#register-enterprise_uscc").fill("91310115591693856B")
    page.get_by_role("button", name="登记并生成隐患登记表").click()
    page.wait_for_selector(".error-box")
    check_and_shoot(page, screens, "handler-04b-item-new-errors")

    # The import page with a per-row error report.
    page.goto(url + "/enterprises/import")
    bad = ("统一社会信用代码,企业名称,住所,法定代表人,联系电话,所属单位,企业类型\n"
           "91310115591693856B,上海甲公司,浦东新区张江路1号,张三,021-1,310115,生产\n"
           ",上海乙公司,浦东新区,李四,电话,310115,批发\n").encode()
    page.set_input_files("#import-file", files=[{"name": "企业名单.csv", "mimeType": "text/csv", "buffer": bad}])
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("#import-errors-title")
    check_and_shoot(page, screens, "handler-10b-enterprise-import-errors")

    check_and_shoot(page, screens, "handler-13-forbidden", status=403, response=page.goto(url + "/supervision"))
    check_and_shoot(page, screens, "handler-14-not-found", status=404, response=page.goto(url + "/items/99999999"))
    check_and_shoot(page, screens, "handler-15-bad-filter", status=422,
                    response=page.goto(url + "/items?from=2023-02-30"))

    page.goto(f"{url}/items/{item}")
    page.emulate_media(media="print")
    check_and_shoot(page, screens, "handler-16-item-print")
    page.emulate_media(media="screen")


def test_screens_as_leader(page: Page, live_server: LiveServer, screens: Path):
    url = live_server.url
    login(page, live_server, "pudong.leader")
    item = live_server.register("pudong.handler", found_days_ago=5)
    for name, path in [("01-dashboard", "/"), ("02-items", "/items?state=case_filed"), ("04-item-new", "/items/new"),
                       ("06-enterprises", "/enterprises?scope=all"), ("12-workflow", "/workflow")]:
        check_and_shoot(page, screens, f"leader-{name}", response=page.goto(url + path))
    response = page.goto(f"{url}/items/{item}")
    open_all_event_forms(page)
    check_and_shoot(page, screens, "leader-05-item-found", response=response)

    # File the case, then show the case events (seizure with its table of goods, transfer, closing).
    form = page.locator("#event-file_case")
    form.get_by_label("案由").fill("销售不合格燃气灶案")
    form.get_by_label("核查情况及立案理由").fill("经核查，违法事实基本清楚。")
    form.get_by_label("法律依据").fill("《市场监督管理行政处罚程序规定》第二十条")
    form.get_by_role("button", name="立案").click()
    page.wait_for_selector(".flash.ok")
    open_all_event_forms(page)
    page.locator("input[name='items-0-name']").fill("家用燃气灶")
    page.locator("input[name='items-0-unit']").fill("台")
    page.locator("#seize-period_days").fill("45")
    page.locator("#event-seize button[type=submit]").click()
    page.wait_for_selector("#event-seize .error-box")
    check_and_shoot(page, screens, "leader-05b-item-case-errors")


def test_screens_as_supervisor(page: Page, live_server: LiveServer, screens: Path):
    url = live_server.url
    overdue = live_server.register("pudong.handler", found_days_ago=50)
    login(page, live_server, "supervisor")
    with Session(live_server.db.reader) as s:
        unit_id = s.execute(select(Unit.id).where(Unit.code == "310115")).scalar_one()
    enterprise = sampled_enterprise(live_server, "310110")
    for name, path in [("01-dashboard", "/"), ("02-items", "/items"), ("03-items-gas-overdue",
                       "/items?category=%E7%87%83%E6%B0%94%E7%94%A8%E5%93%81&overdue=1"),
                       ("06-enterprises", "/enterprises"), ("07-enterprise", f"/enterprises/{enterprise}"),
                       ("12-workflow", "/workflow")]:
        check_and_shoot(page, screens, f"supervisor-{name}", response=page.goto(url + path))

    page.goto(f"{url}/items/{overdue}")
    page.get_by_label("督办意见").fill("该燃气用品隐患已逾期，请于5个工作日内督促整改到位并书面报告。")
    page.get_by_role("button", name="挂牌督办").last.click()
    page.wait_for_selector(".flag-banner")
    check_and_shoot(page, screens, "supervisor-05-item-flagged")

    page.goto(f"{url}/supervision?flag_unit={unit_id}#flag-unit")
    page.get_by_label("督办意见").fill("你局燃气用品隐患逾期较多，请于一周内完成整改并书面报告。")
    page.get_by_role("button", name="挂牌督办").last.click()
    page.wait_for_selector(".flash.ok")
    check_and_shoot(page, screens, "supervisor-20-supervision")
    check_and_shoot(page, screens, "supervisor-21-supervision-flag-unit",
                    response=page.goto(f"{url}/supervision?flag_unit={unit_id}"))

    page.emulate_media(media="print")
    page.goto(url + "/supervision")
    check_and_shoot(page, screens, "supervisor-22-supervision-print")
    page.emulate_media(media="screen")

    # What the flagged unit then sees.
    page.context.clear_cookies()
    login(page, live_server, "pudong.handler")
    check_and_shoot(page, screens, "handler-17-dashboard-flagged")
