from django.conf import settings
from django.shortcuts import render

from campaign.access import require
from campaign.services import health as health_checks


def health(request):
    """系统状态: free space, database, broker and outbox, for the people who keep the system."""
    require(request.user, "health.view")
    context = {"volumes": health_checks.volumes(), "database_ok": health_checks.database_ok(),
               "broker_ok": health_checks.broker_ok(), "outbox_backlog": health_checks.outbox_backlog(),
               "low_free": settings.STORAGE_LOW_FREE_BYTES}
    return render(request, "campaign/health.html", context)
