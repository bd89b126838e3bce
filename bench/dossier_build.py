"""Dossier speed and memory, next to a naive WeasyPrint render and img2pdf (issues 7 and 9).

``run(photos=500, pdfs=20)`` needs a configured Django with a real database (scripts/bench.sh
starts throwaway services). It generates phone-size 4000×3000 JPEGs carrying EXIF orientation
tags and multi-page PDFs, files them as approved evidence under a small framework, makes the
print renditions (as the upload job would), then measures, each in its own subprocess so that
peak RSS is that of the work alone:

- the dossier build (plan → parts → merge), with the build process's and the renderers' peaks;
- a naive single-document WeasyPrint render of the same photos from the original files;
- img2pdf on the same original photos (the lower bound: it only copies JPEG bytes).

Returns a dict of figures; nothing is printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from archives.models import EvidenceItem
from bench import samples
from campaign.models import OrgUnit

CHILD_BUILD = """
import json, os, sys, time
import django
django.setup()
from pathlib import Path
from reports.services.dossier.build import DossierBuilder, default_meta
from reports.services.dossier.plan import DossierScope, plan_dossier
started = time.monotonic()
from campaign.models import User
# The benchmark reads as a superuser (an unsaved one: it only answers the visibility checks).
plan = plan_dossier(DossierScope.from_parameters(json.loads(sys.argv[1])), reader=User(is_superuser=True))
meta = default_meta(plan, compiler="基准测试", author="基准测试")
result = DossierBuilder(plan, meta=meta, work_dir=Path(sys.argv[2]), out_path=Path(sys.argv[3]),
                        processes=int(sys.argv[4])).build()
from reports.services.dossier.renderer import _maxrss_kb
print(json.dumps({"pages": result.pages, "timings": result.timings, "renderer_peak_kb": result.peak_child_kb,
                  "self_peak_kb": _maxrss_kb(),
                  "seconds": time.monotonic() - started}))
"""

CHILD_NAIVE = """
import json, sys, time
from weasyprint import HTML
photos = json.loads(open(sys.argv[1]).read())
pages = "".join(
    f'<section style="break-after: page; text-align: center"><img src="file://{p}" style="max-width: 170mm; max-height: 190mm">'
    f'<table style="width: 100%; border-collapse: collapse" border="1"><tr><th>时间</th><td>2026年5月1日</td><th>地点</th>'
    f'<td>和平社区</td></tr><tr><th>主题</th><td colspan="3">照片 {n}</td></tr></table></section>'
    for n, p in enumerate(photos))
style = '@page { size: A4; margin: 20mm; @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页" } } body { font-family: "Noto Serif CJK SC" }'
HTML(string=f"<html><head><meta charset=utf-8><style>{style}</style></head><body>{pages}</body></html>").write_pdf(sys.argv[2])
"""


PEAK = "\nfrom reports.services.dossier.renderer import _maxrss_kb; print(_maxrss_kb())"


def _child(args: list[str], timeout: int) -> tuple[float, str]:
    """Run a Python child; wall seconds and its stdout (children report their own peak RSS)."""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return seconds, proc.stdout


def _last_int(stdout: str) -> int:
    return int(stdout.strip().splitlines()[-1])


def generate(*, photos: int, pdfs: int, pdf_pages: int, folder: Path, seed: int = 1) -> dict:
    """Files and evidence rows: photos spread over 5 standards, one PDF per standard in turn.
    Photos of different seeds differ, so a second run times its renditions afresh (they are
    content-addressed: a photo seen before would find its rendition already made)."""
    sample = samples.make_framework(standards=5, name=f"基准测试体系 {timezone.now():%Y%m%d%H%M%S}")
    unit = OrgUnit.objects.create(name=f"基准测试单位 {timezone.now():%H%M%S%f}", kind=OrgUnit.Kind.STREET)
    base = samples.photo_base((4000, 3000), seed=seed)
    originals, started = [], time.monotonic()
    for n in range(photos):
        path = folder / "photos" / f"IMG_{n:05d}.jpg"
        samples.write_photo(path, base, n)
        originals.append(path)
        samples.store_evidence(path, unit=unit, standards=[sample.standards[n % 5]], kind=EvidenceItem.Kind.PHOTO,
                               subject=f"文明交通志愿服务 {n}", category="活动", taken_at=timezone.now(),
                               place="和平社区文化广场", people="志愿者 12 人", reason="路口文明交通劝导")
    for n in range(pdfs):
        path = folder / "docs" / f"doc_{n:03d}.pdf"
        samples.write_pdf(path, title=f"文件 {n}", pages=pdf_pages)
        samples.store_evidence(path, unit=unit, standards=[sample.standards[n % 5]], kind=EvidenceItem.Kind.DOCUMENT,
                               subject=f"工作方案 {n}", category="计划", pages=pdf_pages)
    return {"framework": sample.framework, "unit": unit, "originals": originals,
            "generate_seconds": time.monotonic() - started}


def make_renditions(unit: OrgUnit) -> float:
    """Print renditions as the upload job makes them; returns milliseconds per photo."""
    from archives.services.renditions import evidence_make_rendition

    items = list(EvidenceItem.objects.filter(unit=unit, kind=EvidenceItem.Kind.PHOTO))
    started = time.monotonic()
    for item in items:
        evidence_make_rendition(item=item)
    return 1000 * (time.monotonic() - started) / max(1, len(items))


def run(*, photos: int = 500, pdfs: int = 20, pdf_pages: int = 10, processes: int = 2, naive: bool = True,
        keep: bool = False, seed: int = 1) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    data = generate(photos=photos, pdfs=pdfs, pdf_pages=pdf_pages, folder=folder, seed=seed)
    figures = {"photos": photos, "pdfs": pdfs, "pdf_pages": pdf_pages,
               "generate_s": round(data["generate_seconds"], 1), "rendition_ms_per_photo": round(make_renditions(data["unit"]), 1)}
    original_bytes = sum(p.stat().st_size for p in data["originals"])
    figures["original_bytes_per_photo"] = original_bytes // max(1, photos)
    figures |= _measure_dossier(data, folder, photos, processes)
    figures["dossier_bytes_per_photo_page_ratio"] = round(figures["dossier_bytes_per_photo_page"] / max(1, figures["original_bytes_per_photo"]), 3)
    figures |= _measure_img2pdf(data["originals"], folder)
    if naive:
        figures |= _measure_naive(data["originals"], folder, timeout=max(600, photos * 2))
        figures["speedup_vs_naive"] = round(figures["naive_s"] / figures["dossier_s"], 2)
    figures["slowdown_vs_img2pdf"] = round(figures["dossier_s"] / max(0.001, figures["img2pdf_s"]), 2)
    if not keep:
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    return figures


def _measure_dossier(data: dict, folder: Path, photos: int, processes: int) -> dict:
    params = {"framework_id": data["framework"].pk, "unit_id": data["unit"].pk}
    out = folder / "dossier.pdf"
    seconds, stdout = _child(["-c", CHILD_BUILD, json.dumps(params), str(folder / "work"), str(out), str(processes)],
                             timeout=3600)
    child = json.loads(stdout.strip().splitlines()[-1])
    size = out.stat().st_size
    doc_bytes = sum(p.stat().st_size for p in (folder / "docs").glob("*.pdf"))
    return {
        "dossier_s": round(seconds, 2), "dossier_build_s": round(child["seconds"], 2),
        "dossier_pages": child["pages"], "dossier_ms_per_photo": round(1000 * seconds / max(1, photos), 1),
        "dossier_peak_rss_mb": round(child["self_peak_kb"] / 1024), "renderer_peak_rss_mb": round(child["renderer_peak_kb"] / 1024),
        "render_processes": processes,
        # Upper bound of the whole build's memory: the build process plus every renderer at its peak.
        "dossier_peak_rss_sum_mb": round((child["self_peak_kb"] + processes * child["renderer_peak_kb"]) / 1024),
        "dossier_bytes": size,
        "dossier_bytes_per_photo_page": (size - doc_bytes) // max(1, photos),
        "dossier_timings": child["timings"],
    }


def _measure_img2pdf(originals: list[Path], folder: Path) -> dict:
    listing = folder / "photos.txt"
    listing.write_text("\n".join(map(str, originals)))
    code = ("import img2pdf, sys; files = open(sys.argv[1]).read().split(); "
            "open(sys.argv[2], 'wb').write(img2pdf.convert(files, layout_fun=img2pdf.get_layout_fun((img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)))))")
    seconds, stdout = _child(["-c", code + PEAK, str(listing), str(folder / "img2pdf.pdf")], timeout=600)
    return {"img2pdf_s": round(seconds, 2), "img2pdf_peak_rss_mb": round(_last_int(stdout) / 1024),
            "img2pdf_bytes": (folder / "img2pdf.pdf").stat().st_size}


def _measure_naive(originals: list[Path], folder: Path, timeout: int) -> dict:
    listing = folder / "photos.json"
    listing.write_text(json.dumps([str(p) for p in originals]))
    seconds, stdout = _child(["-c", CHILD_NAIVE + PEAK, str(listing), str(folder / "naive.pdf")], timeout=timeout)
    return {"naive_s": round(seconds, 2), "naive_peak_rss_mb": round(_last_int(stdout) / 1024),
            "naive_bytes": (folder / "naive.pdf").stat().st_size}
