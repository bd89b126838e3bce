"""督查通报: from the chase ladder's 通报 entries and from a task-list selection; numbering; access."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from docx import Document

from campaign.models import Notification
from reports.models import Bulletin, ReportRun
from reports.services import pipeline
from reports.services.bulletins import services
from tasks.models import ChaseNotice

from . import figures_kit as kit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(city, leader, media):
    data = kit.build(city, leader)
    year = data.today.year
    for seq, task in enumerate([data.a3, data.a2], start=1):
        ChaseNotice.objects.create(task=task, kind=ChaseNotice.Kind.BULLETIN, due_date=task.due_date, year=year,
                                   seq=seq, number=f"创文办通〔{year}〕{seq}号", issued_on=data.today - timedelta(days=1))
    ChaseNotice.objects.create(task=data.a4, kind=ChaseNotice.Kind.URGE, due_date=data.a4.due_date, year=year, seq=1,
                               number=f"创文办催〔{year}〕1号", issued_on=data.today)
    return data


def flat(text: str) -> str:
    return "".join(text.split())


def texts(bulletin: Bulletin) -> tuple[str, str]:
    pdf = subprocess.run(["pdftotext", bulletin.pdf_file.path, "-"], check=True, capture_output=True, text=True).stdout
    doc = Document(bulletin.docx_file.path)
    word = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return flat(pdf), flat("".join(word))


def publish(bulletin: Bulletin) -> Bulletin:
    run = pipeline.report_run_execute(run_id=bulletin.run_id)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    bulletin.refresh_from_db()
    return bulletin


def test_the_chase_ladders_entries_are_circulated_once_in_a_numbered_bulletin(ref, office_clerk):
    bulletin = publish(services.bulletin_request_chase(user=office_clerk))
    year = ref.today.year
    assert bulletin.number == f"创文办通报〔{year}〕1号"
    assert set(bulletin.tasks.values_list("number", flat=True)) == {"T-A3", "T-A2"}
    assert bulletin.chase_notices.count() == 2
    pdf, word = texts(bulletin)
    assert f"创文办通〔{year}〕1号" in word  # the entry it circulates (wrapped in a narrow PDF cell)
    assert f"创文办通〔{year}〕" in pdf
    for text in (pdf, word):
        assert f"创文办通报〔{year}〕1号" in text
        assert "关于2个单位2件问题整改超期情况的通报" in text
        assert "湖滨街道（1件）" in text and "和平社区（1件）" in text
        assert "目前仍超过整改期限未整改到位的1件" in text and "超期后已整改销号的1件" in text
    with pytest.raises(services.BulletinError, match="没有待通报的督办事项"):
        services.bulletin_request_chase(user=office_clerk)


def test_a_selection_lists_only_its_overdue_and_rebounded_tasks_by_unit(ref, office_clerk):
    bulletin = services.bulletin_request_selection(user=office_clerk, params={})
    bulletin = publish(bulletin)
    assert set(bulletin.tasks.values_list("number", flat=True)) == {"T-A3", "T-B1"}
    pdf, word = texts(bulletin)
    for text in (pdf, word):
        assert "关于2个单位2件问题整改超期和反弹情况的通报" in text
        assert "回头看发现反弹" in text and "T-B2" in text  # the rebound's new task is named
    assert bulletin.figures == {"units": 2, "total": 2, "overdue": 1, "rebound": 1, "after_chase": 0}


def test_a_selection_without_overdue_or_rebounded_tasks_is_refused(ref, office_clerk, city):
    with pytest.raises(services.BulletinError, match="没有超期或反弹的问题"):
        services.bulletin_request_selection(user=office_clerk, params={"unit": str(city.bureau.pk)})
    assert not Bulletin.objects.exists()


def test_numbers_run_on_per_year_without_gaps(ref, office_clerk, monkeypatch):
    first = publish(services.bulletin_request_chase(user=office_clerk))
    from reports.services.bulletins import services as module

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(module, "write_pdf", broken)
    failed = services.bulletin_request_selection(user=office_clerk, params={})
    assert pipeline.report_run_execute(run_id=failed.run_id).status == ReportRun.Status.FAILED
    monkeypatch.undo()
    second = publish(services.bulletin_request_selection(user=office_clerk, params={}))
    assert (first.seq, second.seq) == (1, 2)


def test_the_units_named_and_their_leaders_are_told(ref, office_clerk, head_a, liaison_b, leader):
    bulletin = publish(services.bulletin_request_chase(user=office_clerk))
    told = set(Notification.objects.filter(url=reverse("reports:bulletin_detail", args=[bulletin.pk]))
               .values_list("recipient__username", flat=True))
    assert "head_a" in told and "leader" in told and "liaison_b" not in told


def test_who_may_see_a_bulletin(client_for, ref, office_clerk, liaison_a, liaison_b):
    bulletin = publish(services.bulletin_request_chase(user=office_clerk))
    url = reverse("reports:bulletin_detail", args=[bulletin.pk])
    assert client_for(liaison_a).get(url).status_code == 200
    assert client_for(liaison_a).get(reverse("reports:bulletin_download", args=[bulletin.pk, "pdf"])).status_code == 200
    assert client_for(liaison_b).get(url).status_code == 404
    assert client_for(liaison_b).get(reverse("reports:bulletin_new")).status_code == 403


def test_the_office_previews_a_selection_then_requests_it(client_for, ref, office_clerk, city):
    client = client_for(office_clerk)
    page = client.get(reverse("reports:bulletin_new"), {"unit": city.east.pk, "preview": "1"}).content.decode()
    assert 'data-testid="bulletin-count">1<' in page and "T-A3" in page
    response = client.post(reverse("reports:bulletin_new"), {"unit": city.east.pk})
    bulletin = Bulletin.objects.get()
    assert response["Location"] == reverse("reports:bulletin_detail", args=[bulletin.pk])
    assert bulletin.parameters["task_ids"] == [ref.a3.pk]
