"""The office user logs in through the real form in headless Chromium and sees the 工作台."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_office_user_logs_in_and_sees_workbench(login_page, office_clerk, live_server, shot):
    page = login_page(office_clerk)
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.get_by_test_id("my-units")).to_contain_text("市创文办")
    expect(page.get_by_test_id("sidenav")).to_contain_text("整改任务")
    expect(page.get_by_test_id("sidenav")).to_contain_text("报表与卷宗")
    shot(page, "workbench")


def test_wrong_password_shows_a_chinese_error(live_server, page, office_clerk):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "wrong-password")
    page.click("input[type=submit]")
    expect(page.locator(".alert-danger, .invalid-feedback, .alert-block")).to_contain_text("用户名或密码不正确")


def test_liaison_menu_on_a_phone(login_page, liaison_a, page, shot):
    page.set_viewport_size({"width": 375, "height": 740})
    login_page(liaison_a)
    page.get_by_label("打开菜单").click()
    expect(page.get_by_test_id("sidenav")).to_contain_text("整改任务")
    expect(page.get_by_test_id("sidenav")).not_to_contain_text("督查检查")
    shot(page, "phone-menu")
