"""Celery entry points of the reports app: ids in, one service call. The builds keep their heartbeat
on their ReportRun row and its sweeper re-queues them (``own_heartbeat``: the outbox row only
delivers them once); every kind runs through the one pipeline, which picks the kind's builder."""

from celery import shared_task

from reports.services import pipeline, runs, snapshots
from reports.services.summaries import services as summary_services


@shared_task(name="reports.build_dossier", own_heartbeat=True)
def build_dossier(run_id: int):
    pipeline.report_run_execute(run_id=run_id)


@shared_task(name="reports.sweep_runs")
def sweep_runs():
    return runs.report_runs_sweep()


# --- Daily figures, periodic summaries and 督查通报 -------------------------------------------
@shared_task(name="reports.take_snapshots")
def take_snapshots():
    return snapshots.snapshot_take()


@shared_task(name="reports.schedule_weekly_summary")
def schedule_weekly_summary():
    return summary_services.summaries_schedule(kind="weekly").pk


@shared_task(name="reports.schedule_monthly_summary")
def schedule_monthly_summary():
    return summary_services.summaries_schedule(kind="monthly").pk


@shared_task(name="reports.build_summary", own_heartbeat=True)
def build_summary(run_id: int):
    pipeline.report_run_execute(run_id=run_id)


@shared_task(name="reports.build_bulletin", own_heartbeat=True)
def build_bulletin(run_id: int):
    pipeline.report_run_execute(run_id=run_id)
