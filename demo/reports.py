"""Demo step (seed_demo, last): the dashboard's history and the first periodic issues.

Rebuilds the daily figures of the demo city's six months from the task timelines (days that
already have snapshots are kept), takes today's snapshot, and queues the city's issues for the
last complete week and month (built by the worker; a rerun makes no second issue). The demo
city has published its 周报 and 月报 since January, before it had the portal: its first issues
here carry the number of their period (November's 月报 is 第11期, a week's 周报 its ISO week), and
the series' counters continue from there."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone

from reports.models import Summary
from reports.services.snapshots import snapshot_take, snapshots_backfill
from tasks.models import NumberSequence


def seed(ctx) -> None:
    from reports.services.summaries.services import summaries_schedule

    started = time.monotonic()
    with connection.cursor() as cursor:
        # The city was just bulk-inserted and has no planner statistics yet: without them the
        # evidence completeness join is planned as nested scans and takes minutes, not 0.1 s.
        cursor.execute("ANALYZE")
    written = snapshots_backfill()
    today_rows = snapshot_take()
    before = Summary.objects.filter(is_periodic=True).count()
    with transaction.atomic():  # numbered before the worker can see the queued builds
        for kind in (Summary.Kind.WEEKLY, Summary.Kind.MONTHLY):
            _number_by_period(summaries_schedule(kind=kind, today=timezone.localdate()))
    queued = Summary.objects.filter(is_periodic=True).count() - before
    ctx.stdout.write(f"    统计快照：补算历史 {written} 行，今日 {today_rows} 行；排队生成定期简报 {queued} 期"
                     f"（{time.monotonic() - started:.1f} 秒）")


def _number_by_period(summary: Summary) -> None:
    """Give an unnumbered issue the number of its period and move the series' counter past it
    (a series that has already reached that number keeps its own numbering)."""
    if summary.issue_no is not None:
        return
    start = summary.period_start
    year, number = (start.year, start.month) if summary.kind == Summary.Kind.MONTHLY else start.isocalendar()[:2]
    key = f"summary_{summary.kind}"
    NumberSequence.objects.get_or_create(key=key, year=year)
    counter = NumberSequence.objects.select_for_update().get(key=key, year=year)
    if counter.last >= number:
        return
    NumberSequence.objects.filter(pk=counter.pk).update(last=number)
    Summary.objects.filter(pk=summary.pk).update(year=year, issue_no=number)
