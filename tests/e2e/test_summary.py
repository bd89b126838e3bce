"""The office requests a 工作简报 and stays on its page: while a real Celery worker builds and
publishes the issue, the page follows it and ends showing the published issue (number, time,
files), without being reloaded."""


import pytest
from playwright.sync_api import expect

from reports.models import Summary
from reports.services.summaries import services as summary_services

from ..reports import figures_kit
from .browser import hold

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e, pytest.mark.worker]


@pytest.fixture
def gate(monkeypatch):
    """Holds the build until the test has seen the page in its unfinished state (the worker runs
    in this process), so the page is known to reach the end by polling, not by its first load."""
    opened = hold(monkeypatch, summary_services, "collect")
    yield opened
    opened.set()


def test_the_briefing_page_follows_the_build_to_the_published_issue(login_page, office_clerk, leader, city,
                                                                    celery_worker, gate, shot):
    figures_kit.build(city, leader)
    page = login_page(office_clerk)
    page.get_by_test_id("sidenav").get_by_role("link", name="工作简报").click()
    page.get_by_test_id("summary-submit").click()

    expect(page.get_by_test_id("issue-label")).to_contain_text("（未印发）")
    expect(page.get_by_test_id("summary-published")).to_have_text("—")
    page.evaluate("window.notReloaded = true")
    shot(page, "building")
    gate.set()

    summary = Summary.objects.get()
    expect(page.get_by_test_id("issue-label")).to_contain_text("年第1期", timeout=90_000)
    summary.refresh_from_db()
    assert summary.published_at is not None
    expect(page.get_by_test_id("summary-published")).not_to_have_text("—")
    expect(page.get_by_test_id("download-pdf")).to_be_visible()
    expect(page.get_by_test_id("download-docx")).to_be_visible()
    expect(page.get_by_test_id("summary-figures")).to_be_visible()
    expect(page.locator("[hx-trigger]")).to_have_count(0)  # polling has stopped
    assert "{#" not in page.inner_text("main") and "{%" not in page.inner_text("main")
    assert page.evaluate("window.notReloaded") is True
    shot(page, "published")
