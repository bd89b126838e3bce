"""Uploaded PDFs are evidence and stay byte for byte as uploaded, but the copy bound into a PDF/A
dossier carries no active content: no JavaScript, Launch, embedded-file or other actions at any
level (document, page, annotation, form field), and every dossier passes pikepdf's PDF/A-2b
validator, or the run fails and says why."""

import hashlib
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from pikepdf import Array, Dictionary, Name, String

from archives.models import EvidenceItem
from bench import samples
from reports.models import ReportRun
from reports.services import pipeline, runs

from .conftest import pdftotext

pytestmark = pytest.mark.django_db

ACTION_KEYS = {"/A", "/AA", "/OpenAction", "/JS", "/JavaScript", "/EF", "/EmbeddedFiles", "/FS", "/Launch"}


def _js(code: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def write_hostile_pdf(path: Path) -> None:
    """A real two-page document (text, embedded CJK fonts) armed at every level."""
    samples.write_pdf(path, title="关于开展文明交通劝导活动的补充通知", pages=2)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root
        root.OpenAction = pdf.make_indirect(_js("app.alert('opened')"))
        root.AA = Dictionary(WC=_js("app.alert('closing')"))
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not a real program",
                                                                  mime_type="application/octet-stream")
        root.Names.JavaScript = Dictionary(Names=Array([String("init"), pdf.make_indirect(_js("app.alert(1)"))]))
        page = pdf.pages[0]
        page.obj.AA = Dictionary(O=_js("app.alert('page open')"), C=Dictionary(S=Name.Launch, F=String("calc.exe")))
        launch = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([50, 50, 200, 80]), F=4,
                            A=Dictionary(S=Name.Launch, Win=Dictionary(F=String("cmd.exe"), P=String("/c calc"))))
        script = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([50, 90, 200, 120]), F=4,
                            A=Dictionary(S=Name.JavaScript, JS=String("app.launchURL('http://evil.example')"),
                                         Next=Dictionary(S=Name.Launch, F=String("x.exe"))))
        embedded = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([50, 130, 200, 160]), F=4,
                              A=Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("payload.exe"))))
        clip = pikepdf.AttachedFileSpec(pdf, b"second payload", mime_type="text/plain")
        attachment = Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([250, 50, 270, 70]), F=4,
                                FS=clip.obj)
        look = pdf.make_stream(b"0.9 g 0 0 150 30 re f", Type=Name.XObject, Subtype=Name.Form,
                               BBox=Array([0, 0, 150, 30]))
        field = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("name"), Rect=Array([50, 170, 200, 200]),
            F=4, AP=Dictionary(N=look), A=_js("app.alert('field')"),
            AA=Dictionary(K=_js("event.rc = true"), Fo=Dictionary(S=Name.Launch, F=String("calc.exe")))))
        field.P = page.obj
        page.obj.Annots = Array([pdf.make_indirect(a) for a in (launch, script, embedded, attachment)] + [field])
        root.AcroForm = Dictionary(Fields=Array([field]))
        pdf.save(path)


def write_pdf_with_a_font_not_embedded(path: Path) -> None:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 24 Tf 72 720 Td (Scanned notice) Tj ET")
    pdf.save(path)


def _run_with(document: EvidenceItem, user, data) -> ReportRun:
    params = {"framework_id": data.framework.pk, "unit_id": data.unit.pk}
    run = runs.report_run_request(kind=ReportRun.Kind.DOSSIER, parameters=params, user=user, title="卷宗",
                                  unit=data.unit)
    return pipeline.report_run_execute(run_id=run.pk)


def _active_content(path: str) -> list[str]:
    """Every place in the file where an action, a script or an embedded file could live."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                keys = set(obj.keys()) & ACTION_KEYS
                if keys or obj.get("/Type") in ("/Action", "/EmbeddedFile", "/Filespec"):
                    found.append(f"{obj.objgen} {sorted(keys)} {obj.get('/Type')}")
                if obj.get("/S") in ("/JavaScript", "/Launch", "/GoToE", "/GoToR", "/URI", "/SubmitForm"):
                    found.append(f"{obj.objgen} action {obj.get('/S')}")
        if "/AcroForm" in pdf.Root:
            found.append("/AcroForm")
    return found


def test_a_hostile_pdf_is_bound_without_its_active_content_and_the_original_is_kept(
        tmp_path, dossier_data, inspector, city):
    source = tmp_path / "hostile.pdf"
    write_hostile_pdf(source)
    assert _active_content(str(source))  # the generator did arm it
    hostile = samples.store_evidence(source, unit=city.unit_a, standards=[dossier_data.standards[2]],
                                     kind=EvidenceItem.Kind.DOCUMENT, subject="补充通知（带脚本）", category="计划",
                                     pages=2)
    stored = Path(hostile.file.path).read_bytes()

    run = _run_with(hostile, inspector, dossier_data)

    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    report = pikepdf.pdfa.validate_written(run.file.path, "2b")
    assert report.passed, report.summary()
    assert _active_content(run.file.path) == []
    text = pdftotext(run.file.path)
    assert "关于开展文明交通劝导活动的补充通知" in text  # its pages are bound, as print
    assert Path(hostile.file.path).read_bytes() == stored
    assert hashlib.sha256(stored).hexdigest() == hostile.sha256
    with pikepdf.open(run.file.path) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"


def test_a_pdf_that_cannot_be_archived_fails_the_run_and_names_the_file(tmp_path, dossier_data, inspector, city,
                                                                          media):
    source = tmp_path / "scan.pdf"
    write_pdf_with_a_font_not_embedded(source)
    item = samples.store_evidence(source, unit=city.unit_a, standards=[dossier_data.standards[2]],
                                  kind=EvidenceItem.Kind.DOCUMENT, subject="扫描件（字体未嵌入）", category="计划",
                                  pages=1)

    run = _run_with(item, inspector, dossier_data)

    assert run.status == ReportRun.Status.FAILED
    assert "《扫描件（字体未嵌入）》" in run.error and "PDF/A" in run.error and "字体" in run.error
    assert not run.file
    assert not [p for p in (media / "reports").rglob("*") if p.is_file()]
