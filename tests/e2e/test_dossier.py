"""An inspector requests a bound dossier, watches the progress bar reach 100% while a real Celery
worker builds it, and downloads the PDF."""

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect
from pypdf import PdfReader

from campaign.celery import app
from reports.models import ReportRun
from tests.reports.conftest import dossier_data, media  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e, pytest.mark.worker]


@pytest.fixture
def celery_worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def test_inspector_builds_watches_and_downloads_a_dossier(login_page, inspector, dossier_data, celery_worker,  # noqa: F811
                                                          shot, tmp_path):
    page = login_page(inspector)
    page.get_by_test_id("sidenav").get_by_role("link", name="报表与卷宗").click()
    expect(page.get_by_test_id("run-table")).to_contain_text("还没有生成记录")
    page.select_option("#id_unit", label="湖滨街道")
    page.fill("#id_compiler", "湖滨街道办事处")
    page.get_by_test_id("dossier-submit").click()

    expect(page.locator("h1")).to_have_text("湖滨街道测评材料卷宗（全部指标）")
    expect(page.get_by_test_id("run-progress")).to_be_visible()
    shot(page, "progress")
    expect(page.get_by_test_id("run-percent")).to_have_text("100%", timeout=90_000)
    expect(page.get_by_test_id("run-status")).to_have_text("已完成")
    shot(page, "done")

    with page.expect_download() as info:
        page.get_by_test_id("run-download").click()
    path = tmp_path / "dossier.pdf"
    info.value.save_as(path)
    assert len(PdfReader(path).pages) == 10
    run = ReportRun.objects.get()
    assert (run.status, run.attempts, run.pages) == (ReportRun.Status.SUCCEEDED, 1, 10)
