"""Plain builders for the chase-ladder, deadline, bulk and demo tests (no fixtures, so the test
modules need no conftest of their own)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine

from campaign.models import Framework, Indicator, TimeLimit
from tests.factories import make_task

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 8, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def travel(day: date, hour: int = 8, minute: int = 30):
    """Freeze the clock at ``day`` in Beijing time, 08:30 by default (when beat runs the ladder)."""
    return time_machine.travel(at(day, hour, minute), tick=False)


def days(start: date, end: date):
    """Every calendar day from start to end inclusive."""
    for i in range((end - start).days + 1):
        yield start + timedelta(days=i)


def reference() -> SimpleNamespace:
    """An active framework with one standard, and the time limits offices use."""
    framework = Framework.objects.create(name="全国文明城市测评体系", year=2021, is_active=True)
    area = Indicator.objects.create(framework=framework, level=1, code="1", name="公共秩序")
    standard = Indicator.objects.create(
        framework=framework, parent=area, level=4, code="1.2.3", name="主次干道无乱停乱放",
        text="机动车、非机动车有序停放。",
    )
    return SimpleNamespace(
        framework=framework,
        standard=standard,
        # Preloaded by a migration (指定日期: yellow 3 working days before; 5个工作日: 1 before).
        fixed=TimeLimit.objects.get(name="指定日期"),
        days5=TimeLimit.objects.get(name="5个工作日"),
    )


def task_due(ref, *, due: date, assigned: date | None = None, **fields):
    """A task with a fixed due date, handed over at 10:00 nine days before it (or on ``assigned``)."""
    return make_task(ref, due=due, assigned_at=at(assigned or due - timedelta(days=9), 10), **fields)
