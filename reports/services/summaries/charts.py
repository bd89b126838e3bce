"""Charts for printed reports, drawn in Python: no JavaScript in a PDF, no chart library.

A chart is laid out once as a list of primitives (rectangles, lines, text), then written either
as SVG (inlined in the WeasyPrint HTML) or as PNG (Pillow, for the .docx: Word and WPS do not all
show SVG). Both come from the same layout, so the PDF and the Word file show the same figure.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

FONT_FAMILY = "Noto Sans CJK SC, sans-serif"
FONT_FILES = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"]
FONT_INDEX_SC = 2  # the .ttc holds JP, KR, SC, TC, HK
PALETTE = ["#1f4e8c", "#2e8b57", "#d9822b", "#c0392b", "#7f8c8d"]


@dataclass
class Shape:
    kind: str  # rect / line / text
    x: float
    y: float
    w: float = 0
    h: float = 0
    fill: str = "#000"
    text: str = ""
    size: float = 11
    anchor: str = "start"  # start / middle / end


@dataclass
class Chart:
    width: int
    height: int
    shapes: list[Shape] = field(default_factory=list)

    def rect(self, x, y, w, h, fill):
        self.shapes.append(Shape("rect", x, y, w, h, fill))

    def line(self, x1, y1, x2, y2, colour="#999"):
        self.shapes.append(Shape("line", x1, y1, x2 - x1, y2 - y1, colour))

    def label(self, x, y, text, size=11, anchor="start", fill="#333"):
        self.shapes.append(Shape("text", x, y, fill=fill, text=str(text), size=size, anchor=anchor))

    def svg(self) -> str:
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                 f'width="100%" font-family="{FONT_FAMILY}">']
        for s in self.shapes:
            if s.kind == "rect":
                parts.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" fill="{s.fill}"/>')
            elif s.kind == "line":
                parts.append(f'<line x1="{s.x:.1f}" y1="{s.y:.1f}" x2="{s.x + s.w:.1f}" y2="{s.y + s.h:.1f}" '
                             f'stroke="{s.fill}" stroke-width="0.8"/>')
            else:
                parts.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" fill="{s.fill}" '
                             f'text-anchor="{s.anchor}">{escape(s.text)}</text>')
        parts.append("</svg>")
        return "".join(parts)

    def png(self, scale: int = 3) -> bytes:
        image = Image.new("RGB", (self.width * scale, self.height * scale), "white")
        draw = ImageDraw.Draw(image)
        for s in self.shapes:
            if s.kind == "rect":
                if s.w * scale < 1 or s.h * scale < 1:
                    continue
                draw.rectangle([s.x * scale, s.y * scale, (s.x + s.w) * scale - 1, (s.y + s.h) * scale - 1], fill=s.fill)
            elif s.kind == "line":
                draw.line([s.x * scale, s.y * scale, (s.x + s.w) * scale, (s.y + s.h) * scale], fill=s.fill,
                          width=max(1, scale // 2))
            else:
                anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
                draw.text((s.x * scale, s.y * scale), s.text, fill=s.fill, font=_font(int(s.size * scale)),
                          anchor=anchor)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue()


@lru_cache(maxsize=16)
def _font(size: int):
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size, index=FONT_INDEX_SC)
        except OSError:
            continue
    return ImageFont.load_default(size)


def nice_max(value: float) -> tuple[float, float]:
    """A round axis maximum and tick step (1, 2 or 5 × 10ⁿ) for values up to ``value``."""
    if value <= 0:
        return 5, 1
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step), step


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def column_chart(categories: list[str], series: list[tuple[str, list]], *, width=640, height=260,
                 suffix: str = "") -> Chart:
    """Grouped vertical bars, one group per category, with values on top and a legend."""
    chart = Chart(width, height)
    left, right, top, bottom = 44, 12, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, step = nice_max(max([0, *(v for _n, vals in series for v in vals)]))
    tick = 0.0
    while tick <= top_value + 1e-9:
        y = top + plot_h - plot_h * tick / top_value
        chart.line(left, y, width - right, y, "#ddd")
        chart.label(left - 6, y + 4, _number(tick), 10, "end", "#666")
        tick += step
    group = plot_w / max(1, len(categories))
    bar = min(28, group * 0.8 / max(1, len(series)))
    for i, name in enumerate(categories):
        x0 = left + i * group + (group - bar * len(series)) / 2
        for j, (_label, values) in enumerate(series):
            h = plot_h * values[i] / top_value
            chart.rect(x0 + j * bar, top + plot_h - h, bar - 2, h, PALETTE[j % len(PALETTE)])
            chart.label(x0 + j * bar + bar / 2 - 1, top + plot_h - h - 3, f"{_number(values[i])}{suffix}", 9, "middle")
        chart.label(left + i * group + group / 2, height - bottom + 16, name, 10, "middle")
    chart.line(left, top + plot_h, width - right, top + plot_h, "#666")
    _legend(chart, [name for name, _v in series], width - right, 14)
    return chart


def bar_chart(labels: list[str], values: list, *, maximum: float | None = None, width=640, suffix: str = "",
              colour: str = PALETTE[0]) -> Chart:
    """Horizontal bars, one per label (units, site types), value at the end of the bar."""
    row = 22
    height = 16 + row * len(labels)
    chart = Chart(width, height)
    left, right = 150, 60
    top_value = maximum or nice_max(max([0, *values]))[0]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 8 + i * row
        chart.label(left - 8, y + 14, label if len(label) <= 11 else label[:10] + "…", 11, "end")
        w = (width - left - right) * float(value) / float(top_value) if top_value else 0
        chart.rect(left, y + 3, w, row - 7, colour)
        chart.label(left + w + 5, y + 14, f"{_number(value)}{suffix}", 10)
    chart.line(left, 6, left, height - 4, "#666")
    return chart


def _legend(chart: Chart, names: list[str], right: float, y: float) -> None:
    x = right
    for j in reversed(range(len(names))):
        width = 14 + 12 * len(names[j])
        x -= width + 10
        chart.rect(x, y - 9, 10, 10, PALETTE[j % len(PALETTE)])
        chart.label(x + 14, y, names[j], 10)
