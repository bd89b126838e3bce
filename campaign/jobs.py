"""Celery entry points of the base app: thin adapters over services."""

from celery import shared_task

from campaign import services


@shared_task(name="campaign.email_pending_notifications")
def email_pending_notifications():
    return services.email_pending_notifications()


@shared_task(name="campaign.send_daily_digest")
def send_daily_digest():
    return services.send_daily_digest()


@shared_task(name="campaign.dispatch_outbox")
def dispatch_outbox():
    from campaign.services.queue import sweep

    return sweep()
