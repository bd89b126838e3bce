"""反复出现: the same site × standard failing again soon after a task for it was closed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from campaign.models import Site
from campaign.services import event_record, site_save
from tasks.models import RectificationTask


def recurrence_days() -> int:
    return int(getattr(settings, "INSPECTIONS_RECURRENCE_DAYS", 90))


def flag_recurrence(*, actor, task: RectificationTask, found_at: datetime) -> bool:
    """Flag ``task`` 反复出现 (and its site, from today) when another task for the same site and
    standard was closed within the last N days (``INSPECTIONS_RECURRENCE_DAYS``, default 90).
    Returns whether it recurred. A site already flagged keeps its first date."""
    if task.site_id is None:
        return False
    since = found_at - timedelta(days=recurrence_days())
    earlier = (RectificationTask.objects.filter(site_id=task.site_id, indicator_id=task.indicator_id,
                                                closed_at__gte=since, closed_at__lte=found_at)
               .exclude(pk=task.pk))
    if not earlier.exists():
        return False
    if not task.is_recurring:
        RectificationTask.objects.filter(pk=task.pk).update(is_recurring=True)
        task.is_recurring = True
        event_record(actor=actor, verb="task.recurring", target=task, unit=task.lead_unit,
                     summary=f"反复出现：同一点位、同一标准的问题在 {recurrence_days()} 天内已销号后再次发现")
    site = Site.objects.get(pk=task.site_id)
    if site.recurring_since is None:
        site_save(actor=actor, site=site, data={"recurring_since": timezone.localdate(found_at)})
    return True
