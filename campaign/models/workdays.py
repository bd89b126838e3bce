"""Working days (工作日) as the State Council's holiday notice defines them.

The ``chinese_calendar`` package knows the published years; ``CalendarDay`` rows entered by the
office override it (a holiday or a make-up working day), so next year's notice can be entered
before the package knows it. A year neither knows falls back to Monday–Friday, and office staff
see a banner asking for that year's holidays (``missing_calendar_years``) until they confirm the
whole notice as entered (``CalendarYear``): one entered date does not make a year known.

Conventions: ``add_working_days(d, n)`` is the date n working days after d (d itself not counted;
n = 0 gives d). ``working_days_between(a, b)`` counts the working days in (a, b], negative when
b is before a, so ``working_days_between(a, add_working_days(a, n)) == n`` for n >= 0, and for
negative n when a is itself a working day (counting back from a holiday, the first working day
before it is one step back, but (b, a] holds no working day at a's end). The tests check both.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from campaign.models import CalendarDay, CalendarYear


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _base_is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


class WorkCalendar:
    """Answers workday questions for a date range with the overrides read once (batch use)."""

    def __init__(self, start: date, end: date):
        self.start, self.end = min(start, end), max(start, end)
        rows = CalendarDay.objects.filter(date__range=(self.start, self.end)).values_list("date", "kind")
        self.overrides = {d: kind == CalendarDay.Kind.WORKDAY for d, kind in rows}

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _base_is_workday(day)

    def add(self, start: date, n: int) -> date:
        day, step, left = start, (1 if n >= 0 else -1), abs(n)
        while left:
            day += timedelta(days=step)
            if self.is_workday(day):
                left -= 1
        return day

    def between(self, a: date, b: date) -> int:
        if b < a:
            return -self.between(b, a)
        return sum(1 for i in range(1, (b - a).days + 1) if self.is_workday(a + timedelta(days=i)))


def _span(n: int) -> int:
    # Enough calendar days to hold n working days plus the longest holiday runs of a year.
    return abs(n) * 2 + 40


def is_workday(day: date) -> bool:
    return WorkCalendar(day, day).is_workday(day)


def add_working_days(start: date, n: int) -> date:
    end = start + timedelta(days=_span(n) if n >= 0 else -_span(n))
    calendar = WorkCalendar(start, end)
    result = calendar.add(start, n)
    if (n >= 0 and result > calendar.end) or (n < 0 and result < calendar.start):
        return WorkCalendar(start, result).add(start, n)  # unusually long override run: reload
    return result


def working_days_between(a: date, b: date) -> int:
    return WorkCalendar(a, b).between(a, b)


def missing_calendar_years(today: date) -> list[int]:
    """Years the office should enter holidays for: this year, and next year from November on,
    when the package does not know them and the office has not confirmed their notice as entered."""
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    unknown = [year for year in years if not package_knows(year)]
    if not unknown:
        return []
    confirmed = set(CalendarYear.objects.filter(year__in=unknown).values_list("year", flat=True))
    return [year for year in unknown if year not in confirmed]
