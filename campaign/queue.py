"""Enqueue background jobs through a transactional outbox.

``enqueue("reports.build_dossier", run.pk)`` inside a service writes an OutboxJob row in the
caller's transaction and, after commit, hands it to the broker. If Redis is down the request
still succeeds: the row stays unsent and the ``campaign.dispatch_outbox`` beat job sends it once
the broker is back. Jobs must be idempotent (they are: conditional claims), because a message may
be sent again if the process dies between sending and marking it sent.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import OutboxJob

log = logging.getLogger(__name__)


def enqueue(name: str, *args, **kwargs) -> OutboxJob:
    job = OutboxJob.objects.create(name=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(pk: int) -> bool:
    """Claim the row (so no other dispatcher sends it), send it, and release the claim on failure."""
    from campaign.celery import app

    claimed = OutboxJob.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    job = OutboxJob.objects.get(pk=pk)
    try:
        app.send_task(job.name, args=job.args, kwargs=job.kwargs, retry=False)
    except Exception as exc:  # broker down or unreachable: leave it for the sweeper
        log.warning("job %s not sent, kept in outbox: %s", job.name, exc)
        OutboxJob.objects.filter(pk=pk).update(sent_at=None, attempts=job.attempts + 1, last_error=str(exc)[:500])
        return False
    return True


def dispatch_pending(*, older_than: timedelta = timedelta(seconds=20), limit: int = 500) -> int:
    """Send jobs left unsent (broker was down, or the process died before dispatching)."""
    cutoff = timezone.now() - older_than
    pending = OutboxJob.objects.filter(sent_at__isnull=True, created_at__lte=cutoff).values_list("pk", flat=True)
    return sum(dispatch(pk) for pk in list(pending[:limit]))


def purge_sent(*, older_than: timedelta = timedelta(days=7)) -> int:
    cutoff = timezone.now() - older_than
    return OutboxJob.objects.filter(sent_at__lt=cutoff).delete()[0]
