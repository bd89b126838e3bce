"""An inspector requests a bound dossier, watches the progress bar reach 100% while a real Celery
worker builds it, sees the finished run (start time, attempts, file) without reloading the page,
and downloads the PDF."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import ReportRun
from reports.services.dossier.build import DossierBuilder
from tests.e2e.browser import hold
from tests.reports.conftest import dossier_data, media  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e, pytest.mark.worker]


@pytest.fixture
def gate(monkeypatch):
    """Holds the build until the test has seen the run unfinished (the worker runs in this process)."""
    opened = hold(monkeypatch, DossierBuilder, "prepare")
    yield opened
    opened.set()


def test_inspector_builds_watches_and_downloads_a_dossier(login_page, inspector, dossier_data,  # noqa: F811
                                                          celery_worker, gate, shot, tmp_path):
    page = login_page(inspector)
    page.get_by_test_id("sidenav").get_by_role("link", name="报表与卷宗").click()
    expect(page.get_by_test_id("run-table")).to_contain_text("还没有生成记录")
    page.select_option("#id_unit", label="湖滨街道")
    page.fill("#id_compiler", "湖滨街道办事处")
    page.get_by_test_id("dossier-submit").click()

    expect(page.locator("h1")).to_have_text("湖滨街道测评材料卷宗（全部指标）")
    expect(page.get_by_test_id("run-progress")).to_be_visible()
    expect(page.get_by_test_id("run-status")).not_to_have_text("已完成")
    page.evaluate("window.notReloaded = true")
    shot(page, "progress")
    gate.set()
    expect(page.get_by_test_id("run-percent")).to_have_text("100%", timeout=90_000)
    expect(page.get_by_test_id("run-status")).to_have_text("已完成")
    expect(page.get_by_test_id("run-started")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"))
    expect(page.get_by_test_id("run-finished")).not_to_have_text("—")
    expect(page.get_by_test_id("run-attempts")).to_have_text("1")
    expect(page.get_by_test_id("run-sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.locator("[hx-trigger]")).to_have_count(0)  # polling has stopped
    assert "{#" not in page.inner_text("main") and "{%" not in page.inner_text("main")
    assert page.evaluate("window.notReloaded") is True
    shot(page, "done")

    with page.expect_download() as info:
        page.get_by_test_id("run-download").click()
    path = tmp_path / "dossier.pdf"
    info.value.save_as(path)
    # The form leaves out standards without material by default: 2.3.1.3's empty 提交表 is not bound.
    assert len(PdfReader(path).pages) == 9
    run = ReportRun.objects.get()
    assert (run.status, run.attempts, run.pages) == (ReportRun.Status.SUCCEEDED, 1, 9)
