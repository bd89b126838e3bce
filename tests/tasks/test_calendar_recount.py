"""When the office changes the working-day calendar, open tasks whose deadline was counted in
working days get the date the new calendar gives, with a timeline entry saying why, and their unit
is told. Closed tasks, parked tasks (their clock is paused) and dates set by hand keep their dates.
The recount is a job (the calendar page cannot import tasks) and may run any number of times.

2027 is not in the holiday package: until the office enters it, it counts Monday–Friday. Spring
Festival 2027 (as entered in these tests): 6–12 February off."""

from datetime import date

import pytest
from django.urls import reverse

from campaign.models import Event, Notification, OutboxJob, TimeLimit
from tasks import jobs
from tasks.models import RectificationTask, State, TaskAction
from tasks.services import task_transition

from ..factories import make_task
from .ladder_kit import at, reference, travel
from .lifecycle_kit import photo_upload

MONDAY = date(2027, 2, 1)
NOTE = "因2027年放假安排调整，整改期限由 2027-02-08 调整为 2027-02-15"


@pytest.fixture
def ref(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return reference()


def hand_over(ref, clerk, unit, *, limit=None, due=None, title="公交站台小广告"):
    return make_task(ref, actor=clerk, unit=unit, time_limit=limit or ref.days5, due=due, title=title, source="巡查",
                     assigned_at=at(MONDAY, 10, 0))


def enter_spring_festival(client_for, clerk):
    """The office enters the holiday on the calendar page; the worker then runs the queued job."""
    with travel(date(2027, 2, 2), 9, 0):
        client_for(clerk).post(reverse("reference:calendar_add"),
                    {"start": "2027-02-06", "end": "2027-02-12", "kind": "holiday", "note": "春节"})
        job = OutboxJob.objects.get(name="tasks.recalculate_deadlines")
        return jobs.recalculate_deadlines.apply(args=job.args).get()


def test_open_counted_tasks_move_with_the_new_calendar_and_the_unit_is_told(ref, city, office_clerk, liaison_a,
                                                                            client_for):
    task = hand_over(ref, office_clerk, city.unit_a)
    assert task.due_date == date(2027, 2, 8)  # Mon–Fri: 2, 3, 4, 5, 8 February
    with travel(MONDAY, 11, 0):
        task_transition(task=task, actor=liaison_a, action="sign")

    assert enter_spring_festival(client_for, office_clerk) == 1

    task.refresh_from_db()
    assert task.due_date == date(2027, 2, 15)  # 2, 3, 4, 5, then Monday 15 February
    assert task.yellow_from == date(2027, 2, 5)  # one working day left: from Friday 5th
    assert task.state == State.IN_PROGRESS
    step = TaskAction.objects.get(task=task, action="recalculate_due")
    assert step.note == NOTE and step.actor is None
    assert step.payload["due_date"] == ["2027-02-08", "2027-02-15"]
    assert Notification.objects.filter(recipient=liaison_a, body=NOTE, title__contains=task.number).exists()
    assert Event.objects.filter(verb="task.due_recalculated", target_id=str(task.pk)).exists()
    with travel(date(2027, 2, 2), 9, 0):
        page = client_for(liaison_a).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "期限调整" in page and NOTE in page and "2027-02-15" in page


def test_the_recount_is_idempotent(ref, city, office_clerk, liaison_a, client_for):
    task = hand_over(ref, office_clerk, city.unit_a)
    enter_spring_festival(client_for, office_clerk)
    counts = (TaskAction.objects.count(), Notification.objects.count(), Event.objects.count())
    with travel(date(2027, 2, 2), 9, 0):
        assert jobs.recalculate_deadlines.apply(args=["2027-02-06", "2027-02-12"]).get() == 0
    assert (TaskAction.objects.count(), Notification.objects.count(), Event.objects.count()) == counts
    task.refresh_from_db()
    assert task.due_date == date(2027, 2, 15)


def test_closed_parked_and_hand_set_dates_keep_their_dates(ref, city, office_clerk, liaison_a, client_for):
    fixed = hand_over(ref, office_clerk, city.unit_a, limit=ref.fixed, due=date(2027, 2, 10), title="指定日期")
    edited = hand_over(ref, office_clerk, city.unit_a, due=date(2027, 2, 8), title="交办时改过期限")
    hours = hand_over(ref, office_clerk, city.unit_a, limit=TimeLimit.objects.get(name="24小时"), title="24小时")
    parked = hand_over(ref, office_clerk, city.unit_a, title="挂账")
    closed = hand_over(ref, office_clerk, city.unit_a, title="已销号")
    with travel(MONDAY, 11, 0):
        for task in (parked, closed):
            task_transition(task=task, actor=liaison_a, action="sign")
        task_transition(task=parked, actor=office_clerk, action="park", note="冬季无法施工",
                        review_date=date(2027, 3, 1))
        task_transition(task=closed, actor=liaison_a, action="submit", note="已清理", files=[photo_upload()])
        task_transition(task=closed, actor=office_clerk, action="approve")
    before = {t.pk: (t.due_date, t.due_at) for t in RectificationTask.objects.all()}

    assert enter_spring_festival(client_for, office_clerk) == 0

    for task in RectificationTask.objects.all():
        assert (task.due_date, task.due_at) == before[task.pk], task.title
    assert not TaskAction.objects.filter(action="recalculate_due").exists()
    # The light threshold of a hand-set date still follows the calendar: with 8–10 February off,
    # three working days before the 10th is the 2nd (3, 4, 5 are left).
    fixed.refresh_from_db()
    assert fixed.yellow_from == date(2027, 2, 2)
    assert {edited.pk, hours.pk} <= set(before)


def test_a_parked_task_resumes_on_the_calendar_in_force_when_it_resumes(ref, city, office_clerk, liaison_a,
                                                                         client_for):
    task = hand_over(ref, office_clerk, city.unit_a)
    with travel(MONDAY, 11, 0):
        task_transition(task=task, actor=liaison_a, action="sign")
        task_transition(task=task, actor=office_clerk, action="park", note="待招标", review_date=date(2027, 2, 3))
    enter_spring_festival(client_for, office_clerk)
    task.refresh_from_db()
    assert task.due_date == date(2027, 2, 8)  # paused: untouched
    with travel(date(2027, 2, 3), 9, 0):
        task_transition(task=task, actor=office_clerk, action="resume")
    task.refresh_from_db()
    # Parked 1 → 3 February: 2 working days paused; 5 + 2 working days from 1 February on the new
    # calendar: 2, 3, 4, 5, 15, 16, 17.
    assert task.due_date == date(2027, 2, 17)


def test_tasks_handed_over_before_the_clock_existed_get_it_when_migrating(ref, city, office_clerk, client_for):
    """The data migration marks dates that were counted (and only those), so they move too."""
    from importlib import import_module

    from django.apps import apps

    counted = hand_over(ref, office_clerk, city.unit_a, title="按工作日计算")
    edited = hand_over(ref, office_clerk, city.unit_a, due=date(2027, 2, 9), title="交办时改过期限")
    RectificationTask.objects.update(clock_start=None, clock_workdays=None)  # as rows written before
    import_module("tasks.migrations.0007_recount_existing_deadlines").recount(apps, None)
    counted.refresh_from_db()
    edited.refresh_from_db()
    assert (counted.clock_start, counted.clock_workdays) == (MONDAY, 5)
    assert edited.clock_start is None
    enter_spring_festival(client_for, office_clerk)
    counted.refresh_from_db()
    edited.refresh_from_db()
    assert counted.due_date == date(2027, 2, 15) and edited.due_date == date(2027, 2, 9)
