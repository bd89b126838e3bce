"""The dossier at two sizes (to show memory stays flat), with the naive render and img2pdf next
to the larger one. The work is ``bench.dossier_build.run``: phone-size 4000×3000 JPEGs
with EXIF orientation tags, 20 multi-page PDFs, print renditions made as the upload job makes
them (timed per photo), then the build, the naive WeasyPrint render and img2pdf, each in its own
process so that peak RSS is that of the work alone."""

from __future__ import annotations

from django.conf import settings

from bench import dossier_build as benchmark


def run(*, photo_counts: tuple[int, ...] = (100, 500), pdfs: int = 20, pdf_pages: int = 10, say=print) -> dict:
    processes = int(getattr(settings, "REPORTS_RENDER_PROCESSES", 1) or 1)
    results = {}
    largest = max(photo_counts)
    for photos in photo_counts:
        # A seed per run: fresh photos, so each run times its print renditions from scratch.
        figures = benchmark.run(photos=photos, pdfs=pdfs, pdf_pages=pdf_pages, processes=processes,
                                naive=photos == largest, seed=photos)
        results[str(photos)] = figures
        line = (f"  卷宗 {photos} 张照片 + {pdfs} 份 PDF：{figures['dossier_s']} 秒"
                f"（{figures['dossier_ms_per_photo']} 毫秒/张），峰值内存 {figures['dossier_peak_rss_sum_mb']} MB，"
                f"打印版 {figures['rendition_ms_per_photo']} 毫秒/张")
        if "naive_s" in figures:
            line += f"；朴素渲染 {figures['naive_s']} 秒，img2pdf {figures['img2pdf_s']} 秒"
        say(line)
    return {"processes": processes, "runs": results, "largest": str(largest), "smallest": str(min(photo_counts))}
