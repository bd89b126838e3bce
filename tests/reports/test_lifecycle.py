"""ReportRun lifecycle: claim, sweeper for stuck and pending runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaign.models import OutboxJob
from reports.models import ReportRun
from reports.services import runs

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(inspector):
    return ReportRun.objects.create(kind=ReportRun.Kind.DOSSIER, title="测试卷宗", requested_by=inspector,
                                    parameters={"framework_id": 1})


def _running(run, *, attempts, minutes_silent):
    then = timezone.now() - timedelta(minutes=minutes_silent)
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING, attempts=attempts,
                                               started_at=then, heartbeat_at=then)


def test_request_records_a_pending_run_and_queues_it_through_the_outbox(inspector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        run = runs.report_run_request(kind=ReportRun.Kind.DOSSIER, parameters={"framework_id": 1},
                                      user=inspector, title="卷宗")
    assert run.status == ReportRun.Status.PENDING and run.queued_at is not None
    assert OutboxJob.objects.filter(name="reports.build_dossier", args=[run.pk]).exists()


def test_only_one_claim_wins(run):
    assert runs.report_run_claim(run_id=run.pk).attempts == 1
    assert runs.report_run_claim(run_id=run.pk) is None


def test_sweeper_requeues_a_run_whose_worker_died_once(run):
    _running(run, attempts=1, minutes_silent=10)
    assert runs.report_runs_sweep()["requeued"] == 1
    run.refresh_from_db()
    assert run.status == ReportRun.Status.PENDING and "重新排队" in run.stage
    assert OutboxJob.objects.filter(name="reports.build_dossier", args=[run.pk]).exists()


def test_sweeper_fails_a_run_stuck_in_running_after_its_retry(run):
    _running(run, attempts=2, minutes_silent=10)
    assert runs.report_runs_sweep()["failed"] == 1
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert "处理进程已停止响应" in run.error and run.finished_at is not None
    assert run.requested_by.notifications.filter(title__contains="生成失败").exists()


def test_sweeper_fails_a_run_past_its_time_limit_even_with_a_heartbeat(run):
    ReportRun.objects.filter(pk=run.pk).update(
        status=ReportRun.Status.RUNNING, attempts=1, time_limit=600,
        started_at=timezone.now() - timedelta(minutes=11), heartbeat_at=timezone.now())
    assert runs.report_runs_sweep()["failed"] == 1
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "超过时限" in run.error


def test_sweeper_leaves_a_healthy_run_alone(run):
    _running(run, attempts=1, minutes_silent=0.05)  # beat 3 s ago, well inside the stale threshold
    assert runs.report_runs_sweep() == {"requeued": 0, "failed": 0, "enqueued": 0}
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING


def test_sweeper_queues_pending_runs_that_never_reached_the_broker(run):
    ReportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=2), queued_at=None)
    assert runs.report_runs_sweep()["enqueued"] == 1
    run.refresh_from_db()
    assert run.queued_at is not None
    assert OutboxJob.objects.filter(name="reports.build_dossier", args=[run.pk]).exists()


def test_a_stale_attempt_cannot_overwrite_the_current_one(run):
    stale = runs.report_run_claim(run_id=run.pk)
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.PENDING)
    current = runs.report_run_claim(run_id=run.pk)
    assert current.attempts == 2
    with pytest.raises(runs.RunAbandoned):
        runs.report_run_progress(run=stale, progress=50, stage="旧的尝试")
    assert not runs.report_run_fail(run=stale, message="旧的尝试失败")
    current.refresh_from_db()
    assert current.status == ReportRun.Status.RUNNING and current.error == ""


def test_sweeper_requeues_a_pending_run_whose_job_a_worker_took_without_starting_it(run, settings):
    settings.REPORTS_REQUEUE_AFTER_SECONDS = 60
    runs.report_run_enqueue(run_id=run.pk)
    ReportRun.objects.filter(pk=run.pk).update(queued_at=timezone.now() - timedelta(seconds=90))
    assert runs.report_runs_sweep()["enqueued"] == 0  # not yet taken: the outbox resends it if lost
    OutboxJob.objects.filter(name="reports.build_dossier", args=[run.pk]).update(started_at=timezone.now())
    assert runs.report_runs_sweep()["enqueued"] == 1
    assert OutboxJob.objects.filter(name="reports.build_dossier", args=[run.pk], started_at__isnull=True).count() == 1
