"""The indicator tree in headless Chromium: expand a node, search by code, open a standard."""

import pytest
from playwright.sync_api import expect

from tests.campaign.reference_data import row, site, small_tree

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_office_expands_the_tree_and_finds_a_standard_by_code(login_page, office_clerk, city, live_server, shot):
    tree = small_tree()
    row(tree.item, city.bureau)
    site(city, "中山广场")
    page = login_page(office_clerk)
    page.goto(f"{live_server.url}/reference/indicators/")
    tree_box = page.get_by_test_id("indicator-tree")
    standard = tree_box.locator('[data-code="8.1.1"]')
    expect(tree_box).to_contain_text("市容环境")
    expect(standard).to_be_hidden()
    tree_box.locator('details[data-code="8"] > summary').click()
    expect(tree_box.locator('details[data-code="8.1"] > summary')).to_be_visible()
    tree_box.locator('details[data-code="8.1"] > summary').click()
    expect(standard).to_be_visible()
    expect(standard).to_contain_text("道路保洁")
    expect(standard).to_contain_text("市城管局")
    shot(page, "tree-expanded")

    page.get_by_role("button", name="全部折叠").click()
    expect(standard).to_be_hidden()

    page.get_by_test_id("indicator-search").fill("8.2.1")
    page.get_by_role("button", name="搜索").click()
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("占道经营")
    expect(results).not_to_contain_text("道路保洁")
    results.get_by_role("link", name="占道经营").click()
    expect(page.locator("h1")).to_contain_text("8.2.1 占道经营")
    expect(page.get_by_test_id("indicator-responsibility")).to_contain_text("市城市管理局")


def test_the_tree_reads_on_a_phone(login_page, liaison_a, city, page, live_server, shot):
    small_tree()
    page.set_viewport_size({"width": 390, "height": 800})
    login_page(liaison_a)
    page.goto(f"{live_server.url}/reference/indicators/")
    page.get_by_role("button", name="全部展开").click()
    expect(page.get_by_test_id("indicator-tree").locator('[data-code="8.1.2"]')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "tree-phone")
