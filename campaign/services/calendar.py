"""The working-day calendar: holidays and make-up days, and the deadline recount they trigger."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaign.models import (
    CalendarDay,
    CalendarYear,
    User,
)
from campaign.models.workdays import package_knows
from campaign.services.audit import diff_fields, event_record
from campaign.services.queue import enqueue

RECOUNT_JOB = "tasks.recalculate_deadlines"
MAX_CALENDAR_RUN = 31  # days entered at once: a holiday run is at most a week or two


def _recount_deadlines(start: date, end: date) -> None:
    """Ask the tasks app to recount open tasks' deadlines over the changed dates. By job name
    through the outbox: the calendar lives below tasks and may not import it."""
    enqueue(RECOUNT_JOB, start.isoformat(), end.isoformat())


@transaction.atomic
def calendar_days_set(*, actor: User, start: date, end: date, kind: str, note: str = "") -> list[CalendarDay]:
    """Enter a holiday run or a make-up working day (each date of start..end) as overrides; open
    tasks' deadlines are recounted by a job when any date changed."""
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if end - start >= timedelta(days=MAX_CALENDAR_RUN):
        raise ValidationError({"end": f"一次最多录入 {MAX_CALENDAR_RUN} 天，请分段录入。"})
    saved = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is not None and row.kind == kind and row.note == note:
            continue
        before = {} if row is None else {"kind": row.get_kind_display(), "note": row.note}
        if row is None:
            row = CalendarDay(date=day, created_by=actor)
        row.kind, row.note = kind, note
        row.save()
        event_record(actor=actor, verb="calendar.set", target=row,
                     summary=f"工作日历：{day:%Y-%m-%d} 设为{row.get_kind_display()}" + (f"（{note}）" if note else ""),
                     changes=diff_fields(before, {"kind": row.get_kind_display(), "note": note}) if before else {})
        saved.append(row)
    if saved:
        _recount_deadlines(saved[0].date, saved[-1].date)
    return saved


@transaction.atomic
def calendar_day_delete(*, actor: User, day: CalendarDay) -> None:
    event_record(actor=actor, verb="calendar.delete", target=day,
                 summary=f"工作日历：删除 {day.date:%Y-%m-%d} 的调整（{day.get_kind_display()}），恢复默认")
    day.delete()
    _recount_deadlines(day.date, day.date)


@transaction.atomic
def calendar_year_confirm(*, actor: User, year: int) -> CalendarYear:
    """The office confirms that the State Council's holiday notice for ``year`` is entered in full
    (放假 and 调休上班 days); from then on the year counts as entered and the banner goes."""
    if package_knows(year):
        raise ValidationError(f"{year}年的放假安排已内置，无需确认。")
    entered = CalendarDay.objects.filter(date__year=year).count()
    if not entered:
        raise ValidationError(f"尚未录入{year}年的任何放假或调休日期，请先按国务院办公厅通知录入，再确认。")
    done = CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()
    if done is not None:
        raise ValidationError(f"{year}年的放假安排已于 {timezone.localtime(done.confirmed_at):%Y-%m-%d} "
                              f"由{done.confirmed_by or '系统'}确认完整录入。")
    row = CalendarYear.objects.create(year=year, confirmed_by=actor)
    event_record(actor=actor, verb="calendar.confirm_year", target=row,
                 summary=f"工作日历：确认 {year} 年放假安排已完整录入（共 {entered} 天调整）")
    return row
