"""Write an ``Issue`` as a PDF (WeasyPrint, local files only) and as an editable .docx for WPS and
Word (python-docx): same words, same tables, charts as SVG in the PDF and PNG in the .docx."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.services.summaries.document import RANK_HEADER, Issue

# WeasyPrint logs every layout step at INFO; a report job only needs its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

RED = RGBColor(0xD0, 0x00, 0x00)
BODY_FONT, HEAD_FONT, TITLE_FONT = "仿宋", "黑体", "宋体"


def write_pdf(issue: Issue, path: Path, *, period_end: str) -> int:
    """Render the PDF; returns its page count."""
    from weasyprint import HTML

    sections = []
    figures = {}
    for index, caption, chart in issue.numbered_figures():
        figures.setdefault(index, []).append((caption, mark_safe(chart.svg())))  # our own SVG, text escaped
    for index, section in enumerate(issue.sections):
        sections.append((section, figures.get(index, [])))
    html = render_to_string("reports/pdf/summary.html", {
        "issue": issue, "sections": sections, "rank_header": RANK_HEADER, "period_end": period_end,
    })
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    document.write_pdf(path)
    return len(document.pages)


# --- .docx -----------------------------------------------------------------------------------


def set_font(run, name: str, size: float, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if colour is not None:
        run.font.color.rgb = colour


def add_paragraph(doc, text: str = "", *, size: float = 14, font: str = BODY_FONT, bold=False, align=None,
                  indent: bool = False, colour=None, space_after: float = 4, heading: int = 0):
    """A paragraph in the office's fonts; ``heading`` 1–2 makes it a Word heading (navigation pane)
    while keeping the document's own look (black, same font)."""
    p = doc.add_paragraph(style=f"Heading {heading}" if heading else None)
    if heading:
        colour = colour or RGBColor(0, 0, 0)
        p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.line_spacing = 1.5
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        set_font(p.add_run(text), font, size, bold=bold, colour=colour)
    return p


def add_border(paragraph, side: str, *, val: str = "single", size: int = 8, colour: str = "000000") -> None:
    borders = paragraph._p.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        paragraph._p.get_or_add_pPr().append(borders)
    edge = OxmlElement(f"w:{side}")
    for key, value in (("w:val", val), ("w:sz", str(size)), ("w:space", "1"), ("w:color", colour)):
        edge.set(qn(key), value)
    borders.append(edge)


def _page_numbers(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("第 ", "PAGE"), (" 页 共 ", "NUMPAGES"), (" 页", None)):
        set_font(p.add_run(text), BODY_FONT, 9)
        if field:
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), field)
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = "1"
            run.append(t)
            simple.append(run)
            p._p.append(simple)


def setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.6)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    _page_numbers(section)


def _head(doc, issue: Issue) -> None:
    add_paragraph(doc, issue.masthead, size=32, font=TITLE_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, colour=RED)
    add_paragraph(doc, issue.issue_label, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    meta = add_paragraph(doc, space_after=10)
    meta.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    set_font(meta.add_run(f"{issue.editor}\t{issue.date_text}"), BODY_FONT, 12)
    add_border(meta, "bottom", val="thickThinSmallGap", size=24, colour="D00000")
    add_paragraph(doc, issue.headline, size=18, font=HEAD_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               space_after=10)
    add_paragraph(doc, issue.opening, indent=True)


def add_table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        set_font(cell.paragraphs[0].add_run(text), HEAD_FONT, 9.5)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            set_font(cell.paragraphs[0].add_run(text), BODY_FONT, 9.5)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER
    add_paragraph(doc, space_after=2)


def _sections(doc, issue: Issue, work_dir: Path) -> None:
    figures: dict[int, list] = {}
    for index, caption, chart in issue.numbered_figures():
        figures.setdefault(index, []).append((caption, chart))
    for index, section in enumerate(issue.sections):
        add_paragraph(doc, section.heading, size=15, font=HEAD_FONT, bold=True, indent=True, space_after=2, heading=1)
        for para in section.paragraphs:
            p = add_paragraph(doc, indent=True)
            if para.lead:
                set_font(p.add_run(para.lead), HEAD_FONT, 14, bold=True)
            set_font(p.add_run(para.text), BODY_FONT, 14)
        for n, (caption, chart) in enumerate(figures.get(index, [])):
            image = work_dir / f"chart-{index}-{n}.png"
            image.write_bytes(chart.png())
            doc.add_picture(str(image), width=Cm(15.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_paragraph(doc, caption, size=10.5, font=HEAD_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)


def _annexes(doc, issue: Issue, period_end: str) -> None:
    number = 0
    if issue.ranking:
        number += 1
        doc.add_page_break()
        add_paragraph(doc, f"附件{number}　各责任单位整改情况排名（红黑榜）", size=15, font=HEAD_FONT, bold=True,
                      heading=1)
        add_paragraph(doc, "排名按整改率从高到低排列；整改率相同的，超期问题少的在前，再按按期销号率从高到低排列。"
                        f"数据截至{period_end}。", size=12, indent=True)
        for title, rows in (("红榜（整改成效较好）", issue.best), ("黑榜（整改进度滞后）", issue.worst),
                            ("全部单位排名", issue.ranking)):
            if rows:
                add_paragraph(doc, title, size=12, font=HEAD_FONT, colour=RED if title.startswith("红榜") else None)
                add_table(doc, RANK_HEADER, rows)
    if issue.cases:
        number += 1
        doc.add_page_break()
        add_paragraph(doc, f"附件{number}　整改典型案例", size=15, font=HEAD_FONT, bold=True, heading=1)
        for i, case in enumerate(issue.cases, start=1):
            p = add_paragraph(doc, indent=True, size=12)
            set_font(p.add_run(f"案例{i}　"), HEAD_FONT, 12, bold=True)
            set_font(p.add_run(case.text), BODY_FONT, 12)
            table = doc.add_table(rows=2, cols=2)
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for col, (path, label) in enumerate(((case.before, "整改前"), (case.after, "整改后"))):
                table.rows[0].cells[col].paragraphs[0].add_run().add_picture(str(path), width=Cm(7.6))
                table.rows[0].cells[col].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                set_font(table.rows[1].cells[col].paragraphs[0].add_run(label), HEAD_FONT, 10)
                table.rows[1].cells[col].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_docx(issue: Issue, path: Path, *, work_dir: Path, period_end: str) -> None:
    doc = Document()
    setup_page(doc)
    _head(doc, issue)
    _sections(doc, issue, work_dir)
    _annexes(doc, issue, period_end)
    add_paragraph(doc, space_after=0)
    lines = [add_paragraph(doc, f"{label}：{text}", size=12, space_after=0) for label, text in issue.distribution]
    if lines:
        add_border(lines[0], "top")
        add_border(lines[-1], "bottom")
    doc.save(str(path))
