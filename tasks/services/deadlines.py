"""Recounting open tasks' deadlines after the office changes the working-day calendar.

The calendar page (campaign) sits below tasks and may not import it, so a calendar change queues
the job ``tasks.recalculate_deadlines`` by name through the outbox (campaign.services), and the job
calls ``task_deadlines_recalculate`` here with the changed dates.

What moves, and what does not:

- Only open tasks (not parked, closed or rebounded) due on or after the first changed date: a
  count that ended before it cannot have crossed it. A parked task's clock is paused; it is
  counted on the calendar in force when it resumes (``tasks.services``' resume effect).
- The due date moves only when it was counted (``clock_start`` + ``clock_workdays``): a date
  given by hand (指定日期, an edited date, an approved extension) and hour deadlines stay.
  A moved date gets a TaskAction and an audit Event saying why, and the lead unit is told.
- The yellow threshold of every such open task, and the sign-by date of tasks not yet signed,
  follow the calendar silently: they are derived from the due date, not promised to anyone.

Idempotent: each value is recomputed from the task's own fields and written only when it
differs, under a row lock, so a rerun or a redelivered message changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from campaign.models.workdays import WorkCalendar
from campaign.services import event_record, notify
from tasks.models import OPEN_STATES, RectificationTask, State, TaskAction, sign_due_for, yellow_from_for
from tasks.services import task_url, unit_contacts

BATCH = 500
# Margin of the calendar read once per batch, around the batch's own dates: a recounted date
# can land a holiday run or so beyond the old one.
MARGIN = timedelta(days=120)


def task_deadlines_recalculate(*, start: date, end: date) -> int:
    """Recount the open tasks a calendar change over ``start``..``end`` may affect. Returns how
    many due dates moved."""
    reason = _reason(start, end)
    ids = list(RectificationTask.objects.filter(state__in=OPEN_STATES, due_date__gte=start)
               .order_by("pk").values_list("pk", flat=True))
    moved = 0
    for first in range(0, len(ids), BATCH):
        moved += _recount_batch(ids[first:first + BATCH], reason)
    return moved


@transaction.atomic
def _recount_batch(ids: list[int], reason: str) -> int:
    tasks = list(RectificationTask.objects.select_for_update(of=("self",)).select_related("time_limit", "lead_unit")
                 .filter(pk__in=ids, state__in=OPEN_STATES).order_by("pk"))
    if not tasks:
        return 0
    low = min(min(t.clock_start or t.due_date for t in tasks), min(t.yellow_from for t in tasks))
    calendar = WorkCalendar(low - MARGIN, max(t.due_date for t in tasks) + MARGIN)
    return sum(_recount(task, calendar, reason) for task in tasks)


def _recount(task: RectificationTask, calendar: WorkCalendar, reason: str) -> bool:
    old = task.due_date
    due = calendar.add(task.clock_start, task.clock_workdays) if task.clock_start is not None else old
    fields = {"due_date": due, "yellow_from": yellow_from_for(due, task.time_limit.yellow_workdays, calendar)}
    if task.state == State.ASSIGNED:
        fields["sign_due"] = sign_due_for(timezone.localdate(task.assigned_at), due, calendar)
    if task.original_due_date == old and task.extension_count == 0:
        fields["original_due_date"] = due  # never moved by anyone: the original follows the count
    changed = {name: value for name, value in fields.items() if getattr(task, name) != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(task, name, value)
    task.save(update_fields=[*changed, "updated_at"])
    if due == old:
        return False
    note = f"因{reason}，整改期限由 {old:%Y-%m-%d} 调整为 {due:%Y-%m-%d}"
    payload = {"due_date": [old.isoformat(), due.isoformat()]}
    TaskAction.objects.create(task=task, action="recalculate_due", from_state=task.state, to_state=task.state,
                              note=note, payload=payload)
    event_record(actor=None, verb="task.due_recalculated", target=task, unit=task.lead_unit,
                 summary=f"{task.number}：{note}", changes=payload)
    notify(recipients=unit_contacts(task.lead_unit), url=task_url(task), body=note,
           title=f"整改期限调整：{task.number} {task.title}，新期限 {due:%Y-%m-%d}")
    return True


def _reason(start: date, end: date) -> str:
    years = "、".join(str(y) for y in range(start.year, end.year + 1))
    return f"{years}年放假安排调整"
