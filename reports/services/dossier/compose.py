"""Low-level PDF assembly with pikepdf: photo pages straight from JPEG bytes, the merge of all
parts, page furniture (header, footer, captions) laid over each page, bookmarks and metadata.

Photo pages never go through WeasyPrint: the print rendition's JPEG bytes are copied into the PDF
as they are (DCTDecode), so a page costs a file read, not a decode. qpdf copies stream data
lazily when it writes, so merging keeps memory flat however many pages the dossier has.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field

import pikepdf
from PIL import Image

from reports.services.dossier import pdfa

MM = 72 / 25.4
A4 = (595.276, 841.89)
# The photo box on a photo page: the image is scaled to fit it; image and caption table
# together are centred vertically in the page's writing area.
PHOTO_BOX = {"left_mm": 18, "width_mm": 174, "height_mm": 190}
WRITING_AREA_MM = (20, 277)
CAPTION_GAP_MM = 4
CAPTION_HEIGHT_MM = 38
# More than this many source files open at once, and the merge goes through intermediate files.
MAX_OPEN_SOURCES = 250

COLOR_SPACES = {"RGB": "/DeviceRGB", "L": "/DeviceGray"}


@dataclass
class Bookmark:
    title: str
    page: int
    children: list[Bookmark] = field(default_factory=list)


def jpeg_info(path: str) -> tuple[int, int, str]:
    """Width, height and PDF colour space of a JPEG, read from its header (no decode)."""
    with Image.open(path) as im:
        if im.format != "JPEG" or im.mode not in COLOR_SPACES:
            raise ValueError(f"不是可直接装订的 RGB/灰度 JPEG：{im.format} {im.mode}")
        return im.width, im.height, COLOR_SPACES[im.mode]


def fit_box(width: int, height: int) -> tuple[float, float, float, float, float]:
    """x, y, w, h in points of the image on the page, and the caption's top in mm."""
    scale = min(PHOTO_BOX["width_mm"] / width, PHOTO_BOX["height_mm"] / height)
    w_mm, h_mm = width * scale, height * scale
    block = h_mm + CAPTION_GAP_MM + CAPTION_HEIGHT_MM
    top_mm = WRITING_AREA_MM[0] + (WRITING_AREA_MM[1] - WRITING_AREA_MM[0] - block) / 2
    x_mm = PHOTO_BOX["left_mm"] + (PHOTO_BOX["width_mm"] - w_mm) / 2
    return x_mm * MM, A4[1] - (top_mm + h_mm) * MM, w_mm * MM, h_mm * MM, top_mm + h_mm + CAPTION_GAP_MM


def write_photo_part(path: str, jpegs: Iterable[str]) -> list[float]:
    """One A4 page per JPEG (see fit_box), written object by object straight to the file: one
    JPEG is in memory at a time, however many photos there are (a pikepdf document would hold
    every image it is given until it is saved). Returns each page's caption top in mm."""
    captions: list[float] = []
    offsets: dict[int, int] = {}
    kids: list[int] = []
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

        def put(number: int, head: bytes, stream: Iterable[bytes] = ()) -> None:
            offsets[number] = fh.tell()
            fh.write(f"{number} 0 obj\n".encode() + head)
            for chunk in stream:
                fh.write(chunk)
            fh.write(b"\nendobj\n")

        number = 3  # 1: the page tree, 2: the catalogue
        for jpeg in jpegs:
            width, height, space = jpeg_info(jpeg)
            size = os.path.getsize(jpeg)
            image, content, page = number, number + 1, number + 2
            number += 3
            put(image, f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {space} "
                       f"/BitsPerComponent 8 /Filter /DCTDecode /Length {size} >>\nstream\n".encode(),
                _file_chunks(jpeg, size) + [b"\nendstream"])
            x, y, w, h, caption_top = fit_box(width, height)
            captions.append(round(caption_top, 2))
            ops = f"q {w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f} cm /Im0 Do Q".encode()
            put(content, f"<< /Length {len(ops)} >>\nstream\n".encode(), [ops, b"\nendstream"])
            put(page, f"<< /Type /Page /Parent 1 0 R /MediaBox [0 0 {A4[0]} {A4[1]}] /Contents {content} 0 R "
                      f"/Resources << /XObject << /Im0 {image} 0 R >> >> >>".encode())
            kids.append(page)
        put(1, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode())
        put(2, b"<< /Type /Catalog /Pages 1 0 R >>")
        _write_xref(fh, offsets, number)
    os.replace(tmp, path)
    return captions


def _write_xref(fh, offsets: dict[int, int], size: int) -> None:
    """Cross-reference table and trailer for objects 1 … size-1 (catalogue: object 2)."""
    xref = fh.tell()
    fh.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    fh.write("".join(f"{offsets[n]:010d} 00000 n \n" for n in range(1, size)).encode())
    ident = os.urandom(16).hex()
    fh.write(f"trailer\n<< /Size {size} /Root 2 0 R /ID [<{ident}> <{ident}>] >>\n"
             f"startxref\n{xref}\n%%EOF\n".encode())


def _file_chunks(path: str, size: int) -> list[bytes]:
    """The file's bytes (checked against the size written in the stream's /Length)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) != size:
        raise ValueError(f"文件在读取时发生变化：{path}")
    return [data]


def _save(pdf: pikepdf.Pdf, path: str) -> None:
    tmp = f"{path}.tmp"
    pdf.save(tmp, object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.7")
    pdf.close()
    os.replace(tmp, path)


@dataclass
class Slice:
    """Pages [start, stop) of one source PDF, in dossier order."""

    path: str
    start: int
    stop: int


def merge_slices(path: str, slices: list[Slice], base: str | None = None) -> int:
    """Concatenate page slices into one PDF.

    ``base`` (the photo pages' file) is opened and reordered in place rather than copied: qpdf
    copies a foreign page's stream data into memory at once, so copying 500 photo pages would
    hold every JPEG; pages that stay in the file they were read from are written out straight
    from it. The other sources (cover, forms, 总目录, imported PDFs, 清单) are copied. With more
    than MAX_OPEN_SOURCES of those, everything goes through intermediate group files instead."""
    others = {s.path for s in slices if s.path != base}
    if base is not None and len(others) <= MAX_OPEN_SOURCES:
        return _merge_into_base(path, slices, base)
    sources = list(dict.fromkeys(s.path for s in slices))
    if len(sources) <= MAX_OPEN_SOURCES:
        return _merge_direct(path, slices)
    groups, current, seen = [], [], set()
    for s in slices:
        if s.path not in seen and len(seen) >= MAX_OPEN_SOURCES:
            groups.append(current)
            current, seen = [], set()
        current.append(s)
        seen.add(s.path)
    groups.append(current)
    merged = []
    for index, group in enumerate(groups):
        group_path = f"{path}.group{index}.pdf"
        pages = _merge_direct(group_path, group)
        merged.append(Slice(group_path, 0, pages))
    try:
        return _merge_direct(path, merged)
    finally:
        for s in merged:
            os.unlink(s.path)


def _merge_into_base(path: str, slices: list[Slice], base: str) -> int:
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(base))
        own = [page.obj for page in pdf.pages]
        del pdf.pages[:]
        opened: dict[str, pikepdf.Pdf] = {}
        used: set[tuple[int, int]] = set()
        for s in slices:
            if s.path == base:
                for obj in own[s.start:s.stop]:
                    if obj.objgen in used:  # the same photo twice: a second page over the same image
                        obj = pdf.make_indirect(pikepdf.Dictionary(obj))
                    used.add(obj.objgen)
                    pdf.pages.append(pikepdf.Page(obj))
                continue
            if s.path not in opened:
                opened[s.path] = stack.enter_context(pikepdf.open(s.path))
            pdf.pages.extend(opened[s.path].pages[s.start:s.stop])
        count = len(pdf.pages)
        tmp = f"{path}.tmp"
        pdf.save(tmp, object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.7")
    os.replace(tmp, path)
    return count


def _merge_direct(path: str, slices: list[Slice]) -> int:
    with ExitStack() as stack:
        opened: dict[str, pikepdf.Pdf] = {}
        out = pikepdf.new()
        for s in slices:
            if s.path not in opened:
                opened[s.path] = stack.enter_context(pikepdf.open(s.path))
            source = opened[s.path]
            out.pages.extend(source.pages[s.start:s.stop])
        count = len(out.pages)
        _save(out, path)
    return count


def finish(*, body: str, overlays: list[str], out: str, bookmarks: list[Bookmark], title: str, author: str,
           subject: str) -> int:
    """Lay the furniture pages over the body's pages one to one, add bookmarks and metadata, and
    write ``out`` as validated PDF/A-2b (pdfa.save raises NotArchivable and writes nothing if it
    does not pass). Returns the page count."""
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(body))
        furniture = [stack.enter_context(pikepdf.open(p)) for p in overlays]
        furniture_pages = [page for f in furniture for page in f.pages]
        if len(furniture_pages) != len(pdf.pages):
            raise ValueError(f"页眉页脚页数（{len(furniture_pages)}）与正文页数（{len(pdf.pages)}）不一致")
        for page, over in zip(pdf.pages, furniture_pages, strict=True):
            page.add_overlay(over, pikepdf.Rectangle(*page.mediabox))
        _write_outline(pdf, bookmarks)
        _write_metadata(pdf, title=title, author=author, subject=subject)
        count = len(pdf.pages)
        pdfa.save(pdf, out)  # to a temporary file, renamed into place once it passed
    return count


def _write_outline(pdf: pikepdf.Pdf, bookmarks: list[Bookmark]) -> None:
    def build(mark: Bookmark) -> pikepdf.OutlineItem:
        item = pikepdf.OutlineItem(mark.title, mark.page)
        item.children.extend(build(child) for child in mark.children)
        return item

    with pdf.open_outline() as outline:
        outline.root.extend(build(mark) for mark in bookmarks)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines


def _write_metadata(pdf: pikepdf.Pdf, *, title: str, author: str, subject: str) -> None:
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Author"] = author
    pdf.docinfo["/Subject"] = subject
    pdf.docinfo["/Creator"] = "创文通"
    pdf.Root.Lang = pikepdf.String("zh-CN")
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta.load_from_docinfo(pdf.docinfo)
        meta["dc:title"] = title
        meta["dc:creator"] = [author]
        meta["dc:description"] = subject
