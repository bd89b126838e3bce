"""Demo problem photos, drawn by code from the problem catalogue's motif: a parking problem shows
cars on the pavement and says so in its caption, its after-photo shows them gone.

The motif key is also written into the photo's EXIF ImageDescription (``demo-motif:<key>``), so a
check can tell what a stored demo photo shows without guessing from its pixels. Used by the demo
tasks (shared master photos) and the demo inspections (finding photos)."""

from __future__ import annotations

import hashlib
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageDraw

from archives.models import EvidenceItem, rendition_path, thumbnail_path
from demo.archives.drawings import SIZE, draw_scene
from demo.archives.files import _put
from demo.campaign.reference.problems import MOTIFS, caption

MARK = "demo-motif:"


FILED_DAYS_AGO = 200  # before the demo's six months of history


VARIANTS = 2


def problem_photo(motif: str, *, fixed: bool, seed: str, taken: datetime | None = None,
                  gps: tuple[float, float] | None = None) -> bytes:
    """A JPEG of ``motif`` before (``fixed=False``) or after the fix, with its caption band."""
    if motif not in MOTIFS:
        raise ValueError(f"未知的照片主题：{motif}")
    rng = random.Random(f"{motif}-{fixed}-{seed}")
    img = Image.new("RGB", SIZE, (250, 250, 250))
    pen = ImageDraw.Draw(img)
    draw_scene(pen, motif, rng, fixed)
    pen.rectangle([0, 0, SIZE[0], 50], fill=(20, 20, 20))
    _put(img, caption(motif, fixed=fixed), 28, (SIZE[0] // 2, 25), (255, 255, 255))
    exif = Image.Exif()
    exif[0x010E] = f"{MARK}{motif}"
    exif[0x010F], exif[0x0110] = "Demo", "Phone"
    if taken is not None:
        stamp = taken.strftime("%Y:%m:%d %H:%M:%S")
        exif[0x0132] = stamp
        exif.get_ifd(0x8769)[0x9003] = stamp
    if gps is not None:
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(gps[0]), 3: "E", 4: _dms(gps[1])})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 2))


def stored_photos(*, unit, uploader, motifs=MOTIFS) -> dict[tuple[str, bool, int], EvidenceItem]:
    """Each motif's problem photos and after-photos (``VARIANTS`` of each, so two photos of one
    task differ) as approved photos of ``unit``, with the print rendition and thumbnail the upload
    job would make: {(motif, fixed, variant): EvidenceItem}. Found again
    by caption on a rerun, so the demo tasks and inspections share one set. Filed before the demo's
    history begins (its six months of tasks and rounds link to them), in one bulk insert: the demo
    stores ~80 of these, and through the upload service each would cost ~0.15 s."""
    when = timezone.localtime() - timedelta(days=FILED_DAYS_AGO)
    wanted = {(motif, fixed, n): f"演示照片：{caption(motif, fixed=fixed)}（{n + 1}）" for motif in sorted(set(motifs))
              for fixed in (False, True) for n in range(VARIANTS)}
    found = {item.subject: item for item in EvidenceItem.objects.filter(
        unit=unit, subject__in=wanted.values(), duplicate_of__isnull=True).order_by("-pk")}
    new = []
    for (motif, fixed, n), subject in wanted.items():
        if subject in found:
            continue
        original = problem_photo(motif, fixed=fixed, seed=f"master-{n}", taken=when)
        sha = hashlib.sha256(original).hexdigest()
        item = EvidenceItem(
            original_name=f"IMG_{when:%Y%m%d}_{motif}_{'after' if fixed else 'before'}{n + 1}.jpg", sha256=sha,
            size=len(original), mime="image/jpeg", kind=EvidenceItem.Kind.PHOTO, width=SIZE[0], height=SIZE[1],
            taken_at=when, subject=subject, unit=unit, uploader=uploader, category="整改照片" if fixed else "照片",
            status=EvidenceItem.Status.APPROVED, year=when.year, reviewed_at=when,
        )
        item.file.name = f"evidence/{sha[:2]}/{sha}.jpg"
        item.print_file.name, item.thumb_file.name = rendition_path(item, ""), thumbnail_path(item, "")
        with Image.open(io.BytesIO(original)) as img:
            _write(item.file.name, original)
            _write(item.print_file.name, _jpeg(img, 85))
            _write(item.thumb_file.name, _jpeg(img.reduce(2), 80))
        new.append(item)
        found[subject] = item
    EvidenceItem.objects.bulk_create(new)
    EvidenceItem.objects.filter(pk__in=[item.pk for item in new]).update(uploaded_at=when)
    return {key: found[subject] for key, subject in wanted.items()}


def _jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _write(name: str, data: bytes) -> None:
    path = Path(settings.MEDIA_ROOT) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
