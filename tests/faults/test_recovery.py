"""The two fixes the fault scenarios led to, checked without starting processes: enqueuing with
the broker down returns at once (it used to wait ~6 s in kombu's connection retries), and a
running report's heartbeat is kept by a thread, so a slow step is not taken for a dead worker."""

import socket
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from campaign.celery import app
from campaign.models import OutboxJob
from campaign.services.queue import dispatch_pending, enqueue
from reports.models import ReportRun
from reports.services import runs


@pytest.fixture
def broker_down(monkeypatch):
    """Point the Celery app at a port where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")
    return port


@pytest.mark.django_db
def test_enqueue_with_the_broker_down_returns_at_once_and_keeps_the_job(broker_down,
                                                                       django_capture_on_commit_callbacks):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("reports.sweep_runs")
    assert time.monotonic() - started < 1.5
    job.refresh_from_db()
    assert job.sent_at is None and job.attempts == 1
    assert str(broker_down) in job.last_error


@pytest.mark.django_db
def test_the_outbox_sweeper_gives_up_at_once_while_the_broker_is_down(broker_down):
    for _ in range(3):
        OutboxJob.objects.create(name="reports.sweep_runs")
    started = time.monotonic()
    assert dispatch_pending(older_than=timedelta(0)) == 0
    assert time.monotonic() - started < 1.5
    assert OutboxJob.objects.filter(sent_at__isnull=True).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_running_report_keeps_its_heartbeat_through_a_slow_step(settings, inspector):
    settings.JOBS_STALE_HEARTBEAT_SECONDS = 2  # the thread beats every 0.5 s
    ReportRun.objects.create(kind=ReportRun.Kind.DOSSIER, title="卷宗", requested_by=inspector,
                             parameters={"framework_id": 1})
    run = runs.report_run_claim(run_id=ReportRun.objects.get().pk)
    with runs.report_run_heartbeat(run):
        time.sleep(2.6)  # one step longer than the stale threshold
        assert runs.report_runs_sweep()["requeued"] == 0
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING
    assert (timezone.now() - run.heartbeat_at).total_seconds() < 1.5


@pytest.mark.django_db(transaction=True)
def test_a_running_summary_keeps_its_heartbeat_through_a_slow_step(settings, tmp_path, monkeypatch):
    from dataclasses import replace

    from reports.services import pipeline

    settings.JOBS_STALE_HEARTBEAT_SECONDS = 2  # the thread beats every 0.5 s
    settings.MEDIA_ROOT = tmp_path
    run = ReportRun.objects.create(kind=ReportRun.Kind.SUMMARY, title="周报", parameters={})
    seen = {}

    def slow_build(run, work):
        time.sleep(2.6)  # one step longer than the stale threshold
        seen["swept"] = runs.report_runs_sweep()
        seen["status"] = ReportRun.objects.get(pk=run.pk).status
        raise runs.ReportError("到此为止")

    summary = pipeline.BUILDERS[ReportRun.Kind.SUMMARY]
    monkeypatch.setitem(pipeline.BUILDERS, ReportRun.Kind.SUMMARY, replace(summary, build=slow_build))
    pipeline.report_run_execute(run_id=run.pk)
    assert seen == {"swept": {"requeued": 0, "failed": 0, "enqueued": 0}, "status": ReportRun.Status.RUNNING}
