"""The working-day engine: the State Council calendar (chinese_calendar) plus office overrides."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from campaign.models import CalendarDay, CalendarYear
from campaign.models.workdays import (
    add_working_days,
    is_workday,
    missing_calendar_years,
    package_knows,
    working_days_between,
)

pytestmark = pytest.mark.django_db

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 10, 31))


def test_engine_agrees_with_chinese_calendar_on_every_day_of_2024_to_2026():
    day, disagreements = date(2024, 1, 1), []
    while day <= date(2026, 12, 31):
        if is_workday(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


def test_known_holidays_and_make_up_days():
    assert not is_workday(date(2026, 10, 1))  # 国庆节
    assert not is_workday(date(2025, 1, 29))  # 春节
    assert is_workday(date(2025, 1, 26))  # a Sunday worked for the Spring Festival (调休上班)
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)  # across the National Day week


@PROPERTY
@given(start=DATES, n=st.integers(min_value=0, max_value=60))
def test_between_counts_back_what_add_added(db, start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@PROPERTY
@given(start=DATES, n=st.integers(min_value=1, max_value=30))
def test_counting_back_from_a_working_day_is_the_inverse_too(db, start, n):
    assume(is_workday(start))
    earlier = add_working_days(start, -n)
    assert earlier < start and is_workday(earlier)
    assert working_days_between(start, earlier) == -n


@PROPERTY
@given(start=DATES, n=st.integers(min_value=1, max_value=60))
def test_adding_working_days_lands_on_a_working_day(db, start, n):
    due = add_working_days(start, n)
    assert due > start and is_workday(due)


@PROPERTY
@given(start=DATES, n=st.integers(min_value=0, max_value=40), extra=st.integers(min_value=1, max_value=20))
def test_more_working_days_means_a_later_date(db, start, n, extra):
    assert add_working_days(start, n) < add_working_days(start, n + extra)


@settings(PROPERTY, max_examples=40)
@given(a=DATES, b=DATES)
def test_between_is_antisymmetric(db, a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)


@pytest.fixture
def overrides(db):
    """A made-up holiday run on working days and a make-up Saturday, as an office would enter them."""
    for offset in range(3):
        CalendarDay.objects.create(date=date(2026, 3, 10) + timedelta(days=offset), kind=CalendarDay.Kind.HOLIDAY)
    CalendarDay.objects.create(date=date(2026, 3, 14), kind=CalendarDay.Kind.WORKDAY)
    CalendarDay.objects.create(date=date(2027, 2, 11), kind=CalendarDay.Kind.HOLIDAY)


@PROPERTY
@given(start=st.dates(min_value=date(2026, 2, 1), max_value=date(2027, 3, 31)), n=st.integers(-20, 40))
def test_properties_hold_with_overrides(overrides, start, n):
    assume(n >= 0 or is_workday(start))
    due = add_working_days(start, n)
    assert working_days_between(start, due) == n
    if n != 0:
        assert is_workday(due)


def test_an_override_takes_effect_immediately():
    tuesday, saturday = date(2026, 3, 10), date(2026, 3, 14)
    assert is_workday(tuesday) and not is_workday(saturday)
    assert add_working_days(date(2026, 3, 9), 1) == tuesday
    holiday = CalendarDay.objects.create(date=tuesday, kind=CalendarDay.Kind.HOLIDAY, note="临时放假")
    assert not is_workday(tuesday)
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 11)
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKDAY, note="调休上班")
    assert is_workday(saturday)
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 15)) == 4
    holiday.delete()
    assert is_workday(tuesday)


def test_a_year_the_package_does_not_know_falls_back_to_monday_to_friday():
    assert not package_knows(2027) and package_knows(2026)
    assert is_workday(date(2027, 1, 1))  # a Friday: really 元旦, unknown until the office enters it
    assert not is_workday(date(2027, 1, 2))
    assert add_working_days(date(2027, 1, 1), 1) == date(2027, 1, 4)
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, note="元旦")
    assert not is_workday(date(2027, 1, 1))


def test_missing_years_are_asked_for_from_november():
    assert missing_calendar_years(date(2026, 10, 31)) == []
    assert missing_calendar_years(date(2026, 11, 1)) == [2027]
    assert missing_calendar_years(date(2027, 3, 1)) == [2027]
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY)
    assert missing_calendar_years(date(2026, 11, 1)) == [2027]  # one date is not the whole notice
    CalendarYear.objects.create(year=2027)
    assert missing_calendar_years(date(2026, 11, 1)) == []
