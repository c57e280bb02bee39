"""The main paths through the pages, in real Chromium, with the keyboard where a person would use it."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlmodel import Session

from db.models import ItemEvent
from demo import DEMO_PASSWORD
from tests.e2e.conftest import TODAY, LiveServer, login  # TODAY: the server's pinned business date


def open_event(page: Page, label: str) -> None:
    """Open the event's form (a <details>) with the keyboard."""
    summary = page.locator("details.event-form > summary", has_text=label).first
    details = summary.locator("xpath=..")
    if details.get_attribute("open") is None:  # the only form on a page is already open
        summary.focus()
        page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")


def history_rows(server: LiveServer, item_id: int) -> int:
    with Session(server.db.reader) as s:
        return s.execute(select(func.count()).where(ItemEvent.item_id == item_id)).scalar_one()


def test_a_handler_registers_an_item_orders_rectification_and_opens_the_pdf(page: Page, live_server: LiveServer):
    login(page, live_server, "pudong.handler")
    enterprise = live_server.enterprise("310115")
    page.get_by_role("link", name="登记隐患").first.click()
    expect(page.get_by_role("heading", name="登记隐患")).to_be_visible()

    # The enterprise lookup: typing part of the name offers the enterprise in the datalist.
    lookup = page.locator("#register-enterprise_uscc")
    lookup.type(enterprise.name[2:6], delay=30)
    expect(page.locator("#register-enterprise_uscc-options option").first).to_have_attribute("value", enterprise.uscc)
    lookup.fill(enterprise.uscc)
    expect(page.locator("#register-enterprise_uscc-status")).to_contain_text(enterprise.name)

    # Category → sub-product: only the chosen category's products stay selectable.
    page.get_by_label("产品类别").select_option("燃气用品")
    expect(page.locator("select[name=sub_product] optgroup[data-group='电线电缆']")).to_be_hidden()
    page.get_by_label("具体产品").select_option("燃气泄漏报警器")
    page.get_by_label("问题类型").select_option("不符合强制性国家标准")
    page.get_by_label("发现来源").select_option("日常巡查")
    page.get_by_label("隐患事实").fill("日常巡查发现该企业销售的燃气泄漏报警器未标注报警浓度，不符合强制性国家标准。")
    page.get_by_role("button", name="登记并生成隐患登记表").click()

    expect(page.locator(".flash.ok")).to_contain_text("已登记隐患")
    item_id = int(re.search(r"/items/(\d+)$", page.url).group(1))
    expect(page.locator(".badge.state-found").first).to_be_visible()

    open_event(page, "责令改正")
    form = page.locator("#event-order_rectification")
    form.get_by_label("整改期限").fill((TODAY + dt.timedelta(days=15)).isoformat())
    form.get_by_label("改正内容及要求").fill("立即停止销售涉案燃气泄漏报警器，下架并召回已售产品。")
    form.get_by_label("法律依据").fill("《中华人民共和国产品质量法》第十三条、第四十九条")
    form.get_by_role("button", name="责令改正").click()

    expect(page.locator(".flash.ok")).to_contain_text("责令改正通知书")
    expect(page.locator(".deadline-card")).to_contain_text("剩余 15 天")
    assert live_server.item(item_id).state == "rectifying"

    link = page.locator(".doc-list li", has_text="责令改正通知书").get_by_role("link", name=re.compile("^查看并打印"))
    href = link.get_attribute("href")
    response = page.context.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_a_leader_files_a_case_and_closes_it_with_a_fine(page: Page, live_server: LiveServer):
    item_id = live_server.register("pudong.handler")
    login(page, live_server, "pudong.leader")
    page.goto(f"{live_server.url}/items/{item_id}")

    open_event(page, "立案")
    form = page.locator("#event-file_case")
    form.get_by_label("案由").fill("销售不符合保障人体健康和人身、财产安全的国家标准的产品案")
    form.get_by_label("核查情况及立案理由").fill("经核查，当事人销售的家用燃气灶经检验不合格，涉嫌违法，依法应予立案。")
    form.get_by_label("法律依据").fill("《市场监督管理行政处罚程序规定》第二十条")
    form.get_by_role("button", name="立案").click()
    expect(page.locator(".flash.ok")).to_contain_text("立案审批表")
    expect(page.locator(".item-title .badge")).to_have_text("已立案")

    open_event(page, "结案")
    form = page.locator("#event-close_case")
    form.get_by_label("处理结果").select_option("处罚")
    form.get_by_label("决定书文号").fill("沪市监浦处〔2026〕88号")
    form.get_by_label("罚没金额（元）").fill("50000")
    form.get_by_label("案值（元）").fill("32000.50")
    form.get_by_role("button", name="结案").click()

    expect(page.locator(".flash.ok")).to_contain_text("结案审批表")
    expect(page.locator(".item-title .badge")).to_have_text("已办结")
    expect(page.locator("ol.timeline > li").first).to_contain_text("50000.00")
    item = live_server.item(item_id)
    assert (item.state, item.version) == ("closed", 3)


def test_a_supervisor_finds_the_overdue_item_and_flags_it(page: Page, live_server: LiveServer, context):
    item_id = live_server.register("pudong.handler", found_days_ago=60, category="燃气用品",
                                   sub_product="燃气调压器")
    login(page, live_server, "supervisor")
    page.get_by_role("link", name="督导").first.click()
    row = page.locator("#overdue tbody tr", has=page.locator(f'a[href="/items/{item_id}"]'))
    expect(row).to_contain_text("燃气用品")
    row.get_by_role("link", name="挂牌督办").click()
    page.wait_for_url(re.compile(rf"/items/{item_id}#flag$"))
    page.get_by_label("督办意见").fill("该燃气用品隐患已逾期，请于5个工作日内督促整改到位并书面报告。")
    page.get_by_role("button", name="挂牌督办").last.click()
    expect(page.locator(".flash.ok")).to_contain_text("挂牌督办")
    expect(page.locator(".flag-banner")).to_contain_text("请于5个工作日内督促整改到位")

    other = context.browser.new_context(locale="zh-CN")
    try:
        handler = other.new_page()
        login(handler, live_server, "pudong.handler")
        expect(handler.locator(".flag-banner")).to_contain_text("请于5个工作日内督促整改到位")
        handler.goto(f"{live_server.url}/items/{item_id}")
        expect(handler.locator(".flag-banner")).to_contain_text("市局挂牌督办")
    finally:
        other.close()


def test_a_handler_of_another_unit_cannot_open_the_item(page: Page, live_server: LiveServer):
    item_id = live_server.register("pudong.handler")
    login(page, live_server, "yangpu.handler")
    response = page.goto(f"{live_server.url}/items/{item_id}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="找不到页面或记录")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(live_server.enterprise("310115").name)


def test_a_form_with_invalid_input_shows_the_errors_and_saves_nothing(page: Page, live_server: LiveServer):
    item_id = live_server.register("pudong.handler")
    before = (live_server.item(item_id).version, history_rows(live_server, item_id))
    login(page, live_server, "pudong.handler")
    page.goto(f"{live_server.url}/items/{item_id}")
    open_event(page, "责令改正")
    form = page.locator("#event-order_rectification")
    form.get_by_label("整改期限").fill("2020-01-01")
    form.get_by_label("法律依据").fill("《产品质量法》第四十九条")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name="责令改正").click()
    assert posted.value.status == 422

    errors = page.locator("#event-order_rectification .error-box")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("请填写改正内容及要求")
    expect(errors).to_be_focused()
    expect(page.locator("#order_rectification-requirements-error")).to_have_text("请填写改正内容及要求")
    expect(form.get_by_label("法律依据")).to_have_value("《产品质量法》第四十九条")
    assert (live_server.item(item_id).version, history_rows(live_server, item_id)) == before


def test_a_wrong_password_shows_the_sign_in_page_again_with_a_message(page: Page, live_server: LiveServer):
    page.goto(live_server.url + "/login")
    page.get_by_label("用户名").fill("pudong.handler")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")
    expect(page.get_by_label("用户名")).to_have_value("pudong.handler")
    expect(page.get_by_text("<form")).to_have_count(0)  # the page itself, not its markup shown as text
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/")
