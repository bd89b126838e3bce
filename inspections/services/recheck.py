"""回头看: which closed tasks are queued for a re-check, and what a re-check decides."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaign.services import event_record
from inspections.models import RecheckItem, VisitResult
from inspections.services.recurrence import flag_recurrence
from tasks.models import RectificationTask, State
from tasks.services import TransitionError, task_rebound


def recheck_share() -> int:
    """Percent of closed tasks re-checked (sites flagged 顽疾点位 are always re-checked)."""
    return max(0, min(100, int(getattr(settings, "INSPECTIONS_RECHECK_SHARE", 30))))


def recheck_picked(task_id: int, share: int) -> bool:
    """A fixed pseudo-random draw per task: the same task is always in or out for a given share,
    so the decision can be explained and repeated."""
    bucket = int(hashlib.sha256(f"recheck:{task_id}".encode()).hexdigest()[:8], 16) % 100
    return bucket < share


@transaction.atomic
def recheck_queue_closed_tasks(*, now: datetime | None = None) -> int:
    """Decide once for every closed task with a site whether it goes on the 回头看 list.

    The tasks app knows nothing of inspections, so closing a task triggers nothing directly:
    this runs daily (``inspections.queue_rechecks``) and again whenever a 回头看 round is created,
    and looks only at closed tasks that have no decision yet (one set-based query; the unique
    task column makes a concurrent second run harmless). Returns how many were queued."""
    now = now or timezone.now()
    share = recheck_share()
    candidates = (
        RectificationTask.objects.filter(state=State.CLOSED, site__isnull=False, recheck__isnull=True)
        .values_list("pk", "site_id", "indicator_id", "site__is_chronic")
    )
    rows, queued = [], 0
    for task_id, site_id, indicator_id, chronic in candidates.iterator(chunk_size=2000):
        if chronic:
            status, reason = RecheckItem.Status.QUEUED, RecheckItem.Reason.CHRONIC
        elif recheck_picked(task_id, share):
            status, reason = RecheckItem.Status.QUEUED, RecheckItem.Reason.SAMPLED
        else:
            status, reason = RecheckItem.Status.SKIPPED, ""
        queued += status == RecheckItem.Status.QUEUED
        rows.append(RecheckItem(task_id=task_id, site_id=site_id, indicator_id=indicator_id, status=status,
                                reason=reason, decided_at=now))
    RecheckItem.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return queued


def recheck_settle(*, actor, line: VisitResult, finding, now: datetime) -> None:
    """Apply a submitted 回头看 line: 符合 confirms the fix; 不符合 is a 反弹 (the task becomes 反弹
    and a new linked task with raised priority goes to the same units, counting against them);
    不适用 (could not be checked) puts the task back on the list for the next 回头看."""
    recheck = RecheckItem.objects.select_for_update(of=("self",)).select_related("task", "site").get(pk=line.recheck_id)
    if line.result == "met":
        recheck.status = RecheckItem.Status.CONFIRMED
        recheck.checked_at = now
        recheck.save(update_fields=["status", "checked_at"])
        return
    if line.result != "failed":
        recheck.status, recheck.round = RecheckItem.Status.QUEUED, None
        recheck.save(update_fields=["status", "round"])
        return
    note = line.note or "回头看发现问题反弹"
    try:
        new = task_rebound(task=recheck.task, actor=actor, note=note, photos=list(finding.photos.all()),
                           today=timezone.localdate(now))
    except TransitionError as exc:
        raise ValidationError(f"{recheck.task.number}：{exc}") from None
    recheck.status, recheck.checked_at, recheck.rebound_task = RecheckItem.Status.REBOUND, now, new
    recheck.save(update_fields=["status", "checked_at", "rebound_task"])
    finding.task, finding.raised_by, finding.raised_at = new, actor, now
    finding.save(update_fields=["task", "raised_by", "raised_at"])
    flag_recurrence(actor=actor, task=new, found_at=now)
    event_record(actor=actor, verb="finding.rebound", target=finding,
                 summary=f"回头看反弹：{recheck.task.number} → 新任务 {new.number}（紧急程度提高）")
