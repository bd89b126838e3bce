"""Celery beat's scheduler (``CELERY_BEAT_SCHEDULER``): timed jobs go through the outbox.

Celery's own scheduler sends a due job straight to Redis; when Redis is down at that minute it
logs a SchedulingError and the firing is gone until the next one (a day for the chase ladder, a
week or a month for the summaries). Here a crontab entry's firing is written as an outbox row keyed
by (job, scheduled slot) and sent from there (``campaign.services.queue.enqueue_scheduled``): with Redis
down the row waits and the outbox sweeper sends it when Redis is back; a repeated firing of the
slot (beat restarted on an old schedule file, a second beat) finds the row and queues nothing.
If the database is down too, the firing is kept in memory and written as soon as it is back.

Interval entries (the sweepers, every few seconds) are sent directly as before: a missed one is
replaced by the next one within seconds, and they are what brings the outbox back to life. Beat
connects to Redis only to send those, so it ticks (and records timed jobs) while Redis is down,
also when it is started during the outage.
"""

from __future__ import annotations

import logging
from datetime import datetime

from celery.beat import PersistentScheduler, ScheduleEntry, _evaluate_entry_args, _evaluate_entry_kwargs
from celery.schedules import crontab
from kombu.utils.objects import cached_property

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # how soon a firing the database could not take is tried again


def scheduled_slot(entry: ScheduleEntry) -> datetime:
    """The time this firing was scheduled for: the entry's first crontab time after its last run."""
    last_run_at, delta, _now = entry.schedule.remaining_delta(entry.last_run_at)
    return last_run_at + delta


class OutboxScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.unrecorded: list[tuple[str, datetime, list, dict]] = []
        super().__init__(*args, **kwargs)

    @cached_property
    def producer(self):
        # Celery's own connects first, retrying for as long as BROKER_CONNECTION_MAX_RETRIES says
        # (for ever here), so a beat started while Redis is down would not tick at all and timed
        # jobs would not reach the outbox. This one connects when an interval entry is sent.
        return self.Producer(self.connection, auto_declare=False)

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        if not isinstance(entry.schedule, crontab):
            return super().apply_async(entry, producer, advance, **kwargs)
        slot = scheduled_slot(entry)  # before reserve() moves last_run_at on
        entry = self.reserve(entry) if advance else entry
        self.record((entry.task, slot, list(_evaluate_entry_args(entry.args)),
                     dict(_evaluate_entry_kwargs(entry.kwargs))))
        return None

    def record(self, firing: tuple[str, datetime, list, dict]) -> bool:
        from django.db import close_old_connections, connection

        from campaign.services import queue

        name, slot, args, kwargs = firing
        try:
            if not connection.in_atomic_block:
                close_old_connections()  # beat is long-lived: drop a connection the database closed meanwhile
            queue.enqueue_scheduled(name, slot=slot, args=args, kwargs=kwargs)
        except Exception as exc:
            log.warning("定时作业 %s（%s）暂未记录（数据库不可用：%s），%.0f 秒后重试", name, slot, exc, RETRY_SECONDS)
            if firing not in self.unrecorded:
                self.unrecorded.append(firing)
            return False
        return True

    def tick(self, *args, **kwargs):
        if self.unrecorded:
            waiting, self.unrecorded = self.unrecorded, []
            for firing in waiting:
                self.record(firing)
        delay = super().tick(*args, **kwargs)
        return min(delay, RETRY_SECONDS) if self.unrecorded else delay
