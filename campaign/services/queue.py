"""Enqueue background jobs through a transactional outbox, and keep each job's run on its row.

``enqueue("reports.build_dossier", run.pk)`` inside a service writes an OutboxJob row in the
caller's transaction and, after commit, hands it to the broker. If Redis is down the request
still succeeds: the row stays unsent and the ``campaign.dispatch_outbox`` beat job sends it once
the broker is back. Beat's timed jobs (crontab entries) take the same road through
``enqueue_scheduled`` (campaign/services/beat.py), one row per job and scheduled slot, so a firing while
Redis is down runs when it is back, once.

Delivery is at least once, running is once: a message carries its row's id in the ``outbox_id``
header, and the worker claims the row (``started_at``, a conditional UPDATE) before running the
job (``job_run``), so a message sent twice (a resend after a lost acknowledgement, a duplicate
dispatcher) runs once. While a job runs its row keeps a heartbeat (campaign/services/heartbeat.py).

The sweeper (``sweep``, beat every ``OUTBOX_DISPATCH_SECONDS``) sends again
* rows never sent (broker was down, or the process died or lost its database right after commit),
* rows sent ``OUTBOX_RESEND_AFTER_SECONDS`` ago, never claimed, whose message is no longer in Redis
  (Redis restarted without its data, a worker died holding it unstarted, a worker could not claim
  it because the database was down); a message still waiting in line is left alone, so a backlog
  never multiplies,
* rows whose heartbeat stopped (worker killed), up to ``MAX_RUNS`` runs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaign.models import OutboxJob
from campaign.services.heartbeat import heartbeat, stale_after

log = logging.getLogger(__name__)

HEADER = "outbox_id"
MAX_RUNS = 3  # a job that kills its worker every time (out of memory) stops after this many
MAX_SENDS = 5  # sends that no worker ever claimed (lost each time) before the row is given up
SCAN_LIMIT = 5000  # messages in Redis read to tell a lost message from one waiting in line


def resend_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "OUTBOX_RESEND_AFTER_SECONDS", 20))


# -- writing rows ------------------------------------------------------------------------------
def enqueue(name: str, *args, **kwargs) -> OutboxJob:
    job = OutboxJob.objects.create(name=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: dispatch_after_commit(job))
    return job


def dispatch_after_commit(job: OutboxJob) -> bool:
    """The change that needed the job is committed: whatever fails from here (the broker, or the
    database going away before the row is marked sent) must not reach the user, whose action is
    saved. The row stays for the sweeper; a message that did go out is claimed once."""
    try:
        return dispatch(job)
    except Exception:
        log.warning("作业 %s（outbox %s）提交后未能发出，留待清扫器补发", job.name, job.pk, exc_info=True)
        return False


def enqueue_scheduled(name: str, *, slot: datetime, args=(), kwargs: dict | None = None) -> OutboxJob | None:
    """Beat's firing of a timed job, written as a row keyed by (job, slot) and sent at once.

    None, and nothing queued, when this slot is already recorded (beat restarted with an old
    schedule file, or a second beat) or an earlier firing of the job has not finished: timed jobs
    work from the current state (today's date, what is pending), so one run does the work of
    both, and two never overlap. Raises DatabaseError when the database is down (beat keeps the
    firing and tries again)."""
    unfinished = OutboxJob.objects.filter(name=name, slot__isnull=False, finished_at__isnull=True)
    earlier = unfinished.values_list("slot", flat=True).first()
    if earlier is not None:
        if earlier == slot:
            log.info("定时作业 %s（%s）已经记录过，不再重复", name, slot)
        else:
            log.info("定时作业 %s（%s）：%s 的触发尚未运行完毕，本次并入", name, slot, earlier)
        return None
    try:
        with transaction.atomic():
            job = OutboxJob.objects.create(name=name, slot=slot, args=list(args), kwargs=kwargs or {})
    except IntegrityError:
        log.info("定时作业 %s（%s）已经记录过，不再重复", name, slot)
        return None
    dispatch_after_commit(job)
    return job


# -- sending -----------------------------------------------------------------------------------
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


def dispatch(job: OutboxJob, *, connection=None) -> bool:
    """Send the job, then mark the row sent. A failed send is counted on the row and left to the
    sweeper; a send whose mark is lost (database gone) is sent again and claimed once."""
    from campaign.celery import app

    try:
        with nullcontext(connection) if connection is not None else _connect() as conn:
            app.send_task(job.name, args=job.args, kwargs=job.kwargs, headers={HEADER: job.pk}, retry=False,
                          connection=conn)
    except Exception as exc:  # broker down or unreachable: leave it for the sweeper
        log.warning("job %s not sent, kept in outbox: %s", job.name, exc)
        OutboxJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, last_error=str(exc)[:500])
        return False
    OutboxJob.objects.filter(pk=job.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def dispatch_pending(*, older_than: timedelta | None = None, limit: int = 500) -> int:
    """Send jobs left unsent for longer than ``older_than`` (default: OUTBOX_RESEND_AFTER_SECONDS).
    Rows are locked while sent (SKIP LOCKED), so two sweepers never send the same row."""
    cutoff = timezone.now() - (resend_after() if older_than is None else older_than)
    pending = OutboxJob.objects.filter(sent_at__isnull=True, started_at__isnull=True, finished_at__isnull=True,
                                       created_at__lte=cutoff)
    if not pending.exists():
        return 0
    try:
        conn = _connect()  # one connection for the batch
    except Exception as exc:
        log.warning("broker unreachable, jobs stay in the outbox: %s", exc)
        return 0
    with conn, transaction.atomic():
        jobs = list(pending.select_for_update(skip_locked=True)[:limit])
        return sum(dispatch(job, connection=conn) for job in jobs)


# -- the sweeper -------------------------------------------------------------------------------
def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The ``campaign.dispatch_outbox`` beat job: take back jobs whose worker died and messages
    that were lost, then send everything unsent."""
    now = now or timezone.now()
    purge_sent()
    counts = {"dead": requeue_dead(now=now), "lost": requeue_lost(now=now)}
    counts["sent"] = dispatch_pending()
    return counts


def requeue_dead(*, now: datetime) -> int:
    """Running rows whose heartbeat is older than the stale threshold: back to unsent (the next
    run claims them again), or given up after MAX_RUNS runs."""
    stale = now - stale_after()
    requeued = 0
    for job in OutboxJob.objects.filter(started_at__isnull=False, finished_at__isnull=True, heartbeat_at__lt=stale):
        mine = OutboxJob.objects.filter(pk=job.pk, runs=job.runs, finished_at__isnull=True, heartbeat_at__lt=stale)
        if job.runs >= MAX_RUNS:
            if mine.update(finished_at=now, last_error=f"处理进程中断 {job.runs} 次，已放弃"):
                log.error("作业 %s（outbox %s）的处理进程中断 %s 次，已放弃", job.name, job.pk, job.runs)
            continue
        requeued += mine.update(started_at=None, heartbeat_at=None, sent_at=None,
                                last_error=f"第 {job.runs} 次运行时处理进程中断，重新发送")
    if requeued:
        log.warning("%d 个作业的处理进程中断，已重新排队", requeued)
    return requeued


def requeue_lost(*, now: datetime) -> int:
    """Rows sent long enough ago and never claimed whose message is no longer in Redis (neither
    waiting in the queue nor held by a worker): it was lost. Back to unsent, up to MAX_SENDS times."""
    lost = OutboxJob.objects.filter(sent_at__lte=now - resend_after(), started_at__isnull=True,
                                    finished_at__isnull=True)
    candidates = set(lost.values_list("pk", flat=True)[:SCAN_LIMIT])
    if not candidates:
        return 0
    in_broker = broker_messages()
    if in_broker is None:
        return 0
    gone = lost.filter(pk__in=candidates - in_broker)
    gone.filter(attempts__gte=MAX_SENDS).update(finished_at=now, last_error="多次发送均未被领取，已放弃")
    count = gone.filter(attempts__lt=MAX_SENDS).update(
        sent_at=None, attempts=F("attempts") + 1, last_error="消息已不在 Redis 中（Redis 重启或处理进程中断），重新发送")
    if count:
        log.warning("%d 个作业的消息已不在 Redis 中（Redis 重启或处理进程中断），重新发送", count)
    return count


def broker_messages() -> set[int] | None:
    """The outbox ids of the messages in Redis: waiting in the default queue, or delivered to a
    worker and not yet acknowledged. None when Redis cannot be read or holds more than SCAN_LIMIT
    messages (a backlog: ours are most likely waiting in it; the next sweep looks again).

    Reads kombu's Redis layout (a list per queue and priority, the ``unacked`` hash), which is
    what the message transport is here."""
    from campaign.celery import app

    try:
        with _connect() as conn:
            channel = conn.default_channel
            client = channel.client
            keys = [channel._q_for_pri(app.conf.task_default_queue, pri) for pri in channel.priority_steps]
            if sum(client.llen(key) for key in keys) + client.hlen(channel.unacked_key) > SCAN_LIMIT:
                log.info("Redis 中积压的消息超过 %d 条，本轮不判断消息是否丢失", SCAN_LIMIT)
                return None
            messages = [json.loads(m) for key in keys for m in client.lrange(key, 0, -1)]
            messages += [json.loads(held)[0] for held in client.hvals(channel.unacked_key)]
    except Exception as exc:
        log.warning("broker unreachable, cannot tell lost messages: %s", exc)
        return None
    return {int(m["headers"][HEADER]) for m in messages if HEADER in m.get("headers", {})}


def purge_sent(*, older_than: timedelta = timedelta(days=7)) -> int:
    cutoff = timezone.now() - older_than
    return OutboxJob.objects.filter(sent_at__lt=cutoff).delete()[0]


# -- the worker side ---------------------------------------------------------------------------
def job_run(*, outbox_id: int, call: Callable[[], Any], beats: bool = True) -> Any:
    """Claim the row, run ``call()`` with a heartbeat on the row (unless the job keeps its own,
    as report runs do), and record the end. A message whose row is already claimed (a duplicate)
    or cannot be claimed (database down: the sweeper sends it again later) runs nothing."""
    now = timezone.now()
    try:
        claimed = OutboxJob.objects.filter(pk=outbox_id, started_at__isnull=True, finished_at__isnull=True).update(
            started_at=now, heartbeat_at=now if beats else None, runs=F("runs") + 1)
        runs = OutboxJob.objects.values_list("runs", flat=True).get(pk=outbox_id) if claimed else 0
    except DatabaseError as exc:
        log.warning("作业（outbox %s）无法认领：数据库不可用（%s），留待清扫器重发", outbox_id, exc)
        return None
    if not claimed:
        log.info("作业（outbox %s）已被领取或已结束，跳过重复的消息", outbox_id)
        return None
    mine = OutboxJob.objects.filter(pk=outbox_id, runs=runs, finished_at__isnull=True)
    beating = (heartbeat(lambda: bool(mine.update(heartbeat_at=timezone.now())), name=f"outbox-{outbox_id}")
               if beats else nullcontext())
    try:
        with beating:
            result = call()
    except Exception as exc:
        _finish(mine, outbox_id, error=f"{exc.__class__.__name__}: {exc}")
        raise
    # Not on SystemExit and the like: a job cut short by a shutdown stays running, its heartbeat
    # stops, and the sweeper sends it again.
    _finish(mine, outbox_id)
    return result


def _finish(mine, outbox_id: int, *, error: str = "") -> None:
    try:
        mine.update(finished_at=timezone.now(), **({"last_error": error[:500]} if error else {}))
    except DatabaseError as exc:
        log.warning("作业（outbox %s）已运行完毕，但结束时间未能写入：%s", outbox_id, exc)
