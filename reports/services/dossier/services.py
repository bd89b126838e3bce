"""The dossier's ReportRun job body: plan from the run's parameters, bind in the work folder, publish
through ``runs.report_run_publish`` (reports/services/pipeline.py runs it)."""

from __future__ import annotations

from pathlib import Path

from reports.models import ReportRun
from reports.services import runs
from reports.services.dossier.build import DossierBuilder, DossierError, default_meta
from reports.services.dossier.plan import DossierScope, plan_dossier


def dossier_build(run: ReportRun, work: Path) -> None:
    runs.report_run_progress(run=run, progress=1, stage="读取材料清单")
    if run.requested_by is None:
        raise DossierError("申请人的账号已不存在，无法确定卷宗可以收录哪些材料。请重新申请生成。")
    plan = plan_dossier(DossierScope.from_parameters(run.parameters), reader=run.requested_by)
    author = run.requested_by.get_full_name() if run.requested_by else "创文通"
    meta = default_meta(plan, compiler=run.parameters.get("compiler") or author, author=author, title=run.title)
    partial = work / "dossier.pdf"
    builder = DossierBuilder(plan, meta=meta, work_dir=work, out_path=partial,
                             progress=lambda p, s: runs.report_run_progress(run=run, progress=p, stage=s))
    result = builder.build()
    runs.report_run_progress(run=run, progress=99, stage="保存文件")
    runs.report_run_publish(run=run, files={f"reports/{run.pk}/dossier-{run.pk}.pdf": partial},
                            pages=result.pages, notes="\n".join(result.notes))
