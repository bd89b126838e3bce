"""Build a dossier PDF from a plan, in parts:

1. prepare: print renditions of photos (made on the fly if missing); of each PDF a print copy
   without active content, checked against PDF/A-2b on its own (pdfa.py);
2. parts: cover, 测评材料提交表 and rectification pairs rendered by WeasyPrint in child processes;
   photo pages composed directly from the renditions' JPEG bytes (compose.write_photo_part);
3. layout: every page's place is now known, so the 总目录 and the manifest get exact numbers;
4. furniture: header, 第 N 页 共 M 页 and photo captions rendered as overlay pages;
5. merge with pikepdf, overlay, bookmarks, metadata; written by pikepdf.pdfa, which validates
   the file as PDF/A-2b and refuses to write one that does not pass (the run then fails).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from archives.models import EvidenceItem
from reports.services.dossier import compose, furniture, pdfa
from reports.services.dossier.plan import DossierPlan, Material, dossier_title, dossier_title_parts
from reports.services.dossier.renderer import PartJob, RendererPool
from reports.services.runs import ReportError
from tasks.models.names import former_names, unit_name

log = logging.getLogger(__name__)

FORMS_PER_PART = 40
PAIRS_PER_PART = 30


class DossierError(ReportError):
    """A problem the requester can act on; the message is shown on the run page."""


@dataclass
class Sheet:
    """The furniture of one page."""

    head: str = ""
    number: int | None = None
    caption: dict | None = None
    corner: bool = False  # over an imported document: page number in the corner


@dataclass
class Entry:
    """A 总目录 line or a bookmark: level 1 版块, 2 项目, 4 标准; 0 for fixed parts."""

    level: int
    code: str
    name: str
    rel_page: int
    parent: Entry | None = None


@dataclass
class BuildResult:
    pages: int
    notes: list[str] = field(default_factory=list)
    peak_child_kb: int = 0
    timings: dict = field(default_factory=dict)


@dataclass
class Meta:
    title: str
    short_title: str
    author: str
    compiler: str
    cover: dict


class DossierBuilder:
    def __init__(self, plan: DossierPlan, *, meta: Meta, work_dir: Path, out_path: Path,
                 progress: Callable[[int, str], None] = lambda percent, stage: None, processes: int | None = None):
        self.plan, self.meta, self.work, self.out = plan, meta, Path(work_dir), Path(out_path)
        self.progress = progress
        self.processes = processes or getattr(settings, "REPORTS_RENDER_PROCESSES", 1)
        self.notes: list[str] = []
        self.timings: dict[str, float] = {}
        self.photo_pdf: dict[int, tuple[str, int]] = {}   # item pk → (part, page index)
        self.doc_pdf: dict[int, tuple[str, int]] = {}     # item pk → (file, pages)
        self.caption_top: dict[int, float] = {}           # item pk → caption top on its page (mm)
        self.photo_file: str | None = None                # every photo page, in dossier order
        self.form_pages: dict[str, compose.Slice] = {}    # anchor → pages of a form or a pair
        self.body: list[compose.Slice] = []
        self.sheets: list[Sheet] = []
        self.entries: list[Entry] = []
        self.manifest: list[dict] = []

    # -- driver ------------------------------------------------------------------------------
    def build(self) -> BuildResult:
        if not self.plan.sections and self.plan.omitted:
            raise DossierError("所选范围内的测评标准都没有已审核的材料，卷宗没有可装订的内容。请扩大单位、指标或日期范围；"
                               "如需装订空白提交表，请取消勾选“略去没有已审核材料的测评标准”后重新生成。")
        self.work.mkdir(parents=True, exist_ok=True)
        self._timed("prepare", self.prepare)
        with RendererPool(self.processes, cwd=str(settings.BASE_DIR)) as pool:
            self._timed("parts", lambda: self.render_parts(pool))
            self._timed("layout", self.layout)
            toc = self._timed("toc", lambda: self.render_toc(pool))
            manifest = self._timed("manifest", lambda: self.render_manifest(pool, toc[1]))
            total = 1 + toc[1] + len(self.sheets) + manifest[1]
            furniture = self._timed("furniture", lambda: self.render_furniture(pool, toc[1], manifest[1], total))
            peak = pool.peak_child_kb
        pages = self._timed("merge", lambda: self.merge(toc[0], manifest[0], furniture, total))
        return BuildResult(pages=pages, notes=self.notes, peak_child_kb=peak, timings=self.timings)

    def _timed(self, name, fn):
        started = time.monotonic()
        result = fn()
        self.timings[name] = round(time.monotonic() - started, 3)
        return result

    # -- 1. prepare --------------------------------------------------------------------------
    def prepare(self) -> None:
        self.progress(2, "准备材料：检查照片打印版，制作 PDF 的装订副本")
        unique = {m.item.pk: m.item for m in self.plan.materials}
        for n, item in enumerate(unique.values(), 1):
            if item.kind == EvidenceItem.Kind.PHOTO:
                self.photo_pdf[item.pk] = (self._rendition(item), -1)
            elif item.kind == EvidenceItem.Kind.DOCUMENT:
                self.doc_pdf[item.pk] = self._bindable(item)
            if n % 50 == 0:
                self.progress(2 + 8 * n // len(unique), f"准备材料：{n}/{len(unique)}")
        office = sum(1 for item in unique.values() if item.kind == EvidenceItem.Kind.OFFICE)
        if office:
            self.notes.append(f"{office} 个 Office 文件只列入提交表和文件清单，未装订（请上传其 PDF 版本）。")

    def _rendition(self, item: EvidenceItem) -> str:
        if not (item.print_file and Path(item.print_file.path).is_file()):
            from archives.services.renditions import evidence_make_rendition

            try:
                item = evidence_make_rendition(item=item)
            except Exception as exc:
                raise DossierError(f"照片《{item}》无法生成打印版：{exc}。请替换该照片后重新生成。") from exc
        return item.print_file.path

    def _bindable(self, item: EvidenceItem) -> tuple[str, int]:
        """The print copy of an uploaded PDF (the stored original is evidence and stays as it is)."""
        copy = str(self.work / f"doc-{item.pk}.pdf")
        try:
            pages = pdfa.bindable_copy(item.file.path, copy)
        except Exception as exc:
            raise DossierError(f"PDF 文件《{item}》无法读取（{exc.__class__.__name__}）。请替换该文件后重新生成。") from exc
        report = pdfa.check_copy(copy)
        if not report.passed:
            raise DossierError(f"PDF 文件《{item}》不能装订进 PDF/A 卷宗：{pdfa.describe(report)}。请用 Word/WPS"
                               "“另存为 PDF/A”或重新扫描后替换该文件，再重新生成。")
        return copy, pages

    # -- 2. parts ----------------------------------------------------------------------------
    def render_parts(self, pool: RendererPool) -> None:
        self.progress(10, "排版封面、测评材料提交表和照片页")
        jobs = [self._job("cover", "reports/pdf/cover.html", self.meta.cover)]
        forms, pairs = self._forms_and_pairs()
        for n in range(0, len(forms), FORMS_PER_PART):
            jobs.append(self._job(f"forms{n}", "reports/pdf/forms.html", {"forms": forms[n:n + FORMS_PER_PART]}))
        for n in range(0, len(pairs), PAIRS_PER_PART):
            jobs.append(self._job(f"pairs{n}", "reports/pdf/pairs.html", {"pairs": pairs[n:n + PAIRS_PER_PART]}))
        self._photo_parts()
        done = [0]

        def on_done(job):
            done[0] += 1
            self.progress(15 + 35 * done[0] // len(jobs), f"排版提交表：{done[0]}/{len(jobs)} 部分")

        pool.run(jobs, on_done)
        self.cover_pdf = jobs[0].pdf
        for job in jobs[1:]:
            self._read_anchors(job)

    def _job(self, name: str, template: str, context: dict) -> PartJob:
        html = self.work / f"{name}.html"
        html.write_text(render_to_string(template, context), encoding="utf-8")
        return PartJob(html=str(html), pdf=str(self.work / f"{name}.pdf"))

    def _read_anchors(self, job: PartJob) -> None:
        starts = [(anchor, page) for page, anchors in enumerate(job.result["anchors"])
                  for anchor in anchors if anchor[:2] in ("f-", "p-")]
        for index, (anchor, page) in enumerate(starts):
            stop = starts[index + 1][1] if index + 1 < len(starts) else job.result["pages"]
            self.form_pages[anchor] = compose.Slice(job.pdf, page, max(stop, page + 1))

    def _forms_and_pairs(self) -> tuple[list[dict], list[dict]]:
        forms, pairs = [], []
        names = former_names()  # a closed task's page names its unit as it was called then
        for s, section in enumerate(self.plan.sections):
            for b, block in enumerate(section.blocks):
                forms.append(self._form_context(f"f-{s}-{b}", section.standard, block))
                for p, pair in enumerate(block.pairs):
                    pairs.append({"anchor": f"p-{s}-{b}-{p}", "task": pair.task, "unit": pair.unit,
                                  "unit_name": unit_name(pair.task, pair.unit, names),
                                  "before_url": Path(self._rendition(pair.before)).as_uri(),
                                  "after_url": Path(self._rendition(pair.after)).as_uri(),
                                  "before_date": timezone.localtime(pair.before_date),
                                  "after_date": timezone.localtime(pair.after_date)})
        return forms, pairs

    def _form_context(self, anchor: str, standard, block) -> dict:
        materials = [{"name": _material_name(m), "category": m.item.category, "dated": m.dated,
                      "pages": self._pages_of(m), "note": "" if m.bound else "未装订"} for m in block.materials]
        return {"anchor": anchor, "standard": standard, "methods": "、".join(standard.methods),
                "unit_name": block.unit.name if block.unit else "全市",
                "materials": materials, "self_assessment": block.form.self_assessment if block.form else "",
                "conclusion": block.form.conclusion if block.form else ""}

    def _pages_of(self, m: Material) -> int | None:
        if m.item.kind == EvidenceItem.Kind.PHOTO:
            return 1
        if m.item.kind == EvidenceItem.Kind.DOCUMENT:
            return self.doc_pdf[m.item.pk][1]
        return None

    def _photo_parts(self) -> None:
        """Photo pages in dossier order, all in one file written JPEG by JPEG (memory stays flat;
        the merge reorders that file in place instead of copying its pages)."""
        order = list(dict.fromkeys(m.item.pk for m in self.plan.materials if m.item.kind == EvidenceItem.Kind.PHOTO))
        if not order:
            return
        self.photo_file = str(self.work / "photos.pdf")
        try:
            tops = compose.write_photo_part(self.photo_file, [self.photo_pdf[pk][0] for pk in order])
        except ValueError as exc:
            raise DossierError(f"照片打印版格式异常：{exc}") from exc
        for index, pk in enumerate(order):
            self.photo_pdf[pk] = (self.photo_file, index)
            self.caption_top[pk] = tops[index]

    # -- 3. layout ---------------------------------------------------------------------------
    def layout(self) -> None:
        """Place every body page (relative to the first page after the 总目录)."""
        self.progress(50, "计算页码")
        area = item = None
        for s, section in enumerate(self.plan.sections):
            if section.area is not None and (area is None or area.code != section.area.code):
                area = Entry(1, section.area.code, section.area.name, len(self.sheets))
                self.entries.append(area)
            if section.item is not None and (item is None or item.code != section.item.code):
                item = Entry(2, section.item.code, section.item.name, len(self.sheets), parent=area)
                self.entries.append(item)
            self.entries.append(Entry(4, section.standard.code, section.standard.name, len(self.sheets),
                                      parent=item or area))
            head = f"{section.standard.code} {section.standard.name}"[:48]
            for b, block in enumerate(section.blocks):
                self._place(self.form_pages[f"f-{s}-{b}"], head)
                for m in block.materials:
                    self._place_material(m, section.standard.code, head)
                for p in range(len(block.pairs)):
                    self._place(self.form_pages[f"p-{s}-{b}-{p}"], head)

    def _place(self, piece: compose.Slice, head: str, caption: dict | None = None, corner: bool = False) -> int:
        first = len(self.sheets)
        self.body.append(piece)
        self.sheets.extend(Sheet(head=head, caption=caption, corner=corner) for _ in range(piece.stop - piece.start))
        return first

    def _place_material(self, m: Material, code: str, head: str) -> None:
        entry = {"code": code, "name": _material_name(m), "unit": m.item.unit.display_name,
                 "sha256": m.item.sha256, "rel_page": None, "note": ""}
        if m.item.kind == EvidenceItem.Kind.PHOTO:
            part, index = self.photo_pdf[m.item.pk]
            caption = {**_caption(m.item), "top_mm": self.caption_top[m.item.pk]}
            entry["rel_page"] = self._place(compose.Slice(part, index, index + 1), head, caption)
        elif m.item.kind == EvidenceItem.Kind.DOCUMENT:
            path, pages = self.doc_pdf[m.item.pk]
            entry["rel_page"] = self._place(compose.Slice(path, 0, pages), head, corner=True)
        else:
            entry["note"] = "Office 文件，未装订"
        self.manifest.append(entry)

    # -- 4. 总目录, manifest, furniture -------------------------------------------------------
    def render_toc(self, pool: RendererPool) -> tuple[PartJob, int]:
        """The 总目录 sits before the body, so its own length shifts every number in it: render,
        and render again with the new length until it stops changing (twice at most in practice)."""
        self.progress(55, "生成总目录")
        guess = max(1, (len(self.entries) + 2) // 32 + 1)
        for _attempt in range(4):
            first = 2 + guess
            entries = [{"level": e.level, "code": e.code, "name": e.name, "page": first + e.rel_page}
                       for e in self.entries]
            entries.append({"level": 1, "code": "附录", "name": "文件清单", "page": first + len(self.sheets),
                            "fixed": True})
            job = self._job("toc", "reports/pdf/toc.html", {"entries": entries, "omitted": self.plan.omitted})
            pool.run([job])
            if job.result["pages"] == guess:
                return job, guess
            guess = job.result["pages"]
        raise DossierError("总目录页数无法确定，请缩小范围后重试。")

    def render_manifest(self, pool: RendererPool, toc_pages: int) -> tuple[PartJob, int]:
        self.progress(58, "生成文件清单")
        first = 2 + toc_pages
        entries = [{**e, "page": first + e["rel_page"] if e["rel_page"] is not None else None} for e in self.manifest]
        job = self._job("manifest", "reports/pdf/manifest.html", {"entries": entries, "note": " ".join(self.notes)})
        pool.run([job])
        return job, job.result["pages"]

    def render_furniture(self, pool: RendererPool, toc_pages: int, manifest_pages: int, total: int) -> list[str]:
        """Header, 第 N 页 共 M 页 and photo captions of every page, drawn by furniture.py with the
        fonts of one WeasyPrint sample page (one small layout instead of one per page)."""
        self.progress(60, "生成页眉页脚和照片说明")
        sheets = [Sheet()] + [Sheet(head="总目录") for _ in range(toc_pages)] + self.sheets
        sheets += [Sheet(head="附录　文件清单") for _ in range(manifest_pages)]
        for number, sheet in enumerate(sheets, 1):
            if number > 1:
                sheet.number = number
        plain = [{"title": self.meta.short_title, **vars(s)} for s in sheets]
        sample = self.work / "glyphs.html"
        sample.write_text(furniture.sample_html(furniture.characters(plain, total)), encoding="utf-8")
        job = PartJob(html=str(sample), pdf=str(self.work / "glyphs.pdf"))
        pool.run([job])
        self.progress(75, "写入页眉页脚")
        path = str(self.work / "furniture.pdf")
        furniture.write(path, plain, total=total, box=compose.PHOTO_BOX,
                        caption_height_mm=compose.CAPTION_HEIGHT_MM, sample_pdf=job.pdf)
        return [path]

    # -- 5. merge and check ------------------------------------------------------------------
    def merge(self, toc: PartJob, manifest: PartJob, furniture: list[str], total: int) -> int:
        self.progress(86, "合并装订")
        slices = [compose.Slice(self.cover_pdf, 0, 1), compose.Slice(toc.pdf, 0, toc.result["pages"]),
                  *self.body, compose.Slice(manifest.pdf, 0, manifest.result["pages"])]
        body = str(self.work / "body.pdf")
        if compose.merge_slices(body, slices, base=self.photo_file) != total:
            raise DossierError("合并后的页数与计算不符，请重新生成。")
        self.progress(92, "写入页眉页脚、书签和元数据，校验 PDF/A-2b")
        try:
            return compose.finish(body=body, overlays=furniture, out=str(self.out), bookmarks=self._bookmarks(toc),
                                  title=self.meta.title, author=self.meta.author,
                                  subject=f"编制单位：{self.meta.compiler}")
        except pdfa.NotArchivable as exc:
            raise DossierError(f"卷宗未通过 PDF/A-2b 校验，未生成：{exc}。请联系管理员。") from exc

    def _bookmarks(self, toc: PartJob) -> list[compose.Bookmark]:
        first = 1 + toc.result["pages"]  # zero-based index of the first body page
        roots = [compose.Bookmark("封面", 0), compose.Bookmark("总目录", 1)]
        marks: dict[int, compose.Bookmark] = {}
        for entry in self.entries:
            mark = compose.Bookmark(f"{entry.code} {entry.name}", first + entry.rel_page)
            marks[id(entry)] = mark
            parent = marks.get(id(entry.parent)) if entry.parent else None
            (parent.children if parent else roots).append(mark)
        roots.append(compose.Bookmark("附录 文件清单", first + len(self.sheets)))
        return roots


def _material_name(m: Material) -> str:
    item = m.item
    return item.subject or item.original_name


def _caption(item: EvidenceItem) -> dict:
    taken = timezone.localtime(item.taken_at) if item.taken_at else None
    return {"time": taken.strftime("%Y年%m月%d日 %H:%M") if taken else "", "place": item.place,
            "people": item.people, "subject": item.subject, "reason": item.reason}


def default_meta(plan: DossierPlan, *, compiler: str, author: str, title: str | None = None,
                 today: dt.date | None = None) -> Meta:
    """Title and cover facts from the scope (the cover shows the same title as the run)."""
    unit_label = plan.unit.name if plan.unit else f"{settings.CITY_NAME}（全市）"
    root_label = f"{plan.root.code} {plan.root.name}" if plan.root else "全部指标"
    scope = plan.scope
    if scope.date_from or scope.date_to:
        period = f"{scope.date_from or '不限'} 至 {scope.date_to or '不限'}"
    else:
        period = "不限"
    title = title or dossier_title(plan.unit, plan.root)
    heading, scope_line = dossier_title_parts(plan.unit, plan.root)
    cover = {"title": title, "heading": heading, "scope_line": scope_line, "city": settings.CITY_NAME, "framework": str(plan.framework),
             "indicator_scope": root_label, "unit_scope": unit_label, "period": period,
             "categories": "、".join(scope.categories) if scope.categories else "全部类别",
             "compiler": compiler, "date": today or timezone.localdate()}
    return Meta(title=title, short_title=f"{unit_label} · 测评卷宗", author=author, compiler=compiler, cover=cover)
