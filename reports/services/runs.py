"""Writes of the reports app: the life of a ReportRun.

pending ──claim (conditional UPDATE, attempts+1)──▶ running ──▶ succeeded | failed
   ▲                                                   │
   └──────── sweeper: heartbeat lost, first attempt ───┘

A rerun or a redelivered message finds the row no longer pending and does nothing. Every
status change after the claim is a conditional UPDATE on (pk, running, attempts), so a stale
attempt that wakes up late cannot overwrite the outcome of the current one. Output goes to a
per-attempt work folder; the finished files are renamed into their one deterministic place only
under a lock on the run's row that this attempt still owns (``report_run_publish``), so a stale
attempt cannot replace them either. One build of any kind runs through reports/services/pipeline.py.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from campaign.models import OrgUnit, OutboxJob, User
from campaign.services import event_record, notify, queue
from campaign.services.heartbeat import heartbeat, stale_after
from reports.models import ReportRun

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
PENDING_GRACE = timedelta(minutes=1)
JOBS = {
    ReportRun.Kind.DOSSIER: "reports.build_dossier",
    ReportRun.Kind.SUMMARY: "reports.build_summary",
    ReportRun.Kind.BULLETIN: "reports.build_bulletin",
}


class RunAbandoned(Exception):
    """This attempt no longer owns the run (the sweeper re-queued or failed it)."""


class ReportError(Exception):
    """A build that cannot succeed with these parameters; the message is for the user."""


def stale_heartbeat() -> timedelta:
    """A running run whose heartbeat is older than this has lost its worker (JOBS_STALE_HEARTBEAT_SECONDS)."""
    return stale_after()


def requeue_after() -> timedelta:
    """A pending run queued this long ago and not started has lost its message (REPORTS_REQUEUE_AFTER_SECONDS)."""
    return timedelta(seconds=getattr(settings, "REPORTS_REQUEUE_AFTER_SECONDS", 60))


# -- request and queue ---------------------------------------------------------------------
@transaction.atomic
def report_run_request(*, kind: str, parameters: dict, user: User, title: str,
                       unit: OrgUnit | None = None, time_limit: int | None = None) -> ReportRun:
    """Record a pending run and queue its job once the transaction commits."""
    run = ReportRun.objects.create(
        kind=kind, parameters=parameters, requested_by=user, unit=unit, title=title[:200],
        time_limit=time_limit or getattr(settings, "REPORTS_TIME_LIMIT", 1800),
    )
    event_record(actor=user, verb="report.request", target=run, unit=unit,
                 summary=f"申请生成{run.get_kind_display()}：{run.title}")
    report_run_enqueue(run_id=run.pk)
    run.refresh_from_db(fields=["queued_at"])
    return run


@transaction.atomic
def report_run_enqueue(*, run_id: int) -> bool:
    """Queue the job through the outbox (sent after commit; if Redis is down, the outbox
    dispatcher sends it when the broker is back)."""
    if not ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.PENDING).update(queued_at=timezone.now()):
        return False
    queue.enqueue(JOBS[ReportRun.objects.values_list("kind", flat=True).get(pk=run_id)], run_id)
    return True


# -- claim, progress, outcome --------------------------------------------------------------
def report_run_claim(*, run_id: int) -> ReportRun | None:
    """pending → running in one conditional UPDATE; None if someone else has it or it is done."""
    now = timezone.now()
    claimed = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.PENDING).update(
        status=ReportRun.Status.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
        progress=0, stage="开始生成", error="",
    )
    return ReportRun.objects.select_related("requested_by", "unit").get(pk=run_id) if claimed else None


def _mine(run: ReportRun):
    return ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.RUNNING, attempts=run.attempts)


def report_run_progress(*, run: ReportRun, progress: int, stage: str) -> None:
    """Cheap UPDATE of progress, stage and heartbeat; raises if this attempt lost the run or
    ran past its time limit."""
    now = timezone.now()
    if run.started_at and now - run.started_at > timedelta(seconds=run.time_limit):
        raise TimeoutError(run.time_limit)
    if not _mine(run).update(progress=min(100, max(0, progress)), stage=stage[:100], heartbeat_at=now):
        raise RunAbandoned(run.pk)


def report_run_succeed(*, run: ReportRun, name: str, sha256: str, size: int, pages: int, notes: str) -> bool:
    done = _mine(run).update(
        status=ReportRun.Status.SUCCEEDED, file=name, sha256=sha256, size=size, pages=pages, notes=notes,
        progress=100, stage="已完成", finished_at=timezone.now(), heartbeat_at=timezone.now(),
    )
    if done:
        event_record(actor=None, verb="report.succeed", target=run, unit=run.unit,
                     summary=f"{run.get_kind_display()}已生成：{pages} 页")
        notify(recipients=[run.requested_by], title=f"{run.get_kind_display()}已生成：{run.title}",
               url=reverse("reports:run_detail", args=[run.pk]))
    return bool(done)


def report_run_fail(*, run: ReportRun, message: str) -> bool:
    done = _mine(run).update(status=ReportRun.Status.FAILED, error=message[:2000], stage="失败",
                             finished_at=timezone.now())
    if done:
        _announce_failure(run, message)
    return bool(done)


def _announce_failure(run: ReportRun, message: str) -> None:
    event_record(actor=None, verb="report.fail", target=run, unit=run.unit, summary=f"生成失败：{message}"[:500])
    notify(recipients=[run.requested_by], title=f"{run.get_kind_display()}生成失败：{run.title}", body=message,
           url=reverse("reports:run_detail", args=[run.pk]))


# -- the build's working folder and its publication -----------------------------------------
@contextmanager
def report_run_heartbeat(run: ReportRun):
    """Touch the run's heartbeat from a thread while the build runs (campaign/services/heartbeat.py), so
    that a lost heartbeat means the process died, never that one step (a big part, the PDF/A
    check) outlasted the threshold. A live but hung build is caught by its time limit. Once the
    sweeper has taken the run over, the beating stops and the build finds out at its next step."""
    with heartbeat(lambda: bool(_mine(run).update(heartbeat_at=timezone.now())), name=f"report-run-{run.pk}"):
        yield


def work_dir(run: ReportRun) -> Path:
    """Per attempt, so a stale attempt and the current one never share files."""
    return Path(settings.MEDIA_ROOT) / "reports" / "tmp" / f"run-{run.pk}-a{run.attempts}"


def final_path(name: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def detach_requester(run: ReportRun) -> None:
    """The run pages (reports/views/runs.py) show dossiers only, so a summary's or a 通报's run must
    not notify anyone (its messages would link there): the requester is kept on the Summary or
    Bulletin, whose own page and notifications take over."""
    ReportRun.objects.filter(pk=run.pk).update(requested_by=None)
    run.requested_by = None


@transaction.atomic
def report_run_publish(*, run: ReportRun, files: dict[str, Path], pages: int, notes: str) -> None:
    """Move the finished files (``{name under MEDIA_ROOT: file in the work folder}``; the first is
    the run's file) into place and mark the run succeeded, only while this attempt still owns it.
    The run's row stays locked from that check to the commit, so the sweeper cannot take the run
    over in between and a stale attempt never replaces the files of the attempt that finished.
    Called inside the build's own transaction when the build has other rows to publish with it."""
    if not _mine(run).select_for_update().values("pk"):
        raise RunAbandoned(run.pk)
    for name, partial in files.items():
        os.replace(partial, final_path(name))  # same filesystem: atomic; a rebuilt run replaces, never duplicates
    shutil.rmtree(work_dir(run), ignore_errors=True)  # before the status flips: a finished run has no work files
    name = next(iter(files))
    sha, size = _digest(Path(settings.MEDIA_ROOT) / name)
    if not report_run_succeed(run=run, name=name, sha256=sha, size=size, pages=pages, notes=notes):
        raise RunAbandoned(run.pk)


def _digest(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest(), path.stat().st_size


# -- sweeper -------------------------------------------------------------------------------
def report_runs_sweep(*, now=None) -> dict:
    """Runs stuck in running: past their time limit → failed; heartbeat lost (worker killed) →
    back to pending once, failed after MAX_ATTEMPTS. Pending runs never queued → queued; queued
    more than ``requeue_after()`` ago whose job a worker took without starting the run → queued
    again; the claim makes a duplicate message harmless. A broker outage and a message lost in
    Redis are the outbox's to resend (campaign/services/queue.py)."""
    now = now or timezone.now()
    stale = now - stale_heartbeat()
    counts = {"requeued": 0, "failed": 0, "enqueued": 0}
    stuck = ReportRun.objects.filter(status=ReportRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True))
    for run in stuck:
        outcome = _sweep_running(run)
        if outcome:
            counts[outcome] += 1
    for run in ReportRun.objects.filter(status=ReportRun.Status.RUNNING, heartbeat_at__gte=stale):
        if run.started_at and now - run.started_at > timedelta(seconds=run.time_limit) and _sweep_fail(
                run, f"生成超过时限（{run.time_limit // 60} 分钟）。请缩小指标或单位范围后重新生成。"):
            counts["failed"] += 1
    pending = ReportRun.objects.filter(status=ReportRun.Status.PENDING)
    never_queued = pending.filter(created_at__lt=now - PENDING_GRACE, queued_at__isnull=True)
    run_ids = list(never_queued.values_list("pk", flat=True))
    run_ids += [run.pk for run in pending.filter(queued_at__lt=now - requeue_after()) if _message_used_up(run)]
    for run_id in run_ids:
        counts["enqueued"] += report_run_enqueue(run_id=run_id)
    return counts


def _message_used_up(run: ReportRun) -> bool:
    """The run's latest job was taken by a worker (or is gone) and the run is still pending: the
    worker died or failed between its two claims. A job not yet taken is the outbox's to resend."""
    job = OutboxJob.objects.filter(name=JOBS[run.kind], args=[run.pk]).order_by("-pk").first()
    return job is None or job.started_at is not None or job.finished_at is not None


def _sweep_running(run: ReportRun) -> str | None:
    """The outcome for a run whose heartbeat stopped, or None if it changed meanwhile."""
    if run.attempts < MAX_ATTEMPTS:
        if not _mine(run).update(status=ReportRun.Status.PENDING, stage="处理进程中断，已重新排队", queued_at=None):
            return None
        shutil.rmtree(work_dir(run), ignore_errors=True)
        report_run_enqueue(run_id=run.pk)
        return "requeued"
    message = f"生成中断：处理进程已停止响应（已尝试 {run.attempts} 次）。请重新申请生成；如果再次失败，请联系管理员。"
    return "failed" if _sweep_fail(run, message) else None


def _sweep_fail(run: ReportRun, message: str) -> bool:
    if not report_run_fail(run=run, message=message):
        return False
    shutil.rmtree(work_dir(run), ignore_errors=True)
    return True
