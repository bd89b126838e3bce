"""The periodic jobs: registered in the beat schedule under names the Celery app knows; running one
twice for the same period makes one report."""

from datetime import date

import pytest
from django.conf import settings

from reports.models import ReportRun, Summary
from reports.services import pipeline
from reports.services.summaries import services

from . import figures_kit as kit

OURS = {"reports.take_snapshots", "reports.schedule_weekly_summary", "reports.schedule_monthly_summary"}


def test_the_periodic_jobs_are_in_the_beat_schedule_and_known_to_celery():
    from campaign.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled >= OURS
    app.loader.import_default_modules()
    assert OURS | {"reports.build_summary", "reports.build_bulletin"} <= set(app.tasks)


def test_the_schedule_runs_weekly_on_monday_and_monthly_on_the_first():
    by_task = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert by_task["reports.schedule_weekly_summary"].day_of_week == {1}
    assert by_task["reports.schedule_monthly_summary"].day_of_month == {1}


def test_the_sweeper_knows_how_to_requeue_our_runs():
    from reports.services import runs

    assert runs.JOBS[ReportRun.Kind.SUMMARY] == "reports.build_summary"
    assert runs.JOBS[ReportRun.Kind.BULLETIN] == "reports.build_bulletin"


def test_last_complete_periods():
    assert services.previous_period("weekly", date(2026, 11, 23)).start == date(2026, 11, 16)
    assert services.previous_period("weekly", date(2026, 11, 23)).end == date(2026, 11, 22)
    month = services.previous_period("monthly", date(2026, 3, 1))
    assert (month.start, month.end) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.django_db
def test_running_the_monthly_job_twice_for_the_same_period_makes_one_report(city, leader, office_clerk, settings,
                                                                            tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kit.build(city, leader)
    from reports.jobs import schedule_monthly_summary

    first = schedule_monthly_summary()
    second = schedule_monthly_summary()
    assert first == second and Summary.objects.count() == 1
    summary = Summary.objects.get()
    assert summary.is_periodic and summary.kind == Summary.Kind.MONTHLY
    assert ReportRun.objects.filter(kind="summary").count() == 1
    run = pipeline.report_run_execute(run_id=summary.run_id)
    assert run.status == ReportRun.Status.SUCCEEDED
    assert pipeline.report_run_execute(run_id=summary.run_id) is None  # a redelivered message does nothing
    schedule_monthly_summary()
    assert Summary.objects.count() == 1 and ReportRun.objects.filter(kind="summary").count() == 1
    summary.refresh_from_db()
    assert summary.issue_no == 1 and summary.pdf_file


@pytest.mark.django_db
def test_a_failed_periodic_build_is_queued_again_by_the_next_run(city, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    summary = services.summaries_schedule(kind="weekly")
    ReportRun.objects.filter(pk=summary.run_id).update(status=ReportRun.Status.FAILED, error="处理进程中断")
    again = services.summaries_schedule(kind="weekly")
    assert again.pk == summary.pk
    again.refresh_from_db()
    assert again.run_id != summary.run_id and again.run.status == ReportRun.Status.PENDING
    assert Summary.objects.count() == 1
