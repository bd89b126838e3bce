"""Print renditions of photos: orientation applied, long side 2000–2400 px, JPEG quality 85, no EXIF.

Made once per photo by the ``archives.make_print_rendition`` job (queued through the
transactional outbox, ``campaign.services.queue.enqueue``, so it is sent after the upload commits), by
``evidence_make_missing_renditions`` (the beat sweeper, for anything the job did not do), or on
demand by the photo views. The original file is never touched. Renditions are
content-addressed like the originals, so identical photos share one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageOps

from archives.models import EvidenceItem, rendition_path, thumbnail_path

log = logging.getLogger(__name__)

PRINT_LONG_SIDE = 2400  # at most
PRINT_DRAFT_SIDE = 2000  # at least, when JPEG DCT scaling can shrink a large photo (4000 px → 2000 px)
PRINT_QUALITY = 85
THUMB_LONG_SIDE = 480
THUMB_QUALITY = 80
MAX_ATTEMPTS = 3


def _has(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def evidence_make_rendition(*, item: EvidenceItem) -> EvidenceItem:
    """Make (or find) the print rendition and thumbnail of a photo; other kinds are left alone.
    Idempotent: a photo whose files exist is returned unchanged."""
    if not item.is_photo or (_has(item.print_file.name) and _has(item.thumb_file.name)):
        return item
    print_name, thumb_name = rendition_path(item, ""), thumbnail_path(item, "")
    if not (_has(print_name) and _has(thumb_name)):
        try:
            _render(Path(item.file.path), print_name, thumb_name)
        except Exception:
            EvidenceItem.objects.filter(pk=item.pk).update(rendition_attempts=F("rendition_attempts") + 1)
            raise
    item.print_file.name, item.thumb_file.name = print_name, thumb_name
    EvidenceItem.objects.filter(pk=item.pk).update(print_file=print_name, thumb_file=thumb_name)
    return item


def _render(source: Path, print_name: str, thumb_name: str) -> None:
    with Image.open(source) as img:
        width, height = img.size
        scale = PRINT_DRAFT_SIDE / max(width, height)
        if scale < 1 and img.format in {"JPEG", "MPO"}:
            # Aspect-correct target, or libjpeg's DCT scaling silently does nothing; asking for
            # ≥ 2000 px lets a 4000 px phone photo decode at 1/2 scale (~5× faster than in full).
            img.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
        icc = img.info.get("icc_profile")
        upright = ImageOps.exif_transpose(img)
    upright = _flatten(upright)
    if max(upright.size) > PRINT_LONG_SIDE:
        upright.thumbnail((PRINT_LONG_SIDE, PRINT_LONG_SIDE), Image.Resampling.BICUBIC)
    _save(upright, print_name, PRINT_QUALITY, icc)
    upright.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    _save(upright, thumb_name, THUMB_QUALITY, icc)


def _flatten(img: Image.Image) -> Image.Image:
    """RGB on white: transparency and palettes have no place in a printed page."""
    if img.mode in {"RGBA", "LA", "P", "PA"} or "transparency" in img.info:
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB") if img.mode != "RGB" else img


def _save(img: Image.Image, name: str, quality: int, icc: bytes | None) -> None:
    dest = Path(default_storage.path(name))
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".r-", suffix=".jpg")
    os.close(fd)
    try:
        # No exif= argument: the rendition carries no EXIF (orientation already applied, GPS dropped).
        img.save(tmp, "JPEG", quality=quality, icc_profile=icc)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def evidence_make_missing_renditions(*, limit: int = 200, min_age: timedelta = timedelta(minutes=2)) -> int:
    """Sweeper: make renditions the job did not (broker down, worker killed). Each photo gets
    MAX_ATTEMPTS tries, so one odd file cannot keep the sweeper busy forever."""
    pending = (
        EvidenceItem.objects.filter(kind=EvidenceItem.Kind.PHOTO, rendition_attempts__lt=MAX_ATTEMPTS,
                                    uploaded_at__lte=timezone.now() - min_age)
        .filter(print_file="")
        .order_by("pk")[:limit]
    )
    made = 0
    for item in pending:
        try:
            evidence_make_rendition(item=item)
            made += 1
        except Exception:  # logged; the next sweep tries again
            log.exception("生成打印版失败：资料 %s", item.pk)
    return made
