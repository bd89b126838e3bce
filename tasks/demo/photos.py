"""Demo photos: a few dozen small JPEGs drawn by code, stored once through ``archives.services``
(with their print renditions), then linked to thousands of tasks as evidence rows that share those
files (paths are content-addressed, so a row per task costs no disk)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from archives.models import EvidenceItem
from archives.services import evidence_make_rendition, evidence_store

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SCENES = ["占道经营", "乱停乱放", "垃圾堆放", "路面破损", "小广告", "护栏损坏", "绿化缺损", "设施破旧",
          "楼道杂物", "宣传栏过期", "油烟直排", "积水"]
PER_KIND = 12  # distinct images for "before" and for "after": 24 files (+ renditions) in all


@dataclass(frozen=True)
class Master:
    """A stored demo photo whose file is shared by every row that shows it."""

    item_id: int
    file: str
    print_file: str
    thumb_file: str
    sha256: str
    size: int
    width: int
    height: int


def _font(size: int):
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:
        return ImageFont.load_default()


def draw(kind: str, index: int) -> bytes:
    """One 800×600 scene: a street in greys and greens, clutter for "before", order for "after"."""
    rng = random.Random(f"{kind}-{index}")
    img = Image.new("RGB", (800, 600), (180 + rng.randint(0, 40), 200 + rng.randint(0, 30), 225))
    pen = ImageDraw.Draw(img)
    pen.rectangle([0, 380, 800, 600], fill=(110, 110, 115))  # road
    pen.rectangle([0, 340, 800, 380], fill=(170, 165, 160))  # pavement
    for x in range(0, 800, 160):  # buildings
        height = rng.randint(120, 300)
        pen.rectangle([x + 10, 340 - height, x + 150, 340], fill=(200 - rng.randint(0, 60), 190, 170))
        for wy in range(340 - height + 15, 330, 40):
            pen.rectangle([x + 30, wy, x + 60, wy + 20], fill=(90, 120, 160))
            pen.rectangle([x + 100, wy, x + 130, wy + 20], fill=(90, 120, 160))
    if kind == "before":
        for _ in range(rng.randint(6, 12)):  # clutter
            x, y = rng.randint(0, 760), rng.randint(330, 560)
            colour = rng.choice([(200, 60, 50), (230, 180, 40), (60, 60, 60), (240, 240, 240), (120, 80, 40)])
            pen.rectangle([x, y, x + rng.randint(20, 70), y + rng.randint(15, 45)], fill=colour)
    else:
        for x in range(40, 800, 120):  # tidy trees and lines
            pen.ellipse([x, 270, x + 50, 330], fill=(60, 140, 70))
            pen.rectangle([x + 22, 330, x + 28, 345], fill=(100, 70, 40))
        for x in range(0, 800, 80):
            pen.rectangle([x + 10, 485, x + 50, 492], fill=(240, 240, 240))
    scene = SCENES[index % len(SCENES)]
    label = f"{'整改前' if kind == 'before' else '整改后'} · {scene}  #{index + 1:02d}"
    pen.rectangle([0, 0, 800, 56], fill=(0, 0, 0))
    pen.text((20, 10), label, fill=(255, 255, 255), font=_font(30))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def masters(*, uploader_id: int | None, unit_id: int) -> dict[str, list[Master]]:
    """Store (or find, on a rerun) the demo images and their renditions; {"before": [...], "after": [...]}."""
    from campaign.models import OrgUnit, User

    unit = OrgUnit.objects.get(pk=unit_id)
    uploader = User.objects.filter(pk=uploader_id).first()
    result: dict[str, list[Master]] = {"before": [], "after": []}
    for kind in result:
        for index in range(PER_KIND):
            item = evidence_store(
                file=draw(kind, index), name=f"演示照片-{kind}-{index + 1:02d}.jpg", uploader=uploader, unit=unit,
                category="照片" if kind == "before" else "整改照片", subject=f"演示照片（{SCENES[index % len(SCENES)]}）",
                status=EvidenceItem.Status.APPROVED,
            )
            item = evidence_make_rendition(item=item)
            result[kind].append(Master(item.pk, item.file.name, item.print_file.name, item.thumb_file.name,
                                       item.sha256, item.size, item.width or 800, item.height or 600))
    return result


def evidence_row(master: Master, *, kind: str, unit_id: int, uploader_id, taken_at, place: str, subject: str,
                 reason: str) -> EvidenceItem:
    """An evidence row pointing at a master's file (no bytes copied)."""
    row = EvidenceItem(
        original_name=f"IMG_{taken_at:%Y%m%d_%H%M%S}.jpg", sha256=master.sha256, size=master.size,
        mime="image/jpeg", kind=EvidenceItem.Kind.PHOTO, width=master.width, height=master.height,
        taken_at=taken_at, place=place[:200], subject=subject[:200], reason=reason[:500], uploaded_at=taken_at,
        uploader_id=uploader_id, unit_id=unit_id, category="照片" if kind == "before" else "整改照片",
        year=taken_at.year, status=EvidenceItem.Status.APPROVED, duplicate_of_id=master.item_id,
    )
    row.file.name, row.print_file.name, row.thumb_file.name = master.file, master.print_file, master.thumb_file
    return row
