"""The bound dossier: pages, bookmarks, text order, manifest, fonts, metadata, PDF/A-2b validation."""

import hashlib
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pikepdf.pdfa
import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from reports.models import ReportRun
from reports.services import pipeline, runs

from ..conftest import preload_presets
from ..factories import persona, reference_city
from .conftest import make_closed_task, make_dossier_data, pdftotext, request_dossier

# cover 1 + 总目录 1 + 2.3.1.1 (提交表 1 + PDF 2 + photo 1) + 2.3.1.2 (提交表 1 + photo 1) + 2.3.1.3 (empty 提交表 1) + 清单 1
EXPECTED_PAGES = 10


@pytest.fixture(scope="class")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """One dossier for the checks that only read it (each build starts a renderer and takes
    seconds): built once, inside a transaction rolled back when the class is done."""
    folder = tmp_path_factory.mktemp("dossier")
    media = folder / "media"
    media.mkdir()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        preload_presets()
        city = reference_city()
        data = make_dossier_data(city, folder)
        run = pipeline.report_run_execute(run_id=request_dossier(data, persona("inspector", city)).pk)
        assert run.status == ReportRun.Status.SUCCEEDED, run.error
        yield SimpleNamespace(run=run, data=data, media=media)
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestOneBuiltDossier:
    def test_dossier_has_expected_pages_and_bookmarks(self, built):
        reader = PdfReader(built.run.file.path)
        assert built.run.pages == len(reader.pages) == EXPECTED_PAGES

        def titles(items):
            return [titles(i) if isinstance(i, list) else i.title for i in items]

        assert titles(reader.outline) == [
            "封面", "总目录", "2 公共文明",
            ["2.3 公共秩序", ["2.3.1.1 交通秩序良好（1）", "2.3.1.2 交通秩序良好（2）", "2.3.1.3 交通秩序良好（3）"]],
            "附录 文件清单",
        ]
        by_title = {}

        def index(items):
            for i in items:
                if isinstance(i, list):
                    index(i)
                else:
                    by_title[i.title] = reader.get_destination_page_number(i)

        index(reader.outline)
        assert by_title["2.3.1.1 交通秩序良好（1）"] == 2  # zero-based: after cover and 总目录
        assert by_title["2.3.1.2 交通秩序良好（2）"] == 6
        assert by_title["附录 文件清单"] == 9

    def test_text_appears_in_dossier_order_with_page_numbers(self, built):
        text = pdftotext(built.run.file.path)
        order = [
            "湖滨街道测评材料卷宗", "总目录", "测评材料提交表", "2.3.1.1", "关于开展文明交通劝导活动的通知",
            "湖滨路口1号", "路口劝导志愿服务", "测评材料提交表", "2.3.1.2", "湖滨路口2号", "斑马线礼让行人宣传",
            "测评材料提交表", "2.3.1.3", "本单位暂无该标准已审核的材料", "文件清单",
        ]
        position = 0
        for marker in order:
            found = text.find(marker, position)
            assert found >= 0, f"{marker} not found after position {position}"
            position = found + len(marker)
        # The 总目录 gives the page where each standard starts; the footer numbers every page.
        toc = pdftotext(built.run.file.path, 2)
        assert re.search(r"2\.3\.1\.2 交通秩序良好（2）\s+7\b", toc)
        assert re.search(r"第\s*7\s*页\s*共\s*10\s*页", pdftotext(built.run.file.path, 7))
        assert "2.3.1.1 交通秩序良好（1）" in pdftotext(built.run.file.path, 4)  # running header over a PDF page

    def test_manifest_hashes_match_the_stored_files(self, built):
        manifest = pdftotext(built.run.file.path, EXPECTED_PAGES)
        listed = re.findall(r"\b[0-9a-f]{64}\b", manifest.replace("\n", " "))
        stored = [hashlib.sha256(Path(i.file.path).read_bytes()).hexdigest()
                  for i in [built.data.doc, *built.data.photos]]
        assert sorted(listed) == sorted(stored)

    def test_fonts_embedded_metadata_and_pdfa_validation(self, built):
        report = pikepdf.pdfa.validate_written(built.run.file.path, "2b")
        assert report.passed, report.summary()
        with pikepdf.open(built.run.file.path) as pdf:
            assert str(pdf.docinfo["/Title"]) == "湖滨街道测评材料卷宗（全部指标）"
            assert str(pdf.docinfo["/Author"]) == "赵海燕"
            meta = pdf.open_metadata()
            assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
            assert meta["dc:title"] == "湖滨街道测评材料卷宗（全部指标）"
        fonts = subprocess.run(["pdffonts", built.run.file.path], check=True, capture_output=True, text=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:]]
        assert rows and all(row[-5] == "yes" for row in rows)  # the "emb" column: every font embedded
        names = {row[0].split("+")[-1] for row in rows}
        assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"} <= names

    def test_photo_pages_hold_the_upright_print_rendition_not_the_original(self, built):
        portrait = built.data.photos[1]  # written with EXIF orientation 6
        portrait.refresh_from_db()
        original = Path(portrait.file.path).read_bytes()
        assert hashlib.sha256(original).hexdigest() == portrait.sha256  # the original stays untouched
        with Image.open(portrait.print_file.path) as rendition:
            assert rendition.height > rendition.width and not rendition.getexif().get(0x0112)
            size = rendition.size
        with pikepdf.open(built.run.file.path) as pdf:
            images = [x for x in pdf.pages[7].obj.Resources.XObject.values() if x.get("/Subtype") == "/Image"]
            assert [(int(i.Width), int(i.Height)) for i in images] == [size]
            assert images[0].read_raw_bytes() == Path(portrait.print_file.path).read_bytes()

    def test_running_the_job_twice_builds_once(self, built):
        run = built.run
        stamp = Path(run.file.path).stat().st_mtime_ns
        assert pipeline.report_run_execute(run_id=run.pk) is None  # redelivered message: nothing to do
        again = ReportRun.objects.get(pk=run.pk)
        assert (again.status, again.attempts, again.sha256) == (ReportRun.Status.SUCCEEDED, 1, run.sha256)
        assert Path(again.file.path).stat().st_mtime_ns == stamp
        files = sorted(p.relative_to(built.media).as_posix() for p in (built.media / "reports").rglob("*") if p.is_file())
        assert files == [f"reports/{run.pk}/dossier-{run.pk}.pdf"]


def test_a_stale_attempt_does_not_replace_the_file_of_the_attempt_that_finished(dossier_run, media, monkeypatch):
    """The first attempt loses its heartbeat just after its last progress check; the sweeper hands
    the run to a second attempt, which finishes. The first attempt then has a finished dossier in
    its work folder, and must leave the published one alone."""
    from datetime import timedelta

    from django.utils import timezone

    check = runs.report_run_progress
    second = {}

    def progress_then_taken_over(*, run, progress, stage):
        check(run=run, progress=progress, stage=stage)
        if stage == "保存文件" and run.attempts == 1:
            ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
            assert runs.report_runs_sweep()["requeued"] == 1
            second["run"] = pipeline.report_run_execute(run_id=run.pk)
            second["file"] = Path(second["run"].file.path).stat()

    monkeypatch.setattr(runs, "report_run_progress", progress_then_taken_over)
    run = pipeline.report_run_execute(run_id=dossier_run.pk)
    assert second["run"].status == ReportRun.Status.SUCCEEDED and second["run"].attempts == 2
    assert (run.status, run.attempts, run.sha256) == (ReportRun.Status.SUCCEEDED, 2, second["run"].sha256)
    published = Path(run.file.path)
    assert (published.stat().st_ino, published.stat().st_mtime_ns) == (second["file"].st_ino, second["file"].st_mtime_ns)
    assert hashlib.sha256(published.read_bytes()).hexdigest() == run.sha256
    files = sorted(p.relative_to(media).as_posix() for p in (media / "reports").rglob("*") if p.is_file())
    assert files == [f"reports/{run.pk}/dossier-{run.pk}.pdf"]  # the stale attempt's work folder is gone too


def test_an_unreadable_pdf_fails_the_run_with_a_message(dossier_run, dossier_data, media):
    Path(dossier_data.doc.file.path).write_bytes(b"%PDF-1.7\nthis is not a pdf")
    run = pipeline.report_run_execute(run_id=dossier_run.pk)
    assert run.status == ReportRun.Status.FAILED
    assert "文明交通劝导活动通知" in run.error and "请替换该文件后重新生成" in run.error
    assert not run.file
    assert not [p for p in (media / "reports").rglob("*") if p.is_file()]  # no partial output left behind


def test_an_unexpected_error_fails_the_run_with_a_useful_message(dossier_run, monkeypatch):
    from reports.services.dossier import build

    def explode(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build.DossierBuilder, "prepare", explode)
    run = pipeline.report_run_execute(run_id=dossier_run.pk)
    assert run.status == ReportRun.Status.FAILED
    assert run.error.startswith("生成失败：系统内部错误（RuntimeError）")
    assert run.finished_at is not None


def test_rectification_pairs_are_bound_after_the_standards_material(dossier_data, inspector, office_clerk):
    task = make_closed_task(dossier_data, office_clerk, "路口护栏破损")
    params = {"framework_id": dossier_data.framework.pk, "unit_id": dossier_data.unit.pk, "include_rectification": True}
    run = runs.report_run_request(kind=ReportRun.Kind.DOSSIER, parameters=params, user=inspector,
                                  title="含整改对比的卷宗", unit=dossier_data.unit)
    run = pipeline.report_run_execute(run_id=run.pk)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    assert run.pages == EXPECTED_PAGES + 1
    pair_page = pdftotext(run.file.path, EXPECTED_PAGES)  # after 2.3.1.3's 提交表, before the manifest
    assert "整改前后对比" in pair_page and task.number in pair_page and "路口护栏破损" in pair_page
    assert "整改前" in pair_page and "整改后" in pair_page


def _build(user, params, title="卷宗"):
    run = runs.report_run_request(kind=ReportRun.Kind.DOSSIER, parameters=params, user=user, title=title)
    run = pipeline.report_run_execute(run_id=run.pk)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    return run


def test_the_cover_names_the_chosen_area_and_the_framework_once(client_for, inspector, dossier_data, media,
                                                                 django_capture_on_commit_callbacks):
    dossier_data.framework.name = "全国文明城市测评体系（2026年版）"
    dossier_data.framework.save()
    with django_capture_on_commit_callbacks(execute=False):
        client_for(inspector).post(reverse("reports:dossier_request"), {
            "indicator": dossier_data.area.pk, "unit": dossier_data.unit.pk, "compiler": "湖滨街道办事处"})
    run = pipeline.report_run_execute(run_id=ReportRun.objects.get().pk)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    cover = " ".join(pdftotext(run.file.path, 1).split())
    assert "湖滨街道测评材料卷宗 （2 公共文明）" in cover
    assert "全国文明城市测评体系（2026年版）" in cover and "（2026年版）（2026）" not in cover
    with pikepdf.open(run.file.path) as pdf:
        assert str(pdf.docinfo["/Title"]) == "湖滨街道测评材料卷宗（2 公共文明）"


def test_standards_without_approved_material_can_be_left_out_and_the_index_says_how_many(inspector, dossier_data):
    params = {"framework_id": dossier_data.framework.pk, "unit_id": dossier_data.unit.pk, "skip_empty": True}
    run = _build(inspector, params)
    assert run.pages == EXPECTED_PAGES - 1  # 2.3.1.3's empty 提交表 is not bound
    text = pdftotext(run.file.path)
    assert "2.3.1.3" not in text and "本单位暂无该标准已审核的材料" not in text
    toc = " ".join(pdftotext(run.file.path, 2).split())
    assert "另有 1 项测评标准在所选范围内没有已审核的材料，未收录" in toc
    titles = [i.title for i in PdfReader(run.file.path).outline[3][1]]  # under 2.3 公共秩序
    assert titles == ["2.3.1.1 交通秩序良好（1）", "2.3.1.2 交通秩序良好（2）"]


def test_a_scope_with_no_approved_material_at_all_fails_with_a_message(inspector, dossier_data, city):
    params = {"framework_id": dossier_data.framework.pk, "unit_id": city.unit_b.pk, "skip_empty": True}
    run = runs.report_run_request(kind=ReportRun.Kind.DOSSIER, parameters=params, user=inspector, title="卷宗")
    run = pipeline.report_run_execute(run_id=run.pk)
    assert run.status == ReportRun.Status.FAILED
    assert "没有已审核的材料" in run.error and "略去没有已审核材料的测评标准" in run.error
