"""工作简报: figures and wording against the hand-computed city, PDF and .docx, numbering, recipients."""

import hashlib
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from archives.models import EvidenceItem
from bench import samples
from campaign.models import Notification
from reports.models import ReportRun, Summary
from reports.selectors.metrics.periods import Period
from reports.selectors.metrics.scopes import city_scope, unit_scope
from reports.services import pipeline
from reports.services.summaries import services
from reports.services.summaries.data import collect
from reports.services.summaries.wording import sections
from tasks.models import TaskPhoto

from . import figures_kit as kit

pytestmark = pytest.mark.django_db

SECTIONS = ["一、工作开展情况", "二、取得成效", "三、存在问题", "四、下一步工作打算"]
# Sentences the report must print for the kit's period [T-20, T] (previous period [T-41, T-21]).
FIGURES = [
    "共交办问题6件，较上期增加4件",
    "签收问题4件，其中按时签收3件，按时签收率75.0%；1件未在规定时限内签收",
    "经核查销号问题3件，较上期增加2件，其中按期销号2件，按期销号率66.7%；一次核查即通过2件，一次核查通过率66.7%",
    "累计交办问题8件（其中1件反弹后重新交办，按一件计），应整改7件，已整改3件，整改率42.9%，较上期末下降7.1个百分点",
    "仍有1件问题超过整改期限未销号，另有1件临近整改期限",
    "回头看发现反弹问题1件，累计反弹率25.0%",
]


@pytest.fixture
def ref(city, leader, media, tmp_path):
    data = kit.build(city, leader)
    base = samples.photo_base((480, 360))
    for n, kind in enumerate([TaskPhoto.Kind.BEFORE, TaskPhoto.Kind.AFTER]):
        path = tmp_path / f"IMG_{n}.jpg"
        samples.write_photo(path, base, n * 5)
        item = samples.store_evidence(path, unit=city.unit_a, standards=[], kind=EvidenceItem.Kind.PHOTO,
                                      subject="乱停放", category="照片")
        TaskPhoto.objects.create(task=data.a1, evidence=item, kind=kind)
    return data


def period_of(ref) -> Period:
    return Period(ref.today - timedelta(days=20), ref.today)


def flat(text: str) -> str:
    return "".join(text.split())


def pdf_text(path) -> str:
    return flat(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout)


def docx_text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return flat("".join(parts))


def build(ref, user, *, kind=Summary.Kind.BRIEFING, scope=None, period=None) -> Summary:
    summary = services.summary_request(kind=kind, scope=scope or city_scope(), period=period or period_of(ref),
                                       user=user)
    run = pipeline.report_run_execute(run_id=summary.run_id)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    summary.refresh_from_db()
    return summary


def test_the_report_states_the_hand_computed_figures_in_pdf_and_docx(ref, office_clerk):
    summary = build(ref, office_clerk)
    assert summary.issue_label == f"{ref.today.year}年第1期"
    pdf, word = pdf_text(summary.pdf_file.path), docx_text(summary.docx_file.path)
    for text in (pdf, word):
        assert "创文工作简报" in text and flat(summary.issue_label) in text
        positions = [text.index(s) for s in SECTIONS]
        assert positions == sorted(positions)
        for sentence in FIGURES:
            assert flat(sentence) in text, sentence
        assert "红榜" in text and "黑榜" in text and "市城市管理局" in text
        assert "案例1" in text and "T-A1问题" in text  # the closed task with before/after photos
    assert summary.figures["end"]["handed_over"] == 8
    assert summary.figures["rates"]["rectification_rate"] == "42.9"


def test_the_pdf_has_its_charts_and_photos_and_the_docx_its_pictures(ref, office_clerk):
    from pypdf import PdfReader

    summary = build(ref, office_clerk)
    reader = PdfReader(summary.pdf_file.path)
    images = {hashlib.sha1(image.data).hexdigest() for page in reader.pages for image in page.images}
    assert len(images) == 2  # the typical case: before and after (charts are vector, not images)
    assert "图1" in pdf_text(summary.pdf_file.path)
    doc = Document(summary.docx_file.path)
    assert len(doc.inline_shapes) >= 3  # chart(s) as PNG and the two photos


def test_a_period_with_nothing_in_it_says_so_and_prints_no_made_up_rate(ref):
    empty = Period(ref.today - timedelta(days=200), ref.today - timedelta(days=180))
    data = collect(city_scope(), empty, today=ref.today)
    text = "".join(p.lead + p.text for s in sections(data) for p in s.paragraphs)
    assert "本期未新交办问题" in text and "本期暂无经核查销号的问题" in text
    assert "整改率" not in text and "%" not in text and "本期未发现突出问题" in text


def test_a_units_report_counts_only_that_unit(ref, city):
    data = collect(unit_scope(city.east), period_of(ref), today=ref.today)
    assert kit.counts(data.end) == kit.UNIT_A_TODAY
    assert [u.name for u in data.ranking] == ["湖滨街道"]


def test_issues_are_numbered_per_series_and_year_without_gaps(ref, office_clerk, monkeypatch):
    first = build(ref, office_clerk)
    from reports.services.summaries import services as module

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(module, "write_pdf", broken)
    failed = services.summary_request(kind=Summary.Kind.BRIEFING, scope=city_scope(), period=period_of(ref),
                                      user=office_clerk)
    run = pipeline.report_run_execute(run_id=failed.run_id)
    assert run.status == ReportRun.Status.FAILED and "系统内部错误" in run.error
    failed.refresh_from_db()
    assert failed.issue_no is None
    assert Notification.objects.filter(recipient=office_clerk, title__contains="生成失败",
                                       url=reverse("reports:summary_detail", args=[failed.pk])).exists()
    monkeypatch.undo()
    second = build(ref, office_clerk)
    monthly = build(ref, office_clerk, kind=Summary.Kind.MONTHLY)
    assert (first.issue_no, second.issue_no, monthly.issue_no) == (1, 2, 1)


def test_the_office_and_the_scopes_leaders_are_told(ref, office_clerk, leader, inspector):
    summary = build(ref, office_clerk)
    told = set(Notification.objects.filter(url=reverse("reports:summary_detail", args=[summary.pk]))
               .values_list("recipient__username", flat=True))
    assert told == {"clerk", "leader"}  # office staff and the leaders of the scope; not inspectors
    assert Notification.objects.filter(recipient=office_clerk).count() == 1  # one message, not two


def test_the_form_requests_a_report_and_the_page_offers_both_files(client_for, office_clerk, ref):
    client = client_for(office_clerk)
    response = client.post(reverse("reports:summary_new"), {"scope": "city", "preset": "custom",
                                                            "start": ref.today - timedelta(days=20),
                                                            "end": ref.today})
    summary = Summary.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:summary_detail",
                                                                          args=[summary.pk])
    assert (summary.period_start, summary.period_end) == (ref.today - timedelta(days=20), ref.today)
    pipeline.report_run_execute(run_id=summary.run_id)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="download-pdf"' in page and 'data-testid="download-docx"' in page
    word = client.get(reverse("reports:summary_download", args=[summary.pk, "docx"]))
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")


def test_bad_periods_are_refused_with_a_clear_message(client_for, office_clerk, ref):
    client = client_for(office_clerk)
    response = client.post(reverse("reports:summary_new"), {"scope": "city", "preset": "custom",
                                                            "start": ref.today, "end": ref.today - timedelta(days=3)})
    assert response.status_code == 400 and "起始日期不能晚于截止日期" in response.content.decode()
    assert not Summary.objects.exists()


def test_who_may_see_which_reports(client_for, leader, liaison_a, office_clerk, city, ref):
    city_issue = services.summary_request(kind=Summary.Kind.BRIEFING, scope=city_scope(), period=period_of(ref),
                                          user=office_clerk)
    north = services.summary_request(kind=Summary.Kind.BRIEFING, scope=unit_scope(city.north),
                                     period=period_of(ref), user=office_clerk)
    client = client_for(leader)
    assert client.get(reverse("reports:summary_detail", args=[city_issue.pk])).status_code == 200
    assert client.get(reverse("reports:summary_detail", args=[north.pk])).status_code == 404
    assert client_for(liaison_a).get(reverse("reports:summary_list")).status_code == 403


def test_a_leader_may_request_a_report_for_their_own_scope_only(client_for, leader, ref):
    client = client_for(leader)
    refused = client.post(reverse("reports:summary_new"), {"scope": "city", "preset": "last_week"})
    assert refused.status_code == 400 and "您不能生成这个范围的简报" in refused.content.decode()
    client.post(reverse("reports:summary_new"), {"scope": f"leader:{leader.pk}", "preset": "last_week"})
    summary = Summary.objects.get()
    assert (summary.scope_kind, summary.scope_id) == ("leader", leader.pk)
    assert summary.period_start.weekday() == 0 and (summary.period_end - summary.period_start).days == 6


def test_the_polled_page_content_shows_the_published_issue_and_stops_polling(client_for, office_clerk, ref):
    client = client_for(office_clerk)
    client.post(reverse("reports:summary_new"), {"scope": "city", "preset": "last_week"})
    summary = Summary.objects.get()
    url = reverse("reports:summary_detail", args=[summary.pk])
    waiting = client.get(url, {"partial": 1}).content.decode()
    assert 'hx-trigger="every 1500ms"' in waiting and "（未印发）" in waiting
    assert '<html' not in waiting  # the page's content only, swapped in place of the old one
    assert waiting.lstrip().startswith('<div id="report-page"')  # nothing around it to pile up swap after swap
    pipeline.report_run_execute(run_id=summary.run_id)
    summary.refresh_from_db()
    done = client.get(url, {"partial": 1}).content.decode()
    assert "hx-trigger" not in done
    assert f"{summary.year}年第{summary.issue_no}期" in done and "（未印发）" not in done
    assert f"{timezone.localtime(summary.published_at):%Y-%m-%d %H:%M}" in done
    assert 'data-testid="download-pdf"' in done and 'data-testid="summary-figures"' in done
