"""The light (亮灯) is one rule, computed in SQL for lists and counts and in Python for one task."""

from datetime import date, timedelta

import pytest

from tasks.models import Light, RectificationTask, State

from ..factories import make_task
from .lifecycle_kit import reference

STATES = [State.ASSIGNED, State.IN_PROGRESS, State.EXTENSION_REQUESTED, State.SUBMITTED, State.REWORK,
          State.PARKED, State.CLOSED, State.REBOUND]


@pytest.fixture
def tasks(city, office_clerk, leader):
    """Tasks in every state, due from 10 days ago to 10 days ahead, yellow from 0–3 days before."""
    ref = reference(city, leader=leader)
    base = date(2026, 10, 15)
    made = []
    for i, state in enumerate(STATES * 3):
        task = make_task(ref, actor=office_clerk, unit=city.unit_a, due=date(2026, 12, 31), title=f"灯{i}")
        due = base + timedelta(days=(i * 7) % 21 - 10)
        RectificationTask.objects.filter(pk=task.pk).update(
            state=state, due_date=due, yellow_from=due - timedelta(days=i % 4),
            park_review_date=date(2026, 12, 1))
        made.append(task.pk)
    return made


def test_light_in_sql_equals_light_in_python_for_a_spread_of_dates(tasks):
    seen = set()
    for offset in range(-14, 15):
        today = date(2026, 10, 15) + timedelta(days=offset)
        for task in RectificationTask.objects.with_light(today):
            assert task.light_code == task.light_on(today), (task.number, task.state, today)
            seen.add(task.light_code)
            # The indexable filter finds the same rows as the annotation.
        for code in Light.values:
            by_filter = set(RectificationTask.objects.lit(code, today).values_list("pk", flat=True))
            by_case = set(RectificationTask.objects.with_light(today).filter(light_code=code)
                          .values_list("pk", flat=True))
            assert by_filter == by_case, (code, today)
    assert seen == set(Light.values)


def test_parked_closed_and_rebounded_tasks_have_no_light(tasks):
    today = date(2030, 1, 1)  # everything long overdue
    for task in RectificationTask.objects.with_light(today):
        expected = Light.NONE if task.state in (State.PARKED, State.CLOSED, State.REBOUND) else Light.RED
        assert task.light_code == expected
