"""The batch jobs at city scale: the chase ladder (督办) and a monthly summary (月报, PDF + Word)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaign.models.workdays import WorkCalendar
from reports.models import Summary
from reports.selectors.metrics.scopes import city_scope
from reports.services.pipeline import report_run_execute
from reports.services.summaries.services import previous_period, summary_request
from tasks.models import ChaseNotice, RectificationTask, State
from tasks.services.chase import CHASE_STATES, chase_run


def last_workday(today):
    calendar = WorkCalendar(today - timedelta(days=30), today)
    day = today
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def chase_ladder(say=print) -> dict:
    """Two runs of the ladder's job body (``tasks.services.chase.chase_run``) for the last working day:

    - daily: over the city as seeded (the demo ran today's ladder, so this is the daily rerun
      cost: every anti-join, nothing new to issue);
    - all_open: every task put in a chased state first (≈100k open tasks, most of them overdue
      with no notice for their due date), so the run selects, numbers and inserts tens of
      thousands of notices, their audit events and the inbox messages. Rolled back afterwards.
    """
    day = last_workday(timezone.localdate())
    started = time.perf_counter()
    daily = chase_run(today=day)
    daily_s = time.perf_counter() - started
    with transaction.atomic():
        RectificationTask.objects.exclude(state__in=CHASE_STATES).update(state=State.IN_PROGRESS)
        open_tasks = RectificationTask.objects.open().count()
        before = ChaseNotice.objects.count()
        started = time.perf_counter()
        issued = chase_run(today=day)
        seconds = time.perf_counter() - started
        made = ChaseNotice.objects.count() - before
        transaction.set_rollback(True)
    say(f"  督办（日常重跑）{daily_s:.2f} 秒；全部 {open_tasks} 件在办：{seconds:.2f} 秒，发出 {made} 份")
    return {"day": day.isoformat(), "daily_rerun_s": round(daily_s, 2), "daily_issued": daily,
            "open_tasks": open_tasks, "seconds": round(seconds, 2), "issued": issued, "notices_made": made}


def monthly_report(say=print) -> dict:
    """A city 月报 for the last complete month, built by the job body directly (no worker)."""
    today = timezone.localdate()
    period = previous_period(Summary.Kind.MONTHLY, today)
    summary = summary_request(kind=Summary.Kind.MONTHLY, scope=city_scope(), period=period)
    started = time.perf_counter()
    run = report_run_execute(run_id=summary.run_id)
    seconds = time.perf_counter() - started
    summary.refresh_from_db()
    media = Path(settings.MEDIA_ROOT)
    pdf = media / summary.pdf_file.name if summary.pdf_file else None
    docx = media / summary.docx_file.name if summary.docx_file else None
    result = {
        "seconds": round(seconds, 2), "status": run.status if run else "not claimed",
        "error": (run.error if run else "")[:300], "period": f"{period.start}–{period.end}",
        "pdf_bytes": pdf.stat().st_size if pdf and pdf.exists() else 0,
        "docx_bytes": docx.stat().st_size if docx and docx.exists() else 0,
        "pages": run.pages if run else None,
    }
    say(f"  月报 {result['seconds']} 秒（{result['status']}，PDF {result['pdf_bytes']} 字节，"
        f"Word {result['docx_bytes']} 字节）")
    return result
