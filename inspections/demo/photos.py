"""Demo photos drawn by code: a small street scene per finding, with EXIF time and GPS as a
phone writes them, stored through archives.services like any upload."""

from __future__ import annotations

import io
import random
from datetime import datetime

from django.utils import timezone
from PIL import Image, ImageDraw

PALETTE = [(200, 60, 50), (230, 180, 40), (60, 60, 60), (240, 240, 240), (120, 80, 40), (40, 120, 200)]


def _dms(value: float):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 2))


def scene(seed: str, *, taken: datetime, lat=None, lon=None, tidy: bool = False) -> bytes:
    """A 480×360 JPEG: sky, buildings, pavement; clutter unless ``tidy``."""
    rng = random.Random(seed)
    img = Image.new("RGB", (480, 360), (175 + rng.randint(0, 50), 200 + rng.randint(0, 30), 228))
    pen = ImageDraw.Draw(img)
    pen.rectangle([0, 230, 480, 360], fill=(115, 115, 120))
    pen.rectangle([0, 205, 480, 232], fill=(172, 166, 160))
    for x in range(0, 480, 96):
        height = rng.randint(70, 180)
        pen.rectangle([x + 6, 205 - height, x + 90, 205], fill=(205 - rng.randint(0, 70), 190, 168))
    if tidy:
        for x in range(20, 480, 80):
            pen.ellipse([x, 160, x + 34, 200], fill=(60, 140, 70))
    else:
        for _ in range(rng.randint(5, 10)):
            x, y = rng.randint(0, 450), rng.randint(200, 340)
            pen.rectangle([x, y, x + rng.randint(10, 40), y + rng.randint(8, 26)], fill=rng.choice(PALETTE))
    exif = Image.Exif()
    stamp = timezone.localtime(taken).strftime("%Y:%m:%d %H:%M:%S")
    exif[0x0132] = stamp
    exif.get_ifd(0x8769)[0x9003] = stamp
    exif[0x010F], exif[0x0110] = "Demo", "Phone"
    if lat is not None and lon is not None:
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(float(lat)), 3: "E", 4: _dms(float(lon))})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=75, exif=exif.tobytes())
    return out.getvalue()
