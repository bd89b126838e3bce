"""Bring tasks handed over before the deadline rules were unified up to them (unfinished tasks
only): hour deadlines get their time of day, dates counted in working days get their clock (so a
later calendar change moves them), and the sign-by date and yellow threshold follow the rules of
tasks.models.deadline. A date that cannot be shown to be counted (edited, extended, resumed after
挂账) is left as a given date."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

UNFINISHED = ["assigned", "in_progress", "returned_by_unit", "extension_requested", "parked", "submitted", "rework"]


def recount(apps, schema_editor):
    # The rules themselves, not a copy: they read only plain fields and the working-day engine.
    from campaign.models.workdays import WorkCalendar
    from tasks.models.deadline import sign_due_for, yellow_from_for

    Task = apps.get_model("tasks", "RectificationTask")
    tasks = list(Task.objects.filter(state__in=UNFINISHED).select_related("time_limit"))
    if not tasks:
        return
    start = min(timezone.localdate(t.assigned_at) for t in tasks) - timedelta(days=60)
    calendar = WorkCalendar(start, max(t.due_date for t in tasks) + timedelta(days=120))
    for task in tasks:
        limit, day = task.time_limit, timezone.localdate(task.assigned_at)
        if task.extension_count == 0 and limit.kind == "workdays" and task.clock_start is None:
            if calendar.add(day, limit.amount) == task.due_date:
                task.clock_start, task.clock_workdays = day, limit.amount
        if task.extension_count == 0 and limit.kind == "hours" and task.due_at is None:
            due_at = timezone.localtime(task.assigned_at) + timedelta(hours=limit.amount)
            if due_at.date() == task.due_date:
                task.due_at = due_at
        task.yellow_from = yellow_from_for(task.due_date, limit.yellow_workdays, calendar)
        if task.state == "assigned":
            task.sign_due = sign_due_for(day, task.due_date, calendar)
    Task.objects.bulk_update(tasks, ["clock_start", "clock_workdays", "due_at", "yellow_from", "sign_due"],
                             batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0006_task_deadline_clock"),
        ("campaign", "0005_calendar_year_confirmed"),
    ]
    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
