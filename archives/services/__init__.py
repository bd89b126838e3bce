"""Writes of the archives app. ``evidence_store`` is the ONE way any app stores a file.

Decisions, for the engineers who call these:

* **Checked by content.** JPEG, PNG, WebP and HEIC/HEIF photos; PDF documents; Word, Excel and
  PowerPoint files (.docx/.xlsx/.pptx and legacy .doc/.xls/.ppt). The name's extension is never
  trusted; the stored name gets the extension the content really has.
* **Office files are stored and listed, not bound.** No office suite is installed on the servers,
  so .docx/.xlsx/… are kept as ``Kind.OFFICE`` items, shown with the note "不装订进卷宗（请另存为
  PDF 上传）", and left out of dossiers (``EvidenceItem.objects.bindable()``). Convert to PDF to bind.
* **HEIC is converted.** Browsers and PDFs cannot show HEIC, so a phone's HEIC becomes the stored
  JPEG (quality 92, upright, EXIF time and GPS kept); its SHA-256 is that of the JPEG.
* **Originals are untouched.** EXIF orientation is applied only in the print rendition
  (``print_file``: JPEG, long side ≤ 2400 px, quality 85, no EXIF) and the thumbnail
  (``thumb_file``), made by the ``archives.make_print_rendition`` job (queued through the
  transactional outbox ``campaign.services.queue.enqueue``, so it runs after the upload commits, even if
  Redis was down at the time), by the beat sweeper ``archives.make_missing_renditions`` for any
  the job missed, or synchronously by ``evidence_make_rendition`` (tests, small uploads, views).
  ``width``/``height`` are the upright (displayed) dimensions.
* **Duplicates.** The same bytes again for the same unit → no new row: the existing current item
  is returned (``item.reused is True``) and the standards asked for are linked to it. The same
  bytes for another unit → a new row (its own caption and review) with ``duplicate_of`` pointing at
  the first copy; both rows share one file on disk (paths are content-addressed). Nothing the
  uploader sees (reply, item page, history) says that another unit holds the same bytes.
* **Nothing half-stored.** A refused file raises ``EvidenceRejected`` (a ValidationError with a
  Chinese message) and leaves no row and no file. A service that stores files and may still
  refuse afterwards runs in ``evidence_atomic`` (not plain ``transaction.atomic``): when it rolls
  back, the files it moved into place are removed at once, unless a committed row uses them.
  Anything else left behind is removed by the daily orphan sweeper (``orphans.py``), which
  re-checks each file under its content lock, so a file a new upload just reused is kept.
* **Rejected names.** A name with folders, ".." or control characters is refused (no browser
  sends one; the multipart parser already strips folders); other odd names are cleaned
  (direction overrides, Windows-forbidden characters, length ≤ 100).
* **Limits** come from settings when set: ``EVIDENCE_MAX_PHOTO_BYTES`` (30 MB),
  ``EVIDENCE_MAX_DOCUMENT_BYTES`` (50 MB), ``EVIDENCE_MAX_PIXELS`` (60 MP), ``EVIDENCE_MAX_PDF_PAGES``.
* **Corrections.** ``evidence_supersede`` / ``evidence_store_correction``: the old item stays,
  linked and marked superseded; nothing is deleted.
"""

from archives.services.checks import EvidenceRejected, clean_name, limits
from archives.services.orphans import evidence_atomic, evidence_sweep_orphan_files
from archives.services.renditions import evidence_make_missing_renditions, evidence_make_rendition
from archives.services.review import (
    CAPTION_FIELDS,
    evidence_approve_many,
    evidence_review,
    evidence_store_correction,
    evidence_submit,
    evidence_submit_many,
    evidence_supersede,
    evidence_update_caption,
    submission_form_save,
)
from archives.services.store import evidence_store

__all__ = [
    "CAPTION_FIELDS",
    "EvidenceRejected",
    "clean_name",
    "evidence_atomic",
    "evidence_approve_many",
    "evidence_make_missing_renditions",
    "evidence_make_rendition",
    "evidence_review",
    "evidence_store",
    "evidence_store_correction",
    "evidence_submit",
    "evidence_submit_many",
    "evidence_supersede",
    "evidence_sweep_orphan_files",
    "evidence_update_caption",
    "limits",
    "submission_form_save",
]
