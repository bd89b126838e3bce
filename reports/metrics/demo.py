"""Demo step (seed_demo, last): the dashboard's history and the first periodic issues.

Rebuilds the daily figures of the demo city's six months from the task timelines (days that
already have snapshots are kept), takes today's snapshot, and queues the city's issues for the
last complete week and month (built by the worker; a rerun makes no second issue)."""

from __future__ import annotations

import time

from django.db import connection
from django.utils import timezone

from ..models import Summary
from .services import snapshot_take, snapshots_backfill


def seed(ctx) -> None:
    from ..summaries.services import summaries_schedule

    started = time.monotonic()
    with connection.cursor() as cursor:
        # The city was just bulk-inserted and has no planner statistics yet: without them the
        # evidence completeness join is planned as nested scans and takes minutes, not 0.1 s.
        cursor.execute("ANALYZE")
    written = snapshots_backfill()
    today_rows = snapshot_take()
    before = Summary.objects.filter(is_periodic=True).count()
    for kind in (Summary.Kind.WEEKLY, Summary.Kind.MONTHLY):
        summaries_schedule(kind=kind, today=timezone.localdate())
    queued = Summary.objects.filter(is_periodic=True).count() - before
    ctx.stdout.write(f"    统计快照：补算历史 {written} 行，今日 {today_rows} 行；排队生成定期简报 {queued} 期"
                     f"（{time.monotonic() - started:.1f} 秒）")
