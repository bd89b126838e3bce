"""The 督查通报 as a document: red header with the office's name and 文号, the problems by unit
with their photos, the requirements; written as PDF (WeasyPrint) and .docx (python-docx)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from reports.services.bulletins.data import BulletinData
from reports.services.summaries.render import (
    BODY_FONT,
    HEAD_FONT,
    RED,
    TITLE_FONT,
    add_border,
    add_paragraph,
    add_table,
    set_font,
    setup_page,
)
from reports.services.summaries.wording import CN_NUMBERS

TABLE_HEADER = ["序号", "编号", "问题", "点位", "整改期限", "情况"]


@dataclass
class BulletinDocument:
    office: str
    number: str
    title: str
    addressee: str
    intro: list[str]
    requirements: list[str]
    data: BulletinData
    issued: date
    copy_to: str = ""

    @property
    def date_text(self) -> str:
        return f"{self.issued.year}年{self.issued.month}月{self.issued.day}日"


def _ordinal(n: int) -> str:
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{CN_NUMBERS[tens - 1] if tens > 1 else ''}十{CN_NUMBERS[ones - 1] if ones else ''}"


def write_pdf(doc: BulletinDocument, path: Path) -> int:
    from weasyprint import HTML

    for i, block in enumerate(doc.data.blocks, start=1):
        block.ordinal = _ordinal(i)
        block.photos = [line for line in block.lines if line.photo is not None]
    html = render_to_string("reports/pdf/bulletin.html", {"doc": doc})
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    document.write_pdf(path)
    return len(document.pages)


def _photo_grid(word, lines) -> None:
    table = word.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for start in range(0, len(lines), 2):
        cells = table.add_row().cells
        for cell, line in zip(cells, lines[start:start + 2], strict=False):
            cell.paragraphs[0].add_run().add_picture(str(line.photo), width=Cm(7.6))
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = cell.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(caption.add_run(f"{line.task.number}　{line.site}"), HEAD_FONT, 9)


def _blocks(word, doc: BulletinDocument) -> None:
    add_paragraph(word, "一、通报问题清单", size=15, font=HEAD_FONT, bold=True, indent=True)
    for i, block in enumerate(doc.data.blocks, start=1):
        add_paragraph(word, f"（{_ordinal(i)}）{block.name}（{len(block.lines)}件）", size=14, bold=True, indent=True)
        rows = [[str(n), line.task.number + (f"\n{line.notice}" if line.notice else ""), line.task.title, line.site,
                 f"{line.task.due_date:%Y-%m-%d}", line.status] for n, line in enumerate(block.lines, start=1)]
        add_table(word, TABLE_HEADER, rows)
        photos = [line for line in block.lines if line.photo is not None]
        if photos:
            _photo_grid(word, photos)


def write_docx(doc: BulletinDocument, path: Path) -> None:
    word = Document()
    setup_page(word)
    add_paragraph(word, doc.office, size=22, font=TITLE_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, colour=RED)
    number = add_paragraph(word, doc.number, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    add_border(number, "bottom", val="thickThinSmallGap", size=24, colour="D00000")
    add_paragraph(word, doc.title, size=18, font=HEAD_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=10)
    add_paragraph(word, f"{doc.addressee}：")
    for text in doc.intro:
        add_paragraph(word, text, indent=True)
    _blocks(word, doc)
    add_paragraph(word, "二、有关要求", size=15, font=HEAD_FONT, bold=True, indent=True)
    for text in doc.requirements:
        add_paragraph(word, text, indent=True)
    for text in (doc.office, doc.date_text):
        add_paragraph(word, text, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=0)
    if doc.copy_to:
        add_paragraph(word, space_after=0)
        line = add_paragraph(word, f"抄送：{doc.copy_to}", size=12, font=BODY_FONT)
        add_border(line, "top")
        add_border(line, "bottom")
    word.save(str(path))
