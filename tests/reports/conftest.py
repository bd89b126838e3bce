"""A small dossier: 3 standards; 湖滨街道 has a 2-page PDF and one photo under 2.3.1.1, one photo
under 2.3.1.2 (phone photos with EXIF orientation 1 and 6), nothing under 2.3.1.3."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from archives.models import EvidenceItem
from bench import samples
from reports.models import ReportRun
from reports.services import runs

from ..factories import make_task


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def dossier_data(city, media, tmp_path):
    return make_dossier_data(city, tmp_path)


def make_dossier_data(city, folder):
    """The dossier's framework and 湖滨街道's material (its source files written under ``folder``)."""
    sample = samples.make_framework(standards=3)
    first, second, third = sample.standards
    base = samples.photo_base((640, 480))
    taken = timezone.make_aware(dt.datetime(2026, 5, 6, 9, 30))
    doc_path = folder / "notice.pdf"
    samples.write_pdf(doc_path, title="关于开展文明交通劝导活动的通知", pages=2)
    doc = samples.store_evidence(doc_path, unit=city.unit_a, standards=[first], kind=EvidenceItem.Kind.DOCUMENT,
                                 subject="文明交通劝导活动通知", category="计划", pages=2)
    photos = []
    for n, (standard, subject) in enumerate([(first, "路口劝导志愿服务"), (second, "斑马线礼让行人宣传")]):
        path = folder / f"IMG_{n}.jpg"
        samples.write_photo(path, base, n * 5)  # orientation 1, then 6 (portrait once applied)
        photos.append(samples.store_evidence(
            path, unit=city.unit_a, standards=[standard], kind=EvidenceItem.Kind.PHOTO, subject=subject,
            category="活动", taken_at=taken + dt.timedelta(days=n), place=f"湖滨路口{n + 1}号",
            people="志愿者王晓东等8人", reason="开展文明交通劝导"))
    return SimpleNamespace(framework=sample.framework, standards=sample.standards, area=sample.area, item=sample.item,
                           doc=doc, photos=photos, unit=city.unit_a)


def make_closed_task(dossier_data, actor, title: str):
    """A closed task of 湖滨街道 under 2.3.1.3 (a fixed due date a month away), with the dossier's
    two photos as its before and after photos."""
    from campaign.models import TimeLimit
    from tasks.models import RectificationTask, State, TaskPhoto

    task = make_task(actor=actor, unit=dossier_data.unit, indicator=dossier_data.standards[2], title=title,
                     time_limit=TimeLimit.objects.get(name="指定日期"), due=timezone.localdate() + dt.timedelta(days=30))
    RectificationTask.objects.filter(pk=task.pk).update(state=State.CLOSED, closed_at=timezone.now())
    TaskPhoto.objects.create(task=task, evidence=dossier_data.photos[0], kind=TaskPhoto.Kind.BEFORE)
    TaskPhoto.objects.create(task=task, evidence=dossier_data.photos[1], kind=TaskPhoto.Kind.AFTER)
    return task


@pytest.fixture
def dossier_run(dossier_data, inspector):
    """A pending dossier run over 湖滨街道 (the job is not sent: tests execute it themselves)."""
    return request_dossier(dossier_data, inspector)


def request_dossier(dossier_data, inspector):
    params = {"framework_id": dossier_data.framework.pk, "unit_id": dossier_data.unit.pk, "compiler": "湖滨街道办事处"}
    return runs.report_run_request(kind=ReportRun.Kind.DOSSIER, parameters=params, user=inspector,
                                   title="湖滨街道测评材料卷宗（全部指标）", unit=dossier_data.unit)


def pdftotext(path, first=None, last=None) -> str:
    import subprocess

    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout
