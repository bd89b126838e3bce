"""Storing a file as evidence: stage → check → move into its content-addressed place → row.

Nothing of a refused file survives: the upload is streamed (and hashed) into a private staging
folder, checked there, and only then moved into ``evidence/<aa>/<sha256>.<ext>`` inside the
transaction that creates the row. If the row cannot be written, the moved file is removed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image

from archives.models import (
    CATEGORY_CHOICES,
    EVIDENCE_MOVES,
    EvidenceItem,
    category_choices,
    category_problem,
    default_category,
)
from archives.services.checks import MB, EvidenceRejected, Inspected, check_name, clean_name, inspect_file, limits
from archives.services.orphans import lock_content, note_written
from campaign.models import Indicator, OrgUnit, User
from campaign.models.moves import NEW, check_move
from campaign.services import event_record
from campaign.services.queue import enqueue

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024


@dataclass
class Staged:
    """An upload copied into the staging folder, with its hash and size."""

    path: Path
    sha256: str
    size: int
    head: bytes

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def staging_dir() -> Path:
    # Inside MEDIA_ROOT so that the final move is a rename on the same file system.
    folder = Path(settings.MEDIA_ROOT) / ".incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _chunks(file):
    if isinstance(file, bytes | bytearray):
        for start in range(0, len(file), CHUNK):
            yield bytes(file[start:start + CHUNK])
        return
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    if hasattr(file, "chunks"):
        yield from file.chunks(CHUNK)
        return
    while True:
        chunk = file.read(CHUNK)
        if not chunk:
            return
        yield chunk


def stage(file) -> Staged:
    """Stream the upload to a staging file, hashing as it goes; stop at the largest size limit."""
    hard_limit = max(limits()["photo"], limits()["document"])
    fd, name = tempfile.mkstemp(dir=staging_dir(), prefix="up-")
    path = Path(name)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(file):
                size += len(chunk)
                if size > hard_limit:
                    raise EvidenceRejected(f"文件过大，单个文件不能超过 {hard_limit // MB} MB。请压缩或拆分后再上传。",
                                           code="too_large")
                if len(head) < 4096:
                    head += chunk[: 4096 - len(head)]
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Staged(path=path, sha256=digest.hexdigest(), size=size, head=head)


def convert_heif(staged: Staged) -> Staged:
    """HEIC/HEIF from phones → JPEG (browsers and PDFs cannot show HEIC). pillow-heif has already
    turned the picture upright, so the EXIF orientation is reset to 1; time and GPS are kept."""
    fd, name = tempfile.mkstemp(dir=staging_dir(), prefix="heic-", suffix=".jpg")
    os.close(fd)
    path = Path(name)
    try:
        with Image.open(staged.path) as img:
            exif = img.getexif()
            exif[0x0112] = 1
            img.convert("RGB").save(path, "JPEG", quality=92, exif=exif.tobytes(),
                                    icc_profile=img.info.get("icc_profile"))
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(partial(fh.read, CHUNK), b""):
                digest.update(chunk)
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except (OSError, ValueError, SyntaxError) as exc:
        path.unlink(missing_ok=True)
        raise EvidenceRejected("HEIC 照片无法转换，请在手机上导出为 JPEG 后上传。", code="broken_image") from exc
    return Staged(path=path, sha256=digest.hexdigest(), size=path.stat().st_size, head=head)


def move_into_place(staged: Staged, name: str) -> bool:
    """Move the staged file to its content-addressed name; False if those bytes are already there.
    Reusing a file refreshes its mtime: an old file the orphan sweeper may be looking at (its row
    long deleted) is young again, and the sweeper leaves young files alone (see orphans.py)."""
    dest = Path(default_storage.path(name))
    if dest.exists():
        try:
            os.utime(dest)
        except OSError:  # not ours to touch: the sweeper's re-check under the lock still protects it
            log.warning("无法更新文件时间 %s", dest)
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged.path, dest)
    os.chmod(dest, 0o644)
    return True


def _indicator_ids(indicators) -> list[int]:
    ids = sorted({getattr(i, "pk", i) for i in indicators or ()})
    if ids and Indicator.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationError("所选测评标准不存在，请重新选择。")
    return ids


def _check_arguments(category: str | None, status: str) -> None:
    if category is not None and category not in dict(CATEGORY_CHOICES) and category not in dict(category_choices()):
        raise ValidationError(f"未知的资料类别：{category}")
    check_move(EVIDENCE_MOVES, "store", NEW, target=status)


def evidence_store(
    *,
    file,
    uploader: User | None,
    unit: OrgUnit,
    category: str | None = None,
    indicators=(),
    taken_at: datetime | None = None,
    place: str = "",
    people: str = "",
    subject: str = "",
    reason: str = "",
    formed_on: date | None = None,
    year: int | None = None,
    archive_number: str = "",
    status: str = EvidenceItem.Status.DRAFT,
    name: str | None = None,
    photos_only: bool = False,
) -> EvidenceItem:
    """Check a file by its content and store it as one EvidenceItem of ``unit``.

    ``photos_only`` refuses anything that is not a photo (before/after and visit photos).
    ``category`` must fit the file's kind (``category_problem``); without one, the file gets
    ``default_category`` of its kind, so a batch of photos and PDFs needs no category at all.

    ``file`` is an uploaded file, any binary file object or ``bytes``; ``name`` overrides its
    name. Raises ``EvidenceRejected`` (a ValidationError, message in Chinese) and stores nothing
    if the file is refused. If this unit already holds the same bytes (a current item), that item
    is returned instead of a new one, with ``item.reused = True`` and the given standards added.
    The caller checks that ``uploader`` may file evidence for ``unit``.
    """
    _check_arguments(category, status)
    indicator_ids = _indicator_ids(indicators)
    original = name if name is not None else getattr(file, "name", "") or ""
    check_name(original)
    staged = stage(file)
    converted = None
    try:
        checked = inspect_file(staged.path, staged.size, staged.head)
        if photos_only and checked.kind != EvidenceItem.Kind.PHOTO:
            raise EvidenceRejected("这里只能上传照片（JPEG、PNG、WebP 或手机 HEIC 照片）。", code="not_a_photo")
        category = category or default_category(checked.kind)
        problem = category_problem(checked.kind, category, original)
        if problem:
            raise EvidenceRejected(problem, code="category_kind")
        final = staged
        if checked.needs_conversion:
            converted = final = convert_heif(staged)
            original = original.rsplit(".", 1)[0] if "." in original else original
        caption = {
            "taken_at": taken_at or checked.taken_at, "place": place.strip(), "people": people.strip(),
            "subject": subject.strip(), "reason": reason.strip(), "formed_on": formed_on,
            "archive_number": archive_number.strip(), "category": category,
        }
        caption["year"] = year or _default_year(caption)
        return _record(final, checked, clean_name(original, checked.ext), uploader=uploader, unit=unit,
                       caption=caption, indicator_ids=indicator_ids, status=status)
    finally:
        staged.discard()
        if converted is not None:
            converted.discard()


def _default_year(caption: dict) -> int:
    if caption["formed_on"]:
        return caption["formed_on"].year
    moment = caption["taken_at"] or timezone.now()
    return timezone.localtime(moment).year


@transaction.atomic
def _record(staged: Staged, checked: Inspected, original_name: str, *, uploader, unit, caption: dict,
            indicator_ids: list[int], status: str) -> EvidenceItem:
    # Serialises uploads of the same bytes (two requests cannot both create rows) and keeps the
    # orphan sweeper off the file until this transaction ends.
    lock_content(staged.sha256)
    same = EvidenceItem.objects.current().filter(unit=unit, sha256=staged.sha256).order_by("pk").first()
    if same is not None:
        return _reuse(same, uploader=uploader, original_name=original_name, indicator_ids=indicator_ids)
    first = EvidenceItem.objects.filter(sha256=staged.sha256).order_by("pk").first()
    file_name = f"evidence/{staged.sha256[:2]}/{staged.sha256}.{checked.ext}"
    moved = move_into_place(staged, file_name)
    try:
        item = _create(staged, checked, original_name, file_name, first=first, uploader=uploader, unit=unit,
                       caption=caption, indicator_ids=indicator_ids, status=status)
    except BaseException:
        if moved:
            default_storage.delete(file_name)
        raise
    if moved:
        note_written(file_name)  # taken back if an enclosing evidence_atomic block rolls back
    if item.is_photo and not item.print_file:
        # Through the transactional outbox: sent after commit, resent by the beat job if Redis was down.
        enqueue("archives.make_print_rendition", item.pk)
    item.reused = False
    return item


def _create(staged, checked, original_name, file_name, *, first, uploader, unit, caption, indicator_ids,
            status) -> EvidenceItem:
    now = timezone.now()
    item = EvidenceItem(
        original_name=original_name, sha256=staged.sha256, size=staged.size, mime=checked.mime, kind=checked.kind,
        width=checked.width, height=checked.height, page_count=checked.page_count, gps_lat=checked.gps_lat,
        gps_lon=checked.gps_lon, uploader=uploader, unit=unit, status=status, duplicate_of=first, **caption,
    )
    item.file.name = file_name
    if first is not None and first.print_file:
        # Same bytes, same rendition: share it.
        item.print_file.name, item.thumb_file.name = first.print_file.name, first.thumb_file.name
    if status == EvidenceItem.Status.APPROVED:
        item.reviewed_at = now
    item.save()
    if indicator_ids:
        item.indicators.set(indicator_ids)
    summary = f"上传{item.get_kind_display()}：{original_name}"
    if first is not None and first.unit_id == unit.pk:
        # Only a copy within the unit is worth saying: naming another unit that holds the same
        # bytes would tell the uploader what that unit keeps.
        summary += "（与本单位已存文件相同，共用一份文件）"
    event_record(actor=uploader, verb="evidence.upload", target=item, summary=summary, unit=unit,
                 changes={"sha256": [None, item.sha256], "状态": [None, item.get_status_display()]})
    return item


def _reuse(item: EvidenceItem, *, uploader, original_name: str, indicator_ids: list[int]) -> EvidenceItem:
    """The unit already holds these bytes: link the standards asked for, record it, hand it back."""
    known = set(item.indicators.values_list("pk", flat=True))
    added = [pk for pk in indicator_ids if pk not in known]
    if added:
        item.indicators.add(*added)
    codes = list(Indicator.objects.filter(pk__in=added).values_list("code", flat=True))
    event_record(
        actor=uploader, verb="evidence.duplicate", target=item, unit=item.unit,
        summary=f"再次上传相同文件（{original_name}），未重复保存" + (f"，新增关联标准 {'、'.join(codes)}" if codes else ""),
    )
    item.reused = True
    return item
