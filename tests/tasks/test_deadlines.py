"""Deadlines and lights follow the working-day engine, and agree with the chase ladder.

Around National Day 2026: 1–7 Oct holidays, Saturday 10 Oct a make-up working day."""

from datetime import date, timedelta

import pytest

from campaign.models import TimeLimit
from campaign.models.workdays import add_working_days, working_days_between
from demo.tasks.world import load_world
from tasks.models import Light, RectificationTask
from tasks.services.chase import chase_run

from ..factories import make_task
from .ladder_kit import at, days, reference, task_due, travel


@pytest.fixture
def ref(db):
    return reference()


def hand_over(ref, clerk, unit, limit, day):
    return make_task(ref, actor=clerk, unit=unit, time_limit=limit, title="公交站台小广告", source="巡查",
                     assigned_at=at(day, 10))


def test_due_dates_count_working_days_across_the_holiday(ref, city, office_clerk):
    task = hand_over(ref, office_clerk, city.unit_a, ref.days5, date(2026, 9, 29))
    # 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (make-up), 12 Oct.
    assert task.due_date == date(2026, 10, 12)
    assert task.sign_due == date(2026, 9, 30)


def test_lights_in_python_and_sql_agree_every_day(ref, city, office_clerk):
    task = hand_over(ref, office_clerk, city.unit_a, ref.days5, date(2026, 9, 29))
    assert task.yellow_from == date(2026, 10, 10)  # one working day before the 12th: the make-up Saturday
    seen = {}
    for day in days(date(2026, 9, 29), date(2026, 10, 14)):
        sql = RectificationTask.objects.with_light(day).values_list("light_code", flat=True).get(pk=task.pk)
        assert sql == task.light_on(day), day
        assert RectificationTask.objects.lit(sql, day).filter(pk=task.pk).exists()
        seen[day] = sql
    assert seen[date(2026, 10, 9)] == Light.GREEN
    assert seen[date(2026, 10, 10)] == seen[date(2026, 10, 12)] == Light.YELLOW
    assert seen[date(2026, 10, 13)] == Light.RED


def test_the_yellow_threshold_is_set_per_time_limit(ref, city, office_clerk):
    TimeLimit.objects.filter(pk=ref.days5.pk).update(yellow_workdays=3)
    ref.days5.refresh_from_db()
    task = hand_over(ref, office_clerk, city.unit_a, ref.days5, date(2026, 9, 29))
    assert task.yellow_from == date(2026, 10, 8)  # 12 ← Sat 10 ← 9 ← 8
    assert task.light_on(date(2026, 9, 30)) == Light.GREEN
    assert task.light_on(date(2026, 10, 8)) == Light.YELLOW


def test_an_approved_extension_moves_the_yellow_threshold_too(ref, city, office_clerk, liaison_a):
    from tasks.services import task_transition

    task = task_due(ref, actor=office_clerk, unit=city.unit_a, due=date(2026, 9, 30))
    with travel(date(2026, 9, 24), 15):
        task_transition(task=task, actor=liaison_a, action="sign")
        task_transition(task=task, actor=liaison_a, action="request_extension", note="工程量大",
                        proposed_date=date(2026, 10, 16))
        task_transition(task=task, actor=office_clerk, action="approve_extension")
    assert task.due_date == date(2026, 10, 16)
    assert task.yellow_from == add_working_days(date(2026, 10, 16), -ref.fixed.yellow_workdays)
    assert task.light_on(date(2026, 10, 8)) == Light.GREEN


def test_the_ladder_and_the_lights_tell_the_same_story(ref, city, office_clerk, head_a, liaison_a):
    """The reminder goes out on a yellow day; the 催办 on a red day, counting the same working days
    as the task list's "超期 N 个工作日"."""
    task = task_due(ref, actor=office_clerk, unit=city.unit_a, due=date(2026, 9, 30))
    with travel(date(2026, 9, 29)):
        chase_run()
    reminder = task.chase_notices.get(kind="reminder")
    assert task.light_on(reminder.issued_on) == Light.YELLOW
    with travel(date(2026, 10, 8)):
        chase_run()
    urge = task.chase_notices.get(kind="urge")
    assert urge.issued_on == date(2026, 10, 8)
    assert task.light_on(date(2026, 10, 1)) == Light.RED  # red from the first calendar day after the due date
    from campaign.models.workdays import WorkCalendar

    calendar = WorkCalendar(date(2026, 9, 30), date(2026, 10, 8))
    assert task.due_status(calendar, at(date(2026, 10, 8))).text == "超期 1 个工作日"
    assert working_days_between(task.due_date, urge.issued_on) == 1


def test_the_demo_calendar_shortcut_matches_the_engine(ref):
    """The demo answers working-day questions from a precomputed list; it must agree with the engine."""
    today = date(2026, 10, 20)
    world = load_world(today, at(today, 12))
    for offset in range(-200, 40, 3):
        day = today + timedelta(days=offset)
        for n in (-5, -1, 0, 1, 3, 13):
            assert world.add(day, n) == add_working_days(day, n), (day, n)
        assert world.between(day, today) == working_days_between(day, today), day
