"""Enqueue background jobs through a transactional outbox.

``enqueue("reports.build_dossier", run.pk)`` inside a service writes an OutboxJob row in the
caller's transaction and, after commit, hands it to the broker. If Redis is down the request
still succeeds: the row stays unsent and the ``campaign.dispatch_outbox`` beat job sends it once
the broker is back. Jobs must be idempotent (they are: conditional claims), because a message may
be sent again if the process dies between sending and marking it sent.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxJob

log = logging.getLogger(__name__)


def enqueue(name: str, *args, **kwargs) -> OutboxJob:
    job = OutboxJob.objects.create(name=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def _connect():
    """A broker connection, or an exception at once. Without ``max_retries=0`` kombu keeps
    retrying for its whole connect timeout (2 s, then 4 s: ~6 s per job, measured by
    scripts/faults.sh), which a web request that enqueues must not wait for while Redis is down."""
    from campaign.celery import app

    conn = app.connection_for_write()
    try:
        conn.ensure_connection(max_retries=0)
    except Exception:
        conn.release()
        raise
    return conn


def dispatch(pk: int, *, connection=None) -> bool:
    """Claim the row (so no other dispatcher sends it), send it, and release the claim on failure."""
    from campaign.celery import app

    claimed = OutboxJob.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    job = OutboxJob.objects.get(pk=pk)
    try:
        with nullcontext(connection) if connection is not None else _connect() as conn:
            app.send_task(job.name, args=job.args, kwargs=job.kwargs, retry=False, connection=conn)
    except Exception as exc:  # broker down or unreachable: leave it for the sweeper
        log.warning("job %s not sent, kept in outbox: %s", job.name, exc)
        OutboxJob.objects.filter(pk=pk).update(sent_at=None, attempts=job.attempts + 1, last_error=str(exc)[:500])
        return False
    return True


def dispatch_pending(*, older_than: timedelta | None = None, limit: int = 500) -> int:
    """Send jobs left unsent (broker was down, or the process died before dispatching) for longer
    than ``older_than`` (default: settings.OUTBOX_RESEND_AFTER_SECONDS, 20 s)."""
    if older_than is None:
        older_than = timedelta(seconds=getattr(settings, "OUTBOX_RESEND_AFTER_SECONDS", 20))
    cutoff = timezone.now() - older_than
    pending = OutboxJob.objects.filter(sent_at__isnull=True, created_at__lte=cutoff).values_list("pk", flat=True)
    pks = list(pending[:limit])
    if not pks:
        return 0
    try:
        conn = _connect()  # one connection for the batch
    except Exception as exc:
        log.warning("broker unreachable, %d jobs stay in the outbox: %s", len(pks), exc)
        return 0
    with conn:
        return sum(dispatch(pk, connection=conn) for pk in pks)


def purge_sent(*, older_than: timedelta = timedelta(days=7)) -> int:
    cutoff = timezone.now() - older_than
    return OutboxJob.objects.filter(sent_at__lt=cutoff).delete()[0]
