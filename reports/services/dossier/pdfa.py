"""PDF/A-2b for the dossier, with pikepdf's own tools (veraPDF is not available on these machines).

- ``bindable_copy``: an uploaded PDF is evidence and is never changed. What the dossier binds is a
  print copy made in the work folder: ``pikepdf.sanitize`` removes scripts, embedded files,
  multimedia and the actions that reach the network or the file system (at document, page,
  annotation, form-field and outline level); the printable appearance of annotations and form
  fields is then drawn into the page and the annotations themselves dropped, because a bound
  page, like a printed one, has no links, fields or attachments to act on.
- ``check_copy``: the copy's pages alone, prepared as PDF/A, through ``pikepdf.pdfa``'s allowlist
  validator, so a file that cannot be archived is named before anything else is rendered.
- ``save``: the finished dossier is prepared (sRGB output intent, XMP declaration) and written by
  ``pikepdf.pdfa.save``, which validates the bytes it wrote and writes nothing if they do not
  pass. The validator approves only what it knows to conform, so a dossier that is written
  declares PDF/A-2b truthfully, and one that cannot be is not written at all.
"""

from __future__ import annotations

import pikepdf
import pikepdf.pdfa
from pikepdf.sanitize import Sanitizer

FLAVOUR = "2b"
SAVE_OPTIONS = {"object_stream_mode": pikepdf.ObjectStreamMode.generate, "min_version": "1.7"}
SCRUB = (Sanitizer().remove_javascript().remove_external_access().remove_attachments().remove_multimedia()
         .remove_thumbnails().remove_private_app_data())
# What the findings of the validator are about, in words for the person who uploaded the file.
TOPICS = [
    ("font", "使用了未嵌入或不完整的字体"),
    ("transparen", "含有透明效果"),
    ("colo", "颜色设置不符合要求"),
    ("encrypt", "文件已加密"),
    ("annot", "含有无法归档的批注"),
    ("action", "含有交互动作"),
    ("embedded", "含有嵌入文件"),
    ("image", "含有无法归档的图片"),
]


class NotArchivable(Exception):
    """The validator did not approve; ``str()`` says why in Chinese, ``report`` holds the findings."""

    def __init__(self, report: pikepdf.pdfa.Report):
        self.report = report
        super().__init__(describe(report))


def bindable_copy(source: str, target: str) -> int:
    """Write the print copy of ``source`` to ``target``; returns its page count."""
    with pikepdf.open(source) as pdf:
        SCRUB.apply(pdf)
        pdf.flatten_annotations("print")
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
        _drop_empty_resources(pdf)
        pdf.save(target, **SAVE_OPTIONS)
        return len(pdf.pages)


def check_copy(path: str) -> pikepdf.pdfa.Report:
    """The verdict on the copy's pages as they will sit in the dossier (nothing is written)."""
    with pikepdf.open(path) as source, pikepdf.new() as pdf:
        pdf.pages.extend(source.pages)
        pikepdf.pdfa.prepare(pdf, FLAVOUR)
        return pikepdf.pdfa.check(pdf, FLAVOUR, **SAVE_OPTIONS)


def save(pdf: pikepdf.Pdf, path: str) -> None:
    """Prepare ``pdf`` as PDF/A-2b and write it to ``path`` only if what was written passes."""
    _drop_empty_resources(pdf)
    try:
        pikepdf.pdfa.save(pdf, path, FLAVOUR, **SAVE_OPTIONS)
    except pikepdf.pdfa.PdfaError as exc:
        raise NotArchivable(exc.report) from None


def describe(report: pikepdf.pdfa.Report, limit: int = 2) -> str:
    """“使用了未嵌入或不完整的字体” and the first findings, for a message to the requester."""
    findings = report.violations or report.findings
    topics = []
    for finding in findings:
        text = f"{finding.rule} {finding.message}".lower()
        topic = next((words for key, words in TOPICS if key in text), "含有 PDF/A 不允许或无法校验的内容")
        if topic not in topics:
            topics.append(topic)
    details = "；".join(f"{f.message}（{f.where}）" for f in findings[:limit])
    return f"{'、'.join(topics)}（校验详情：{details}）"


def _drop_empty_resources(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint writes empty /Pattern and /Shading dictionaries on every page; they hold nothing,
    and the allowlist validator does not check patterns or shadings, so it would not approve them."""
    seen: set[tuple[int, int]] = set()

    def clean(resources) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        if resources.is_indirect:
            if resources.objgen in seen:
                return
            seen.add(resources.objgen)
        for key in ("/Pattern", "/Shading"):
            if key in resources and isinstance(resources[key], pikepdf.Dictionary) and not len(resources[key]):
                del resources[key]
        for xobject in resources.get("/XObject", {}).values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                clean(xobject.get("/Resources"))

    for page in pdf.pages:
        clean(page.obj.get("/Resources"))
