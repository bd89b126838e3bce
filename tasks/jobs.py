"""Celery entry points of the tasks app: thin adapters over services."""

from datetime import date

from celery import shared_task

from tasks.services import chase, deadlines, digest


@shared_task(name="tasks.run_chase_ladder")
def run_chase_ladder():
    """Daily (beat, 08:30 Beijing time): issue today's 临期提醒, 催办通知 and 通报 entries."""
    return chase.chase_run()


@shared_task(name="tasks.recalculate_deadlines")
def recalculate_deadlines(start: str, end: str):
    """Queued by the working-day calendar (campaign.services) when the office changes the dates
    ``start``..``end`` (ISO dates): recount open tasks' deadlines. Safe to run again."""
    return deadlines.task_deadlines_recalculate(start=date.fromisoformat(start), end=date.fromisoformat(end))


@shared_task(name="tasks.send_daily_digest")
def send_daily_digest():
    """Daily (beat, 07:45 Beijing time): each person's 每日动态 of yesterday's task steps, once."""
    return digest.send_daily_digest()
