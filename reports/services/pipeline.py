"""One build of a ReportRun, whatever its kind: claim it, run the kind's builder in the attempt's work
folder with the heartbeat beating, and turn every way it can end into the run's outcome.

A builder ``build(run, work)`` publishes its files and the run's success itself, through
``runs.report_run_publish``, so that a build with rows of its own to publish (a summary's or a
通报's number) does it in one transaction with the run. The builders are listed here by kind, in
one table, rather than registered by the modules that define them: what a worker can build does
not depend on which modules happen to have been imported.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reports.models import ReportRun
from reports.services import runs
from reports.services.bulletins.services import bulletin_announce_failure, bulletin_build
from reports.services.dossier.services import dossier_build
from reports.services.summaries.services import summary_announce_failure, summary_build

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Builder:
    build: Callable[[ReportRun, Path], None]
    narrow: str  # what the requester can narrow when the build runs past its time limit
    on_failure: Callable[[ReportRun], None] | None = None  # tells whoever must know, besides the run


BUILDERS = {
    ReportRun.Kind.DOSSIER: Builder(dossier_build, narrow="指标或单位范围"),
    ReportRun.Kind.SUMMARY: Builder(summary_build, narrow="范围或期间", on_failure=summary_announce_failure),
    ReportRun.Kind.BULLETIN: Builder(bulletin_build, narrow="范围或期间", on_failure=bulletin_announce_failure),
}


def report_run_execute(*, run_id: int) -> ReportRun | None:
    """Claim and build. Returns the run, or None when there was nothing to do."""
    run = runs.report_run_claim(run_id=run_id)
    if run is None:
        log.info("报表任务 %s 不处于排队状态，跳过（重复投递或已完成）", run_id)
        return None
    builder = BUILDERS[run.kind]
    work = runs.work_dir(run)
    try:
        work.mkdir(parents=True, exist_ok=True)
        with runs.report_run_heartbeat(run):
            builder.build(run, work)
    except runs.RunAbandoned:
        log.warning("报表任务 %s 第 %s 次尝试已被定时任务接管，放弃本次结果", run.pk, run.attempts)
    except runs.ReportError as exc:
        runs.report_run_fail(run=run, message=str(exc))
    except TimeoutError:
        runs.report_run_fail(run=run, message=f"生成超过时限（{run.time_limit // 60} 分钟）。请缩小{builder.narrow}后重新生成。")
    except Exception as exc:
        log.exception("报表任务 %s 生成失败", run.pk)
        runs.report_run_fail(run=run, message=f"生成失败：系统内部错误（{exc.__class__.__name__}），已记录日志。"
                                              "请稍后重试；如果再次失败，请联系管理员。")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run.refresh_from_db()
    if run.status == ReportRun.Status.FAILED and builder.on_failure is not None:
        builder.on_failure(run)
    return run
