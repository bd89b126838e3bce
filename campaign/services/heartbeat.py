"""The heartbeat every long job keeps while it runs (report runs in reports/services/, outbox jobs
in campaign/services/queue.py): a thread touches the job's row every quarter of the stale threshold, so a
heartbeat older than ``JOBS_STALE_HEARTBEAT_SECONDS`` means the process died (SIGKILL, out of
memory, machine gone), never that one step of the job (a big PDF part, a slow query) outlasted
the threshold. The sweepers send such a job again. A live but hung job is caught by its own time
limit, not here.

Four beats fit in the threshold, so a job is declared dead only after missing three or four of
them in a row. During a dossier build on two busy cores (WeasyPrint, pikepdf) the longest gap
between two beats measured 5.0 s with the shipped 5-s interval (scripts/faults.sh worker_recovery).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection

log = logging.getLogger(__name__)


def stale_after() -> timedelta:
    """A running job whose heartbeat is older than this has lost its worker (default 20 s)."""
    return timedelta(seconds=getattr(settings, "JOBS_STALE_HEARTBEAT_SECONDS", 20))


def beat_interval() -> float:
    return max(0.5, stale_after().total_seconds() / 4)


@contextmanager
def heartbeat(touch: Callable[[], bool], *, name: str) -> Iterator[None]:
    """Call ``touch()`` from a thread every ``beat_interval()`` seconds while the block runs.
    ``touch`` updates the row and returns False once the job no longer owns it (a sweeper took it
    over), which ends the beating; the job itself finds out at its next conditional write."""
    interval = beat_interval()
    stop = threading.Event()

    def beat():
        wait = interval
        try:
            while not stop.wait(wait):
                try:
                    if not touch():
                        return
                    wait = interval
                except DatabaseError as exc:
                    # e.g. PostgreSQL restarted: reconnect, and try again soon so the beat is back
                    # before a sweeper running right after the restart takes the job for dead.
                    log.warning("%s: heartbeat not written (%s), retrying", name, exc)
                    connection.close()
                    wait = min(interval, 1.0)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"{name}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
