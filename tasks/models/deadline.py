"""The deadline rules of one task, in one place: when it must be signed for, when its light turns
yellow and red, and what the page says about the time left.

Why one module: the sign-by date, the yellow threshold, the light and the "还剩/超期" hint used to
be computed in four places from slightly different rules, and contradicted each other (a 24-hour
task handed over on a Friday was due on Saturday but to be signed for on Monday; a page said
"还剩 0 个工作日" beside a green light). Now:

- ``sign_due_for``: the next working day after handing over, but never after the due date.
- ``yellow_from_for``: the first day on which at most N working days are left before the
  deadline (N = the time limit's 黄灯提前量). On a deadline that falls on a rest day, the last
  working day before it counts as the deadline's working day; so a task with no working day left
  is never green, and a task due today is at least yellow.
- ``light_of``: red once the deadline has passed (an hour deadline at its minute, a date at the
  end of its day), else yellow from ``yellow_from``, else green. The SQL in ``task.py``
  (``light_condition``/``light_case``) is the same rule; a test compares them.
- ``due_status``: the light AND the hint together, so they cannot disagree. Hour limits are
  counted and shown in hours ("还剩 19 小时", "超期 3 小时"), dates in working days.

``calendar`` arguments are ``campaign.models.workdays.WorkCalendar`` objects (or anything with ``add``
and ``is_workday`` and ``between``), read once per page; None asks the engine directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tasks.models.choices import OPEN_STATES, Light, State


class _Engine:
    """The working-day engine's module functions behind the WorkCalendar interface."""

    @staticmethod
    def add(day: date, n: int) -> date:
        from campaign.models.workdays import add_working_days

        return add_working_days(day, n)

    @staticmethod
    def is_workday(day: date) -> bool:
        from campaign.models.workdays import is_workday

        return is_workday(day)


def sign_due_for(assigned_day: date, due_date: date, calendar=None) -> date:
    """签收期限: within one working day of handing over, and never later than the deadline itself
    (a same-day or 24-hour task is signed for by its deadline)."""
    calendar = calendar or _Engine
    return min(calendar.add(assigned_day, 1), due_date)


def yellow_from_for(due_date: date, lead_workdays: int, calendar=None) -> date:
    """The first day with at most ``lead_workdays`` working days left before ``due_date``."""
    calendar = calendar or _Engine
    last_workday = due_date if calendar.is_workday(due_date) else calendar.add(due_date, -1)
    return calendar.add(last_workday, -lead_workdays)


def moment(today: date, now: datetime | None = None) -> datetime:
    """The instant a light is judged at: ``now`` if given; the current instant when ``today`` is
    today; else the end of ``today`` (a past or future day seen as a whole, as daily figures do)."""
    if now is not None:
        return now
    current = timezone.now()
    if today == timezone.localdate(current):
        return current
    return timezone.make_aware(datetime.combine(today, time.max))


def light_of(task, today: date, now: datetime | None = None) -> str:
    if task.state not in OPEN_STATES:
        return Light.NONE
    if task.due_date < today or (task.due_at is not None and task.due_at <= moment(today, now)):
        return Light.RED
    front_due, front_yellow = getattr(task, "front_due_date", None), getattr(task, "front_yellow_from", None)
    if front_due is not None and front_due < today:  # a hop passed down (转办) is overdue
        return Light.RED
    if task.yellow_from <= today or (front_yellow is not None and front_yellow <= today):
        return Light.YELLOW
    return Light.GREEN


@dataclass(frozen=True)
class DueStatus:
    """What a page shows about a task's deadline: the light and the hint beside it."""

    light: str
    text: str


def due_status(task, calendar, now: datetime) -> DueStatus:
    """The light and the "还剩 … / 今天到期 / 超期 …" hint of ``task`` at ``now``; ``calendar``
    covers today and the due date."""
    today = timezone.localdate(now)
    light = light_of(task, today, now)
    if task.state == State.PARKED:
        return DueStatus(light, f"挂账中，{task.park_review_date:%Y-%m-%d} 复核")
    if task.state not in OPEN_STATES:
        return DueStatus(light, "")
    front = _front_text(task, light, today)
    if front:
        return DueStatus(light, front)
    if task.due_at is not None:
        left = task.due_at - now
        if left > timedelta(0):
            return DueStatus(light, f"还剩 {_hours(left)}")
        return DueStatus(light, f"超期 {_hours(-left)}")
    if task.due_date == today:
        return DueStatus(light, "今天到期")
    if task.due_date > today:
        left = calendar.between(today, task.due_date)
        if left:
            return DueStatus(light, f"还剩 {left} 个工作日")
        return DueStatus(light, f"还剩 {(task.due_date - today).days} 天（均为休息日）")
    late = calendar.between(task.due_date, today)
    if late:
        return DueStatus(light, f"超期 {late} 个工作日")
    return DueStatus(light, f"超期 {(today - task.due_date).days} 天")


def _front_text(task, light: str, today: date) -> str:
    """The hint when a hop below (转办) lights the task worse than its own deadline does."""
    front = getattr(task, "front_due_date", None)
    if front is None or task.due_date < today:
        return ""
    if light == Light.RED and front < today:
        return f"下级承办单位超期（转办期限 {front:%Y-%m-%d}）"
    if light == Light.YELLOW and task.yellow_from > today:
        return f"下级承办单位临近期限（转办期限 {front:%Y-%m-%d}）"
    return ""


def _hours(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours < 1:
        return "不足 1 小时"
    if hours < 24:
        return f"{hours} 小时"
    days, hours = divmod(hours, 24)
    return f"{days} 天 {hours} 小时" if hours else f"{days} 天"


# --- labels ---------------------------------------------------------------------------------------


def due_label(task) -> str:
    """整改期限 as shown: with the time of day for an hour limit."""
    if task.due_at is not None:
        return f"{timezone.localtime(task.due_at):%Y-%m-%d %H:%M}"
    return f"{task.due_date:%Y-%m-%d}"


def sign_by_moment(task) -> datetime | None:
    """The exact sign-by instant when signing is due on the day of an hour deadline: the deadline
    itself (signing "by 12-05" when the work is due at 12-05 10:00 would come after it)."""
    if task.due_at is not None and task.sign_due >= timezone.localdate(task.due_at):
        return task.due_at
    return None


def sign_due_label(task) -> str:
    exact = sign_by_moment(task)
    return f"{timezone.localtime(exact):%Y-%m-%d %H:%M}" if exact else f"{task.sign_due:%Y-%m-%d}"


def signed_late_at(task, when: datetime) -> bool:
    exact = sign_by_moment(task)
    if exact is not None:
        return when > exact
    return timezone.localdate(when) > task.sign_due


def done_on_time(task, when: datetime) -> bool:
    """Whether work reported at ``when`` met the deadline (an hour deadline to the minute)."""
    if task.due_at is not None:
        return when <= task.due_at
    return timezone.localdate(when) <= task.due_date
