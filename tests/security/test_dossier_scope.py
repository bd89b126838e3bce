"""A bound dossier holds only what its requester may read on the pages. Assessors (第三方测评) read
all evidence but no rectification tasks: their dossiers carry no 整改前后对比 pages (task numbers,
titles, sites and photos), whatever the request says, and their form does not offer them."""


import pytest
from django.urls import reverse

from reports.models import ReportRun
from reports.services import pipeline, runs

from ..reports import conftest as dossier_kit
from ..reports.conftest import make_closed_task, pdftotext

# The small 湖滨街道 dossier of the reports tests (its fixtures, used here by name).
dossier_data, media = dossier_kit.dossier_data, dossier_kit.media

pytestmark = pytest.mark.django_db

TITLE = "路口护栏破损 MARK-TASK-CLOSED"


@pytest.fixture
def closed_task(dossier_data, office_clerk):
    """A closed task of 湖滨街道 under 2.3.1.3, with a before and an after photo."""
    return make_closed_task(dossier_data, office_clerk, TITLE)


def _built(user, dossier_data, **extra):
    params = {"framework_id": dossier_data.framework.pk, "unit_id": dossier_data.unit.pk, **extra}
    run = runs.report_run_request(kind=ReportRun.Kind.DOSSIER, parameters=params, user=user, title="卷宗",
                                  unit=dossier_data.unit)
    run = pipeline.report_run_execute(run_id=run.pk)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    return pdftotext(run.file.path)


def test_an_assessor_cannot_open_the_task_the_dossier_would_show(client_for, assessor, closed_task):
    assert client_for(assessor).get(reverse("tasks:detail", args=[closed_task.pk])).status_code == 404


def test_an_inspector_who_may_read_tasks_gets_the_rectification_pages(inspector, dossier_data, closed_task):
    text = _built(inspector, dossier_data, include_rectification=True)
    assert "整改前后对比" in text and TITLE in text and closed_task.number in text


def test_an_assessors_dossier_holds_no_task_even_when_the_request_asks_for_them(assessor, dossier_data,
                                                                                 closed_task):
    text = _built(assessor, dossier_data, include_rectification=True)
    assert "整改前后对比" not in text and TITLE not in text and closed_task.number not in text
    assert "文明交通劝导活动通知" in text  # the evidence, which assessors may read, is still bound


def test_the_assessors_form_does_not_offer_rectification_pages(client_for, assessor, inspector, dossier_data,
                                                               closed_task, django_capture_on_commit_callbacks):
    assert "整改前后对比" in client_for(inspector).get(reverse("reports:index")).content.decode()
    client = client_for(assessor)
    form = client.get(reverse("reports:index")).content.decode()
    assert "整改前后对比" not in form and 'name="include_rectification"' not in form
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:dossier_request"), {
            "unit": dossier_data.unit.pk, "include_rectification": "on", "compiler": "第三方测评组"})
    run = ReportRun.objects.get()
    assert run.parameters["include_rectification"] is False
