"""Summaries and 督查通报 are ReportRun jobs like the dossiers: claimed with a conditional UPDATE,
progress on the row and the same heartbeat thread (``services.report_run_heartbeat``), swept when a
worker dies (reports/services.py). This module
adds the two kinds to that machinery and runs one build with the same outcome rules."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from reports import services as runs
from reports.models import ReportRun

log = logging.getLogger(__name__)

SUMMARY = ReportRun.Kind.SUMMARY
BULLETIN = ReportRun.Kind.BULLETIN


class ReportError(Exception):
    """A build that cannot succeed with these parameters; the message is for the user."""


def digest(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest(), path.stat().st_size


def detach_requester(run: ReportRun) -> None:
    """The run pages of reports/views.py show dossiers only, so the run itself must not notify
    anyone (its messages would link there): the requester is kept on the Summary or Bulletin,
    whose own page and notifications take over."""
    ReportRun.objects.filter(pk=run.pk).update(requested_by=None)
    run.requested_by = None


def execute(run_id: int, build: Callable[[ReportRun, Path], None],
            on_failure: Callable[[ReportRun], None] | None = None) -> ReportRun | None:
    """Claim the run and call ``build(run, work_dir)``, which publishes through
    ``services.report_run_succeed`` in its own transaction. Errors fail the run with a message,
    then ``on_failure(run)`` tells whoever must know."""
    run = runs.report_run_claim(run_id=run_id)
    if run is None:
        log.info("报表任务 %s 不处于排队状态，跳过（重复投递或已完成）", run_id)
        return None
    work = runs.work_dir(run)
    try:
        work.mkdir(parents=True, exist_ok=True)
        with runs.report_run_heartbeat(run):
            build(run, work)
    except runs.RunAbandoned:
        log.warning("报表任务 %s 第 %s 次尝试已被定时任务接管，放弃本次结果", run.pk, run.attempts)
    except ReportError as exc:
        runs.report_run_fail(run=run, message=str(exc))
    except TimeoutError:
        runs.report_run_fail(run=run, message=f"生成超过时限（{run.time_limit // 60} 分钟）。请缩小范围或期间后重新生成。")
    except Exception as exc:
        log.exception("报表任务 %s 生成失败", run.pk)
        runs.report_run_fail(run=run, message=f"生成失败：系统内部错误（{exc.__class__.__name__}），已记录日志。"
                                              "请稍后重试；如果再次失败，请联系管理员。")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run.refresh_from_db()
    if run.status == ReportRun.Status.FAILED and on_failure is not None:
        on_failure(run)
    return run


def final_path(name: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
