"""Small evidence files for the demo city, drawn by code: phone-like photos (EXIF orientation,
time and GPS, plus the upright print rendition and thumbnail the upload job would make), scanned-
looking PDFs, and a few Word/Excel files."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont

FONT_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
]
# Stored pixels are turned so that applying the EXIF orientation makes them upright again.
STORE_TURN = {1: None, 3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}
SKIES = [(135, 185, 225), (170, 200, 220), (200, 210, 215), (120, 170, 210)]
GROUNDS = [(150, 150, 145), (120, 140, 110), (185, 175, 160), (110, 120, 125)]
CLOTHES = [(200, 40, 40), (240, 200, 40), (40, 90, 170), (250, 250, 250), (40, 140, 80), (220, 110, 40)]


@lru_cache(maxsize=8)
def font(size: int):
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


@lru_cache(maxsize=1024)
def _stamp(text: str, size: int) -> Image.Image:
    """A text mask, drawn once per (text, size): banners and headers repeat across documents."""
    left, top, right, bottom = font(size).getbbox(text)
    mask = Image.new("L", (max(1, right - left + 2), max(1, bottom - top + 2)), 0)
    ImageDraw.Draw(mask).text((-left + 1, -top + 1), text, font=font(size), fill=255)
    return mask


def _put(img: Image.Image, text: str, size: int, centre: tuple[int, int], colour) -> None:
    mask = _stamp(text, size)
    img.paste(colour, (centre[0] - mask.width // 2, centre[1] - mask.height // 2), mask)


@dataclass
class DemoPhoto:
    original: bytes
    print_jpeg: bytes
    thumb_jpeg: bytes
    width: int
    height: int


def _jpeg(img: Image.Image, quality: int, exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, **({"exif": exif.tobytes()} if exif is not None else {}))
    return out.getvalue()


def photo(rng: random.Random, banner: str, caption: str, when: datetime, orientation: int,
          gps: tuple[float, float]) -> DemoPhoto:
    """An 800×600 (or 600×800) "phone photo" of an activity: sky, ground, a red banner, people."""
    width, height = (800, 600) if rng.random() < 0.8 else (600, 800)
    img = Image.new("RGB", (width, height), rng.choice(SKIES))
    draw = ImageDraw.Draw(img)
    horizon = int(height * rng.uniform(0.45, 0.6))
    draw.rectangle((0, horizon, width, height), fill=rng.choice(GROUNDS))
    for _ in range(rng.randint(2, 4)):  # buildings or trees behind
        x = rng.randint(-40, width - 60)
        top = horizon - rng.randint(60, 200)
        draw.rectangle((x, top, x + rng.randint(80, 200), horizon), fill=tuple(rng.randint(150, 215) for _ in range(3)))
    banner_top = max(20, horizon - rng.randint(110, 150))
    draw.rectangle((30, banner_top, width - 30, banner_top + 56), fill=(196, 30, 36))
    _put(img, banner[:22], 30 if width > 700 else 24, (width // 2, banner_top + 28), (255, 240, 200))
    for _ in range(rng.randint(6, 14)):  # people
        x, y = rng.randint(20, width - 40), rng.randint(horizon + 10, height - 90)
        draw.ellipse((x + 6, y, x + 26, y + 20), fill=(230, 190, 160))
        draw.rectangle((x, y + 20, x + 32, y + 70), fill=rng.choice(CLOTHES))
    _put(img, caption[:40], 18, (width // 2, height - 20), (255, 255, 255))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "HUAWEI", "Mate 60"
    stamp = when.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x0132] = stamp
    exif.get_ifd(0x8769)[0x9003] = stamp
    exif.get_ifd(0x8825).update({1: "N", 2: _dms(gps[0]), 3: "E", 4: _dms(gps[1])})
    turn = STORE_TURN[orientation]
    stored = img.transpose(turn) if turn is not None else img
    thumb = img.reduce(2)
    return DemoPhoto(original=_jpeg(stored, 88, exif), print_jpeg=_jpeg(img, 85), thumb_jpeg=_jpeg(thumb, 80),
                     width=width, height=height)


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 3))


@lru_cache(maxsize=4096)
def _line(text: str) -> Image.Image:
    """One rendered line of body text, bilevel like a scan (documents share most of their wording:
    each line is drawn once)."""
    line = Image.new("L", (624, 30), 255)
    ImageDraw.Draw(line).text((0, 2), text, font=font(19), fill=0)
    return line.point(lambda v: 255 if v > 150 else 0, "1")


def pdf(title: str, issuer: str, paragraphs: list[str], when: datetime, pages: int, header: bool) -> bytes:
    """A document as an office scans it: A4 pages at 96 dpi, bilevel like a black-and-white scan
    (tiny and quick to encode); a 通知 starts with its issuer's header line."""
    lines = []
    for text in paragraphs:
        text = "　　" + text
        lines += [text[i:i + 32] for i in range(0, len(text), 32)]
    per_page = max(1, -(-len(lines) // pages))
    sheets = []
    for number in range(pages):
        page = Image.new("L", (794, 1123), "white")
        draw = ImageDraw.Draw(page)
        y = 90
        if number == 0:
            if header:
                _put(page, issuer, 34, (397, y), "black")
                draw.line((80, y + 40, 714, y + 40), fill="black", width=3)
                y += 80
            _put(page, title[:30], 24, (397, y), "black")
            y += 60
        for line in lines[number * per_page:(number + 1) * per_page]:
            page.paste(_line(line), (90, y))
            y += 34
        if number == pages - 1:
            _put(page, issuer, 19, (600, min(y + 60, 1000)), "black")
            _put(page, f"{when:%Y年%-m月%-d日}", 19, (600, min(y + 94, 1034)), "black")
        _put(page, f"— {number + 1} —", 16, (397, 1080), "black")
        sheets.append(page.point(lambda v: 255 if v > 150 else 0, "1"))
    out = io.BytesIO()
    sheets[0].save(out, "PDF", resolution=96.0, save_all=True, append_images=sheets[1:], title=title,
                   author=issuer, creationDate=when.timetuple(), modDate=when.timetuple())
    return out.getvalue()


def docx(title: str, names: list[str]) -> bytes:
    """A sign-in sheet (签到表) as offices keep it in Word."""
    document = Document()
    document.add_heading(title, level=1)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "姓名", "签到时间"), strict=True):
        cell.text = text
    for index, name in enumerate(names, start=1):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = str(index), name, "08:5" + str(index % 10)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx(title: str, names: list[str]) -> bytes:
    """A roster (名册) as offices keep it in Excel."""
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(["序号", "姓名", "服务时长（小时）"])
    for index, name in enumerate(names, start=1):
        sheet.append([index, name, 4 * index % 37 + 2])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
