"""Files for upload tests, generated in memory."""

import io
import zipfile

from PIL import Image, ImageDraw
from pypdf import PdfWriter


def jpeg(width=800, height=600, *, orientation=None, taken="2026:05:12 09:30:00", gps=None, quality=85,
         colour=(40, 120, 200), marker=True) -> bytes:
    """A JPEG as a phone writes it: the sensor's landscape pixels plus an EXIF orientation."""
    img = Image.new("RGB", (width, height), colour)
    if marker:
        ImageDraw.Draw(img).rectangle((0, 0, width // 8, height // 8), fill=(255, 0, 0))  # top-left, stored
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif[0x0132] = taken
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        lat, lon = gps
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def _dms(value):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), float(seconds))


def png(width=64, height=48, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), 128).save(out, "PNG")
    return out.getvalue()


def pdf(pages=2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def bomb_png() -> bytes:
    """64 megapixels of nothing: tiny on disk, 64 MB+ when decoded."""
    out = io.BytesIO()
    Image.new("1", (10000, 8000)).save(out, "PNG")
    return out.getvalue()
