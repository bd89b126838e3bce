"""报表与卷宗 pages: who may see, request and download what."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportRun
from reports.services import pipeline

pytestmark = pytest.mark.django_db


def _run(user, unit=None, **fields):
    return ReportRun.objects.create(kind=ReportRun.Kind.DOSSIER, title=f"{user} 的卷宗", requested_by=user, unit=unit,
                                    parameters={"framework_id": 0}, **fields)


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_liaison_may_not_use_reports(client_for, liaison_a):
    assert client_for(liaison_a).get(reverse("reports:index")).status_code == 403


def test_inspector_sees_own_runs_and_the_dossier_form(client_for, inspector, assessor, dossier_data):
    _run(inspector)
    _run(assessor)
    page = client_for(inspector).get(reverse("reports:index")).content.decode()
    assert "赵海燕 的卷宗" in page and "孙佳慧 的卷宗" not in page
    assert 'data-testid="dossier-form"' in page and "2.3.1.2 交通秩序良好（2）" in page


def test_office_sees_every_run_and_a_leader_those_in_scope(client_for, office_clerk, leader, inspector, city):
    _run(inspector, unit=city.bureau)
    _run(inspector, unit=city.unit_b)
    office_page = client_for(office_clerk).get(reverse("reports:index")).content.decode()
    assert office_page.count("赵海燕 的卷宗") == 2
    leader_page = client_for(leader).get(reverse("reports:index")).content.decode()
    assert leader_page.count("赵海燕 的卷宗") == 1  # the bureau's run, not 江北街道's
    assert 'data-testid="dossier-form"' not in leader_page


def test_someone_elses_run_is_not_found(client_for, inspector, assessor):
    run = _run(assessor)
    client = client_for(inspector)
    for name in ("run_detail", "run_progress", "run_download"):
        assert client.get(reverse(f"reports:{name}", args=[run.pk])).status_code == 404


def test_requesting_a_dossier_records_the_scope_and_opens_its_page(client_for, inspector, dossier_data,
                                                                     django_capture_on_commit_callbacks):
    standard = dossier_data.standards[0]
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(inspector).post(reverse("reports:dossier_request"), {
            "indicator": standard.pk, "unit": dossier_data.unit.pk, "date_from": "2026-01-01",
            "date_to": "2026-12-31", "categories": ["活动", "计划"], "compiler": "湖滨街道办事处",
        })
    assert response.status_code == 302, response.context["form"].errors
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:run_detail", args=[run.pk])
    assert run.parameters == {
        "framework_id": dossier_data.framework.pk, "indicator_id": standard.pk, "unit_id": dossier_data.unit.pk,
        "date_from": "2026-01-01", "date_to": "2026-12-31", "categories": ["活动", "计划"],
        "include_rectification": False, "skip_empty": False, "compiler": "湖滨街道办事处",
    }
    assert run.title == "湖滨街道测评材料卷宗（2.3.1.1 交通秩序良好（1））"
    page = client_for(inspector).get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page and "活动、计划" in page


def test_a_bad_period_is_refused_with_a_message_and_nothing_recorded(client_for, inspector, dossier_data):
    response = client_for(inspector).post(reverse("reports:dossier_request"), {
        "date_from": "2026-06-01", "date_to": "2026-01-01", "compiler": "湖滨街道办事处"})
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_a_leader_may_not_request_a_dossier(client_for, leader, dossier_data):
    response = client_for(leader).post(reverse("reports:dossier_request"), {"compiler": "市城管局"})
    assert response.status_code == 403 and not ReportRun.objects.exists()


def test_progress_partial_stops_polling_when_done_and_shows_the_error(client_for, inspector):
    run = _run(inspector, status=ReportRun.Status.RUNNING, progress=40, stage="生成页眉页脚：1/2 部分")
    client = client_for(inspector)
    running = client.get(reverse("reports:run_progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in running and "40%" in running and "生成页眉页脚" in running
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.FAILED, error="PDF 文件《通知》无法读取")
    failed = client.get(reverse("reports:run_progress", args=[run.pk])).content.decode()
    assert "hx-trigger" not in failed and "PDF 文件《通知》无法读取" in failed


def test_download_serves_the_built_pdf_only_once_it_exists(client_for, inspector, dossier_run):
    client = client_for(inspector)
    url = reverse("reports:run_download", args=[dossier_run.pk])
    assert client.get(url).status_code == 404  # still pending
    pipeline.report_run_execute(run_id=dossier_run.pk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_dossier_form_leaves_out_empty_standards_by_default(client_for, inspector, dossier_data):
    page = client_for(inspector).get(reverse("reports:index")).content.decode()
    assert "略去没有已审核材料的测评标准" in page
    assert re.search(r'<input[^>]*name="skip_empty"[^>]*checked', page)


def test_the_polled_run_page_shows_the_finished_run_whole(client_for, inspector, dossier_run):
    client = client_for(inspector)
    url = reverse("reports:run_progress", args=[dossier_run.pk])
    waiting = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and '<td data-testid="run-attempts">0</td>' in waiting
    run = pipeline.report_run_execute(run_id=dossier_run.pk)
    done = client.get(url).content.decode()
    assert "hx-trigger" not in done and "<html" not in done
    assert done.lstrip().startswith('<div id="run-page"')  # nothing around it to pile up swap after swap
    assert f'<td data-testid="run-started">{timezone.localtime(run.started_at):%Y-%m-%d %H:%M:%S}</td>' in done
    assert '<td data-testid="run-attempts">1</td>' in done
    assert run.sha256 in done and 'data-testid="run-download"' in done
