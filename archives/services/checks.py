"""Checking an uploaded file by its content, never by its name.

``inspect_file(path, size)`` sniffs the magic bytes, applies the size and pixel limits, decodes
images completely (a truncated or forged photo fails here, not later in a dossier), opens PDFs
with pypdf, and reads what the file says about itself (EXIF time and GPS, page count). Anything
wrong raises ``EvidenceRejected`` with a message the uploader can act on.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import ExifTags, Image, ImageFile
from pypdf import PdfReader
from pypdf.errors import PyPdfError

pillow_heif.register_heif_opener()

MB = 1024 * 1024
SUPPORTED = "JPEG、PNG、WebP、HEIC 照片，PDF 文档，或 Word/Excel/PowerPoint 文件"


class EvidenceRejected(ValidationError):
    """An uploaded file that is refused; nothing of it is kept."""


def limits() -> dict:
    """Upload limits; each may be overridden in settings (``EVIDENCE_MAX_PHOTO_BYTES`` …)."""
    return {
        "photo": getattr(settings, "EVIDENCE_MAX_PHOTO_BYTES", 30 * MB),
        "document": getattr(settings, "EVIDENCE_MAX_DOCUMENT_BYTES", 50 * MB),
        "pixels": getattr(settings, "EVIDENCE_MAX_PIXELS", 60_000_000),
        "pages": getattr(settings, "EVIDENCE_MAX_PDF_PAGES", 2000),
    }


@dataclass
class Inspected:
    """What the content check learnt about a file."""

    kind: str  # EvidenceItem.Kind value
    mime: str
    ext: str
    width: int | None = None
    height: int | None = None
    page_count: int | None = None
    taken_at: datetime | None = None
    gps_lat: Decimal | None = None
    gps_lon: Decimal | None = None
    orientation: int = 1
    needs_conversion: bool = False  # HEIC: stored as a JPEG


# --- magic bytes --------------------------------------------------------------------------------

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
MARKUP = re.compile(rb"<\s*(svg|html|script|!doctype|\?xml|body|head|iframe|meta|a\s|img\s|div|form)", re.I)


def sniff(head: bytes) -> str | None:
    """The container type from the first bytes: jpeg, png, webp, heif, pdf, zip, ole, markup or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if text.startswith(b"<") or MARKUP.search(head[:2048]):
        return "markup"
    return None


def size_limit(container: str) -> int:
    lim = limits()
    return lim["photo"] if container in {"jpeg", "png", "webp", "heif"} else lim["document"]


def inspect_file(path: Path, size: int, head: bytes) -> Inspected:
    """Check one staged file; raise EvidenceRejected with a Chinese message if it is refused."""
    if size == 0:
        raise EvidenceRejected("文件是空的（0 字节），请重新选择文件。", code="empty")
    container = sniff(head)
    if container == "markup":
        raise EvidenceRejected("文件内容是网页或 SVG 代码，不是照片或文档，已拒绝。请上传 JPEG/PNG 照片或 PDF 文档。",
                               code="markup")
    if container is None:
        raise EvidenceRejected(f"无法识别的文件类型（按文件内容判断，与扩展名无关）。仅支持{SUPPORTED}。",
                               code="unknown_type")
    check_size(container, size)
    if container in {"jpeg", "png", "webp", "heif"}:
        return inspect_image(path, container)
    if container == "pdf":
        return inspect_pdf(path)
    if container == "zip":
        return inspect_ooxml(path)
    return inspect_ole(path)


def check_size(container: str, size: int) -> None:
    limit = size_limit(container)
    if size > limit:
        what = "照片" if container in {"jpeg", "png", "webp", "heif"} else "文档"
        raise EvidenceRejected(
            f"文件过大（{size / MB:.1f} MB），{what}不能超过 {limit // MB} MB。请压缩或拆分后再上传。", code="too_large"
        )


# --- images -------------------------------------------------------------------------------------

PILLOW_FORMATS = {"jpeg": {"JPEG", "MPO"}, "png": {"PNG"}, "webp": {"WEBP"}, "heif": {"HEIF"}}
MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
BROKEN_IMAGE = "照片文件已损坏或不完整（可能上传中断或被截断），请重新导出后上传。"


@contextmanager
def strict_decoding():
    """Decode as if nothing had relaxed Pillow. Importing WeasyPrint sets the process-wide
    ``ImageFile.LOAD_TRUNCATED_IMAGES = True``, after which a truncated photo decodes without an
    error (the missing part painted grey): any process that has rendered a PDF would then accept
    broken photos. The flag is turned off for the check and put back after it."""
    relaxed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = relaxed


def inspect_image(path: Path, container: str) -> Inspected:
    max_pixels = limits()["pixels"]
    try:
        with strict_decoding(), Image.open(path) as img:
            if img.format not in PILLOW_FORMATS[container]:
                raise EvidenceRejected(BROKEN_IMAGE, code="broken_image")
            width, height = img.size
            if width < 1 or height < 1:
                raise EvidenceRejected(BROKEN_IMAGE, code="broken_image")
            if width * height > max_pixels:
                raise EvidenceRejected(
                    f"照片尺寸异常（{width}×{height}，约 {width * height / 1e6:.0f} 百万像素），超过 "
                    f"{max_pixels / 1e6:.0f} 百万像素的上限，已拒绝。", code="too_many_pixels")
            exif = img.getexif()
            if img.format in {"JPEG", "MPO"}:
                # DCT-scaled decode: reads every byte of the stream (truncation still shows) at 1/8 cost.
                img.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            img.load()
    except EvidenceRejected:
        raise
    except Image.DecompressionBombError as exc:
        raise EvidenceRejected("照片像素数量异常（疑似“解压炸弹”文件），已拒绝。", code="too_many_pixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError, TypeError,
            MemoryError, RuntimeError) as exc:
        raise EvidenceRejected(BROKEN_IMAGE, code="broken_image") from exc
    facts = exif_facts(exif)
    if container == "heif":
        # pillow-heif has already applied the rotation: the stored JPEG is upright.
        facts["orientation"] = 1
    orientation = facts.pop("orientation")
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return Inspected(
        kind="photo", mime="image/jpeg" if container == "heif" else MIME[container],
        ext="jpg" if container in {"jpeg", "heif"} else container, width=width, height=height,
        orientation=orientation, needs_conversion=container == "heif", **facts,
    )


def exif_facts(exif) -> dict:
    """Time taken (DateTimeOriginal, else DateTime), GPS position and orientation; garbage → None."""
    facts = {"taken_at": None, "gps_lat": None, "gps_lon": None, "orientation": 1}
    try:
        orientation = int(exif.get(ExifTags.Base.Orientation, 1) or 1)
        facts["orientation"] = orientation if 1 <= orientation <= 8 else 1
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        facts["taken_at"] = parse_exif_time(sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime))
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        facts["gps_lat"] = gps_degrees(gps.get(2), gps.get(1), 90)
        facts["gps_lon"] = gps_degrees(gps.get(4), gps.get(3), 180)
        if facts["gps_lat"] is None or facts["gps_lon"] is None:
            facts["gps_lat"] = facts["gps_lon"] = None
    except (ValueError, TypeError, KeyError, ZeroDivisionError, struct.error, OSError, SyntaxError):
        pass
    return facts


def parse_exif_time(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    text = str(value).strip("\x00 ").strip()
    try:
        moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if not 1990 <= moment.year <= 2100:
        return None
    # Cameras write local wall-clock time without a zone: read it as Beijing time.
    return timezone.make_aware(moment, timezone.get_default_timezone())


def gps_degrees(dms, ref, bound) -> Decimal | None:
    if not dms or len(dms) != 3:
        return None
    degrees = float(dms[0]) + float(dms[1]) / 60 + float(dms[2]) / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref or "").strip("\x00 ").upper() in {"S", "W"}:
        degrees = -degrees
    if not -bound <= degrees <= bound or degrees != degrees:
        return None
    try:
        return Decimal(f"{degrees:.6f}")
    except InvalidOperation:
        return None


# --- PDF and Office -----------------------------------------------------------------------------

BROKEN_PDF = "PDF 文件已损坏或不完整，无法打开。请重新导出 PDF 后上传。"


def inspect_pdf(path: Path) -> Inspected:
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise EvidenceRejected("PDF 已加密（设有打开密码或权限限制），无法装订进卷宗。请另存为未加密的 PDF 后上传。",
                                   code="encrypted_pdf")
        pages = len(reader.pages)
        for page in reader.pages:
            box = page.mediabox
            if float(box.width) <= 0 or float(box.height) <= 0:
                raise EvidenceRejected(BROKEN_PDF, code="broken_pdf")
    except EvidenceRejected:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError, struct.error, UnicodeError, MemoryError) as exc:
        raise EvidenceRejected(BROKEN_PDF, code="broken_pdf") from exc
    if pages == 0:
        raise EvidenceRejected("PDF 没有任何页面，请检查后重新上传。", code="broken_pdf")
    if pages > limits()["pages"]:
        raise EvidenceRejected(f"PDF 共 {pages} 页，超过单个文件 {limits()['pages']} 页的上限，请拆分后上传。",
                               code="too_large")
    return Inspected(kind="document", mime="application/pdf", ext="pdf", page_count=pages)


OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OLE_STREAMS = {
    "WordDocument": ("doc", "application/msword"),
    "Workbook": ("xls", "application/vnd.ms-excel"),
    "Book": ("xls", "application/vnd.ms-excel"),
    "PowerPoint Document": ("ppt", "application/vnd.ms-powerpoint"),
}
NOT_OFFICE = "压缩包或文件不是可识别的 Word/Excel/PowerPoint 文档，已拒绝。仅支持" + SUPPORTED + "。"


# A real Word/Excel/PowerPoint file unpacks to a few times its size; a "zip bomb" to thousands.
MAX_OFFICE_PARTS = 10_000
MAX_OFFICE_UNPACKED = 500 * MB


def inspect_ooxml(path: Path) -> Inspected:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise EvidenceRejected("Office 文件已损坏或不完整，请重新保存后上传。", code="broken_office") from exc
    if len(infos) > MAX_OFFICE_PARTS or sum(info.file_size for info in infos) > MAX_OFFICE_UNPACKED:
        raise EvidenceRejected("Office 文件解压后大小异常（疑似“压缩炸弹”），已拒绝。请用 Office 重新保存后上传，或另存为 PDF。",
                               code="too_large")
    names = [info.filename for info in infos]
    if "[Content_Types].xml" in names:
        for prefix, (ext, mime) in OOXML.items():
            if any(name.startswith(prefix) for name in names):
                return Inspected(kind="office", mime=mime, ext=ext)
    raise EvidenceRejected(NOT_OFFICE, code="unknown_type")


def inspect_ole(path: Path) -> Inspected:
    """Legacy .doc/.xls/.ppt: read the first directory sector of the compound file and look for
    the stream that names the application."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(512)
            sector_size = 1 << struct.unpack_from("<H", header, 0x1E)[0]
            first_dir = struct.unpack_from("<I", header, 0x30)[0]
            if sector_size not in (512, 4096) or first_dir >= 0xFFFFFFFA:
                raise EvidenceRejected(NOT_OFFICE, code="unknown_type")
            fh.seek((first_dir + 1) * sector_size)
            sector = fh.read(sector_size)
    except (OSError, struct.error) as exc:
        raise EvidenceRejected("Office 文件已损坏或不完整，请重新保存后上传。", code="broken_office") from exc
    for offset in range(0, len(sector) - 127, 128):
        length = struct.unpack_from("<H", sector, offset + 0x40)[0]
        name = sector[offset:offset + max(0, min(length, 64) - 2)].decode("utf-16-le", "ignore")
        if name in OLE_STREAMS:
            ext, mime = OLE_STREAMS[name]
            return Inspected(kind="office", mime=mime, ext=ext)
    raise EvidenceRejected(NOT_OFFICE, code="unknown_type")


# --- names --------------------------------------------------------------------------------------

FORBIDDEN = set('<>:"/\\|?*')
EXT_ALIASES = {"jpg": {"jpg", "jpeg", "jpe"}}
MAX_NAME = 100


def check_name(name: str) -> None:
    """Refuse names no browser sends: folders, "..", control characters (crafted requests)."""
    text = str(name or "")
    parts = re.split(r"[/\\]", text)
    if len(parts) > 1 or ".." in parts or any(unicodedata.category(ch) == "Cc" for ch in text):
        raise EvidenceRejected("文件名包含路径（/、\\、..）或控制字符，已拒绝。请把文件改为普通文件名后重新上传。",
                               code="bad_name")


def clean_name(name: str, ext: str) -> str:
    """A display name safe to store and to put in a download header: no folders, no control or
    direction-override characters, a bounded length, and the extension the content really has."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in name
                   if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in {"Zl", "Zp"})
    name = "".join(ch for ch in name if ch not in FORBIDDEN)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, old_ext = name.rpartition(".")
    if not dot:
        stem, old_ext = name, ""
    if old_ext.lower() not in EXT_ALIASES.get(ext, {ext}):
        stem = name  # keep what the user wrote, then add the true extension
    stem = stem.strip(" .")[: MAX_NAME - len(ext) - 1] or "未命名"
    return f"{stem}.{ext}"
