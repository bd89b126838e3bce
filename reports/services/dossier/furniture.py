"""Page furniture (running header, 第 N 页 共 M 页, photo caption tables) drawn straight into PDF
content streams, instead of laying out one HTML page per dossier page.

Laying out the furniture with WeasyPrint cost ~25 ms per page (a 500-photo dossier has ~740
pages: 19 of its 31 seconds) for text whose place is known in advance. So the builder asks
WeasyPrint for ONE small page holding every character the furniture needs, in the two fonts the
dossier uses (Noto Sans CJK SC: header, caption labels; Noto Serif CJK SC: page numbers, caption
text). WeasyPrint embeds those two subset fonts exactly as in every other part (CID-keyed,
Identity-H, with ToUnicode, so text stays searchable and PDF/A fonts stay embedded); this module
reads back each character's code and advance width and writes every sheet as text, line and
rectangle operators. The geometry is that of the former furniture stylesheet.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field

import pikepdf

from reports.services.dossier.compose import A4, MM

SANS, SERIF = "Noto Sans CJK SC", "Noto Serif CJK SC"
REPLACEMENT = "？"
# Vertical metrics of Noto CJK (em): ascent and descent of the glyphs, for placing baselines.
ASCENT, DESCENT = 0.88, 0.12

HEAD = {"top_mm": 9, "left_mm": 20, "right_mm": 20, "size": 8.5, "title_max_mm": 80, "head_max_mm": 90}
FOOT = {"bottom_mm": 8, "size": 9}
CORNER = {"bottom_mm": 5, "right_mm": 12, "size": 8}
CAPTION = {"size": 10, "line": 1.4, "pad_y_mm": 1.2, "pad_x_mm": 2, "label_mm": 14, "border_pt": 0.6,
           "reason_lines": 2}
LABELS = ("时间", "地点", "人物", "主题", "事由")
GREY_TEXT, GREY_LINE, LABEL_FILL = (0.2, 0.2, 0.2), (0.6, 0.6, 0.6), (0.949, 0.949, 0.949)


# --- fonts ------------------------------------------------------------------------------------


@dataclass
class Font:
    """One embedded font of the sample page: its PDF object and its metrics."""

    obj: pikepdf.Object
    codes: dict[str, int] = field(default_factory=dict)  # character → CID (the Identity-H code)
    widths: dict[int, float] = field(default_factory=dict)  # CID → advance in 1/1000 em
    default_width: float = 1000

    def has(self, char: str) -> bool:
        return char in self.codes

    def width(self, text: str, size: float) -> float:
        """Advance of ``text`` in points at ``size``."""
        return sum(self.widths.get(self.codes.get(c, -1), self.default_width) for c in text) * size / 1000

    def encode(self, text: str) -> str:
        return "".join(f"{self.codes[c]:04x}" for c in text if c in self.codes)

    def fit(self, text: str, size: float, limit: float) -> str:
        """The longest head of ``text`` within ``limit`` points (nowrap, overflow hidden)."""
        used, out = 0.0, []
        for char in text:
            used += self.width(char, size)
            if used > limit:
                break
            out.append(char)
        return "".join(out)

    def wrap(self, text: str, size: float, limit: float) -> list[str]:
        """Lines of at most ``limit`` points, broken between any two characters (CJK text)."""
        lines, line, used = [], [], 0.0
        for char in text:
            advance = self.width(char, size)
            if line and used + advance > limit:
                lines.append("".join(line).rstrip())
                line, used = [], 0.0
                if char == " ":
                    continue
            line.append(char)
            used += advance
        if line or not lines:
            lines.append("".join(line))
        return lines


def characters(sheets: list[dict], total: int) -> str:
    """Every character the furniture of these sheets will draw (plus the fixed labels)."""
    chars = set("第页共　 —0123456789" + "".join(LABELS) + REPLACEMENT + str(total))
    for sheet in sheets:
        chars.update(sheet.get("title") or "")
        chars.update(sheet.get("head") or "")
        for key in ("time", "place", "people", "subject", "reason"):
            chars.update(str((sheet.get("caption") or {}).get(key) or ""))
    chars.discard("\n")
    chars.discard("\r")
    return "".join(sorted(chars))


def sample_html(chars: str) -> str:
    """One page with every character in both fonts, separated by spaces (no ligatures form)."""
    text = html.escape(" ".join(chars))
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>字形</title><style>'
        "@page { size: A4; margin: 5mm } body { font-size: 6pt; margin: 0 }"
        f'.s {{ font-family: "{SANS}", sans-serif }} .r {{ font-family: "{SERIF}", serif }}'
        f'</style></head><body><p class="s">{text}</p><p class="r">{text}</p></body></html>'
    )


def read_fonts(sample: pikepdf.Pdf) -> dict[str, Font]:
    """{"sans": Font, "serif": Font} from the sample PDF's page resources (any page)."""
    fonts: dict[str, Font] = {}
    for page in sample.pages:
        for font_obj in page.obj.get("/Resources", {}).get("/Font", {}).values():
            base = str(font_obj.get("/BaseFont", ""))
            key = "serif" if "Serif" in base else "sans" if "Sans" in base else None
            if key is None or key in fonts:
                continue
            fonts[key] = _metrics(font_obj)
    missing = {"sans", "serif"} - set(fonts)
    if missing:
        raise ValueError(f"页眉页脚字体缺失：{'、'.join(sorted(missing))}（需要 Noto CJK 字体）")
    return fonts


def _metrics(font_obj) -> Font:
    font = Font(obj=font_obj)
    cmap = font_obj.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            text = bytes.fromhex(uni).decode("utf-16-be", errors="ignore")
            if len(text) == 1:
                font.codes.setdefault(text, int(code, 16))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, stop, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = int(uni, 16)
            for offset in range(int(stop, 16) - int(start, 16) + 1):
                font.codes.setdefault(chr(first + offset), int(start, 16) + offset)
    descendant = font_obj.DescendantFonts[0]
    font.default_width = float(descendant.get("/DW", 1000))
    _read_widths(list(descendant.get("/W", [])), font.widths)
    return font


def _read_widths(w: list, widths: dict[int, float]) -> None:
    """The CIDFont W array: ``c [w1 w2 …]`` or ``c_first c_last w``."""
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for offset, value in enumerate(w[i + 1]):
                widths[first + offset] = float(value)
            i += 2
        else:
            for cid in range(first, int(w[i + 1]) + 1):
                widths[cid] = float(w[i + 2])
            i += 3


# --- drawing ----------------------------------------------------------------------------------


class Canvas:
    """Content-stream operators for one A4 page, in points from the top-left corner."""

    def __init__(self, fonts: dict[str, Font]):
        self.fonts, self.ops = fonts, []

    def text(self, font: str, size: float, x: float, top: float, text: str, colour=(0, 0, 0)) -> None:
        """``text`` with its line box's top at ``top`` (line height = size)."""
        f = self.fonts[font]
        text = "".join(c if f.has(c) else REPLACEMENT for c in text if c not in "\r\n")
        if not text.strip():
            return
        baseline = A4[1] - (top + ASCENT * size)
        self.ops.append(f"{colour[0]:.3f} {colour[1]:.3f} {colour[2]:.3f} rg BT /{font} {size:g} Tf "
                        f"1 0 0 1 {x:.2f} {baseline:.2f} Tm <{f.encode(text)}> Tj ET")

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float, colour) -> None:
        self.ops.append(f"{colour[0]:.3f} {colour[1]:.3f} {colour[2]:.3f} RG {width:g} w "
                        f"{x1:.2f} {A4[1] - y1:.2f} m {x2:.2f} {A4[1] - y2:.2f} l S")

    def rect(self, x: float, top: float, w: float, h: float, *, fill=None, stroke=None, width: float = 0) -> None:
        y = A4[1] - top - h
        if fill:
            self.ops.append(f"{fill[0]:.3f} {fill[1]:.3f} {fill[2]:.3f} rg {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f")
        if stroke:
            self.ops.append(f"{stroke[0]:.3f} {stroke[1]:.3f} {stroke[2]:.3f} RG {width:g} w "
                            f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")

    def clip(self, x: float, top: float, w: float, h: float) -> None:
        self.ops.append(f"{x:.2f} {A4[1] - top - h:.2f} {w:.2f} {h:.2f} re W n")

    def stream(self) -> bytes:
        return ("q\n" + "\n".join(self.ops) + "\nQ").encode()


def draw_head(c: Canvas, title: str, head: str) -> None:
    size, sans = HEAD["size"], c.fonts["sans"]
    left, right = HEAD["left_mm"] * MM, A4[0] - HEAD["right_mm"] * MM
    top = HEAD["top_mm"] * MM
    line_box = size * 1.45
    text_top = top + (line_box - size) / 2
    c.text("sans", size, left, text_top, sans.fit(title, size, HEAD["title_max_mm"] * MM), GREY_TEXT)
    shown = sans.fit(head, size, HEAD["head_max_mm"] * MM)
    c.text("sans", size, right - sans.width(shown, size), text_top, shown, GREY_TEXT)
    rule = top + line_box + 1 * MM
    c.line(left, rule, right, rule, 0.5, GREY_LINE)


def draw_number(c: Canvas, number: int, total: int, corner: bool) -> None:
    text = f"第 {number} 页　共 {total} 页"
    spec = CORNER if corner else FOOT
    size = spec["size"]
    width = c.fonts["serif"].width(text, size)
    x = A4[0] - spec["right_mm"] * MM - width if corner else (A4[0] - width) / 2
    top = A4[1] - spec["bottom_mm"] * MM - size * 1.45 + (size * 1.45 - size) / 2
    c.text("serif", size, x, top, text, (0, 0, 0))


def draw_caption(c: Canvas, caption: dict, box: dict, height_mm: float) -> None:
    """The 时间/地点/人物/主题/事由 table right under the photo, clipped to its box."""
    size, line = CAPTION["size"], CAPTION["size"] * CAPTION["line"]
    pad_y, pad_x = CAPTION["pad_y_mm"] * MM, CAPTION["pad_x_mm"] * MM
    left, width = box["left_mm"] * MM, box["width_mm"] * MM
    label = CAPTION["label_mm"] * MM
    half = (width - 2 * label) / 2
    top = caption["top_mm"] * MM

    def value(key):
        return str(caption.get(key) or "—").replace("\n", " ")

    serif = c.fonts["serif"]
    rows = [  # (cells: (x, width, text, is_label)), max lines
        ([(0, label, "时间", True), (label, half, value("time"), False), (label + half, label, "地点", True),
          (2 * label + half, half, value("place"), False)], None),
        ([(0, label, "人物", True), (label, width - label, value("people"), False)], None),
        ([(0, label, "主题", True), (label, width - label, value("subject"), False)], None),
        ([(0, label, "事由", True), (label, width - label, value("reason"), False)], CAPTION["reason_lines"]),
    ]
    c.ops.append("q")
    c.clip(left, top, width, height_mm * MM)
    y = top
    for cells, max_lines in rows:
        laid = [(x, w, [text] if is_label else serif.wrap(text, size, w - 2 * pad_x)[:max_lines], is_label)
                for x, w, text, is_label in cells]
        row_height = max(len(lines) for _x, _w, lines, _l in laid) * line + 2 * pad_y
        for x, w, lines, is_label in laid:
            c.rect(left + x, y, w, row_height, fill=LABEL_FILL if is_label else None, stroke=(0.2, 0.2, 0.2),
                   width=CAPTION["border_pt"])
            for n, text in enumerate(lines):
                text_top = y + pad_y + n * line + (line - size) / 2
                c.text("sans" if is_label else "serif", size, left + x + pad_x, text_top, text)
        y += row_height
    c.ops.append("Q")


def write(path: str, sheets: list[dict], *, total: int, box: dict, caption_height_mm: float,
          sample_pdf: str) -> int:
    """One overlay page per sheet, written to ``path``; returns the number of pages."""
    with pikepdf.open(sample_pdf) as sample:
        out = pikepdf.new()
        fonts = read_fonts(sample)
        resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(
            sans=out.copy_foreign(fonts["sans"].obj), serif=out.copy_foreign(fonts["serif"].obj)))
        resources = out.make_indirect(resources)
        for sheet in sheets:
            canvas = Canvas(fonts)
            if sheet.get("head"):
                draw_head(canvas, sheet.get("title") or "", sheet["head"])
            if sheet.get("caption"):
                draw_caption(canvas, sheet["caption"], box, caption_height_mm)
            if sheet.get("number"):
                draw_number(canvas, sheet["number"], total, bool(sheet.get("corner")))
            page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, A4[0], A4[1]],
                                      Contents=pikepdf.Stream(out, canvas.stream()), Resources=resources)
            out.pages.append(pikepdf.Page(page))
        count = len(out.pages)
        tmp = f"{path}.tmp"
        out.save(tmp, object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.7")
        out.close()
    os.replace(tmp, path)
    return count
