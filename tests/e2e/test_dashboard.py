"""领导驾驶舱 in a real browser: a leader's scope and drill-down, office staff switching scope."""

import re

import pytest
from playwright.sync_api import expect

from reports.services.snapshots import snapshot_take
from tests.reports import figures_kit as kit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def errors_of(page) -> list[str]:
    found = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def test_a_leader_sees_only_their_scope_and_drills_down_to_the_task_list(login_page, live_server, city, leader,
                                                                        shot):
    kit.build(city, leader)
    snapshot_take()
    page = login_page(leader)
    errors = errors_of(page)
    page.goto(f"{live_server.url}/reports/dashboard/")
    expect(page.get_by_test_id("scope-name")).to_have_text("陈建华（分管领导）")
    expect(page.get_by_test_id("value-handed_over")).to_have_text("5")
    expect(page.get_by_test_id("value-yellow")).to_have_text("1")
    options = page.locator("[data-testid=scope-select] option").all_inner_texts()
    assert "全市" not in options and "江北街道" not in options
    page.wait_for_function("() => document.querySelector('#chart-stock').width > 0")
    shot(page, "leader-dashboard")
    page.get_by_test_id("card-yellow").click()
    page.wait_for_url(re.compile(r"/tasks/\?.*light=yellow"))
    assert f"leader={leader.pk}" in page.url
    expect(page.get_by_test_id("task-row")).to_have_count(1)
    expect(page.get_by_test_id("task-row").first).to_have_attribute("data-number", "T-A4")
    assert not errors, errors


def test_office_staff_switch_the_scope(login_page, live_server, city, leader, office_clerk, shot):
    kit.build(city, leader)
    snapshot_take()
    page = login_page(office_clerk)
    page.goto(f"{live_server.url}/reports/dashboard/")
    expect(page.get_by_test_id("value-handed_over")).to_have_text("8")
    page.get_by_test_id("scope-select").select_option(f"district:{city.east.pk}")
    page.wait_for_url(re.compile(rf"scope=district%3A{city.east.pk}"))
    expect(page.get_by_test_id("scope-name")).to_have_text("东湖区")
    expect(page.get_by_test_id("value-handed_over")).to_have_text("4")
    expect(page.get_by_test_id("value-red")).to_have_text("1")
    shot(page, "office-district")
    page.get_by_test_id("card-red").click()
    page.wait_for_url(re.compile(r"/tasks/\?.*light=red"))
    expect(page.get_by_test_id("task-row")).to_have_count(1)
    expect(page.get_by_test_id("task-row").first).to_have_attribute("data-number", "T-A3")
