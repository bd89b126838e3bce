"""Generated material for dossier tests and the benchmark: a small framework, phone-like photos
with EXIF orientation tags, multi-page PDFs with embedded CJK fonts, and evidence rows.

Photos are written like a phone writes them: the sensor's landscape pixels plus an EXIF
orientation tag (1, 6, 3, 8 in turn), a camera make, and noise so their size is realistic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from archives.models import EvidenceItem, evidence_path
from campaign.models import Framework, Indicator, OrgUnit

ORIENTATIONS = (1, 6, 3, 8)


@dataclass
class SampleFramework:
    framework: Framework
    area: Indicator
    item: Indicator
    standards: list[Indicator]


def make_framework(*, standards: int = 3, name: str = "全国文明城市测评体系（样例）") -> SampleFramework:
    framework = Framework.objects.create(name=name, year=2026, is_active=not Framework.objects.filter(
        is_active=True).exists())
    area = Indicator.objects.create(framework=framework, level=1, code="2", name="公共文明")
    item = Indicator.objects.create(framework=framework, parent=area, level=2, code="2.3", name="公共秩序")
    content = Indicator.objects.create(framework=framework, parent=item, level=3, code="2.3.1", name="文明交通")
    rows = [
        Indicator.objects.create(
            framework=framework, parent=content, level=4, code=f"2.3.1.{n}", name=f"交通秩序良好（{n}）",
            text="主次干道交通秩序良好，机动车、非机动车各行其道，行人遵守交通信号。", methods=["实地考察", "材料审核"],
            sort_order=n,
        )
        for n in range(1, standards + 1)
    ]
    return SampleFramework(framework, area, item, rows)


def photo_base(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """A landscape 'sensor' image with blocks and noise (compresses like a real photo)."""
    rng = random.Random(seed)
    base = Image.new("RGB", size)
    draw = ImageDraw.Draw(base)
    width, height = size
    for _ in range(200):
        x, y = rng.randrange(width), rng.randrange(height)
        right = x + rng.randrange(width // 80 + 1, width // 5)
        bottom = y + rng.randrange(height // 60 + 1, height // 5)
        draw.rectangle([x, y, right, bottom], fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.merge("RGB", [Image.effect_noise(size, 40) for _ in range(3)])
    return Image.blend(base, noise, 0.25)


def write_photo(path: Path, base: Image.Image, index: int, quality: int = 92) -> None:
    """A distinct phone-style JPEG: a marker block makes each file unique; EXIF as a phone writes it."""
    photo = base.copy()
    width, height = photo.size
    x = (index * 37) % max(1, width - width // 8)
    ImageDraw.Draw(photo).rectangle([x, height // 30, x + width // 10, height // 5], fill=(index % 256, 90, 160))
    exif = Image.Exif()
    exif[0x0112] = ORIENTATIONS[index % len(ORIENTATIONS)]
    exif[0x010F] = "HUAWEI"
    exif[0x0110] = "P60"
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, "JPEG", quality=quality, exif=exif.tobytes())


def write_pdf(path: Path, *, title: str, pages: int) -> None:
    """A PDF document of ``pages`` pages (fonts embedded), like an exported Word file."""
    from weasyprint import HTML

    body = "".join(
        f'<section style="break-after: page"><h1>{title}</h1><p>第 {n} 页（共 {pages} 页）</p>'
        f"<p>{'为深入推进全国文明城市创建工作，现将有关事项通知如下。' * 12}</p></section>"
        for n in range(1, pages + 1)
    )
    html = f'<html><head><meta charset="utf-8"><style>@page {{ size: A4; margin: 25mm }} body {{ font-family: "Noto Serif CJK SC" }}</style></head><body>{body}</body></html>'
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(path)


def store_evidence(source: Path, *, unit: OrgUnit, standards: list[Indicator], kind: str, subject: str,
                   category: str, taken_at: dt.datetime | None = None, place: str = "", people: str = "",
                   reason: str = "", pages: int | None = None) -> EvidenceItem:
    """An approved evidence row for a generated file, stored where uploads go (content-addressed)."""
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    item = EvidenceItem(
        original_name=source.name, sha256=sha, size=len(data), unit=unit, kind=kind, subject=subject,
        mime="image/jpeg" if kind == EvidenceItem.Kind.PHOTO else "application/pdf", category=category,
        taken_at=taken_at, place=place, people=people, reason=reason, page_count=pages,
        formed_on=taken_at.date() if taken_at else timezone.localdate(), status=EvidenceItem.Status.APPROVED,
    )
    name = evidence_path(item, source.name)
    if not default_storage.exists(name):
        Path(default_storage.path(name)).parent.mkdir(parents=True, exist_ok=True)
        Path(default_storage.path(name)).write_bytes(data)
    item.file.name = name
    item.save()
    item.indicators.set(standards)
    return item
