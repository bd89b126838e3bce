"""Celery entry points of the inspections app: thin adapters over services."""

from celery import shared_task

from inspections import services


@shared_task(name="inspections.queue_rechecks")
def queue_rechecks():
    """Daily: put a share of the tasks closed since the last run on the 回头看 list."""
    return services.recheck_queue_closed_tasks()
