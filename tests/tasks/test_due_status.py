"""Sign-by never falls after due-by, hour limits are counted in hours, and the deadline hint and the
light are decided together, so a page never says "still time" beside a red dot or "overdue" beside
a green one.

Friday 4 Dec 2026 is a working day; 5–6 Dec is a weekend; Monday 7 Dec is a working day."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from campaign.models import Notification, TimeLimit
from campaign.models.workdays import WorkCalendar
from tasks.models import Light, RectificationTask

from ..factories import make_task
from .ladder_kit import at, days, reference, travel

FRIDAY, SATURDAY, SUNDAY, MONDAY = date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7)


@pytest.fixture
def ref(db):
    return reference()


@pytest.fixture
def hours24(db):
    return TimeLimit.objects.get(name="24小时")


def hand_over(ref, clerk, unit, limit, when: datetime, due: date | None = None):
    return make_task(ref, actor=clerk, unit=unit, time_limit=limit, due=due, title="广场垃圾桶满溢", source="巡查",
                     assigned_at=when)


def status_at(task, now: datetime):
    calendar = WorkCalendar(min(now.date(), task.due_date), max(now.date(), task.due_date))
    return task.due_status(calendar, now)


def test_a_24_hour_task_handed_over_on_friday_must_be_signed_before_it_is_due(ref, city, office_clerk, liaison_a,
                                                                              hours24):
    task = hand_over(ref, office_clerk, city.unit_a, hours24, at(FRIDAY, 10, 0))
    assert task.due_date == SATURDAY
    assert task.due_at == at(SATURDAY, 10, 0)
    assert task.sign_due <= task.due_date
    notice = Notification.objects.get(recipient=liaison_a)
    assert notice.body == "请于 2026-12-05 10:00 前签收，整改期限 2026-12-05 10:00。"


def test_sign_by_is_the_next_working_day_when_the_deadline_is_further_away(ref, city, office_clerk, liaison_a):
    task = hand_over(ref, office_clerk, city.unit_a, ref.days5, at(FRIDAY, 10, 0))
    assert task.sign_due == MONDAY and task.due_at is None
    assert Notification.objects.get(recipient=liaison_a).body == "请于 2026-12-07 前签收，整改期限 2026-12-11。"


def test_a_same_day_task_is_signed_for_the_same_day(ref, city, office_clerk):
    task = hand_over(ref, office_clerk, city.unit_a, TimeLimit.objects.get(name="立即"), at(FRIDAY, 10, 0))
    assert task.sign_due == task.due_date == FRIDAY


def test_hour_limits_are_counted_in_hours_and_the_light_agrees(ref, city, office_clerk, hours24):
    task = hand_over(ref, office_clerk, city.unit_a, hours24, at(FRIDAY, 10, 0))
    soon = status_at(task, at(FRIDAY, 15, 0))
    # No working day is left before the deadline: near the deadline, whatever the yellow lead.
    assert (soon.light, soon.text) == (Light.YELLOW, "还剩 19 小时")
    late = status_at(task, at(SATURDAY, 13, 0))
    assert (late.light, late.text) == (Light.RED, "超期 3 小时")
    very_late = status_at(task, at(MONDAY, 12, 0))
    assert (very_late.light, very_late.text) == (Light.RED, "超期 2 天 2 小时")


def test_the_hour_deadline_turns_red_in_sql_at_the_same_moment(ref, city, office_clerk, hours24):
    task = hand_over(ref, office_clerk, city.unit_a, hours24, at(FRIDAY, 10, 0))
    for now in (at(SATURDAY, 9, 59), at(SATURDAY, 10, 0), at(SATURDAY, 10, 1), at(SUNDAY, 0, 1)):
        sql = RectificationTask.objects.with_light(now.date(), now=now).values_list("light_code", flat=True).get(
            pk=task.pk)
        assert sql == status_at(task, now).light == task.light_on(now.date(), now=now), now
        assert RectificationTask.objects.lit(sql, now.date(), now=now).filter(pk=task.pk).exists()
    assert RectificationTask.objects.overdue(SATURDAY, now=at(SATURDAY, 10, 1)).filter(pk=task.pk).exists()


def test_no_green_light_when_no_working_day_is_left(ref, city, office_clerk):
    """A date due on a Sunday with no yellow lead: Friday is the last working day, so it is yellow,
    and the hint does not claim "还剩 0 个工作日"."""
    TimeLimit.objects.filter(pk=ref.fixed.pk).update(yellow_workdays=0)
    ref.fixed.refresh_from_db()
    task = hand_over(ref, office_clerk, city.unit_a, ref.fixed, at(date(2026, 11, 30), 10, 0), due=SUNDAY)
    assert task.yellow_from == FRIDAY
    thursday = status_at(task, at(date(2026, 12, 3), 9))
    assert (thursday.light, thursday.text) == (Light.GREEN, "还剩 1 个工作日")
    friday = status_at(task, at(FRIDAY, 9))
    assert friday.light == Light.YELLOW and "0 个工作日" not in friday.text
    assert friday.text == "还剩 2 天（均为休息日）"


def test_the_yellow_lead_counts_working_days_left_before_a_deadline_on_a_rest_day(ref, city, office_clerk):
    """“距期限不超过 N 个工作日时亮黄灯”: with N = 1 and the deadline on Sunday, Thursday (one working
    day, Friday, left) is already yellow."""
    TimeLimit.objects.filter(pk=ref.fixed.pk).update(yellow_workdays=1)
    ref.fixed.refresh_from_db()
    task = hand_over(ref, office_clerk, city.unit_a, ref.fixed, at(date(2026, 11, 30), 10, 0), due=SUNDAY)
    assert task.yellow_from == date(2026, 12, 3)
    for day in days(date(2026, 11, 30), date(2026, 12, 8)):
        status = status_at(task, at(day, 9))
        left = WorkCalendar(day, SUNDAY).between(day, SUNDAY)
        expected = Light.RED if day > SUNDAY else Light.YELLOW if left <= 1 else Light.GREEN
        assert status.light == expected, day


def test_a_task_past_due_is_red_and_says_so(ref, city, office_clerk):
    task = hand_over(ref, office_clerk, city.unit_a, ref.fixed, at(date(2026, 11, 30), 10, 0), due=FRIDAY)
    saturday = status_at(task, at(SATURDAY, 9))
    assert (saturday.light, saturday.text) == (Light.RED, "超期 1 天")
    tuesday = status_at(task, at(date(2026, 12, 8), 9))
    assert (tuesday.light, tuesday.text) == (Light.RED, "超期 2 个工作日")


def test_task_page_and_list_show_the_hour_deadline_with_its_light(ref, city, office_clerk, hours24, client_for):
    task = hand_over(ref, office_clerk, city.unit_a, hours24, at(FRIDAY, 10, 0))
    with travel(SATURDAY, 13, 0):
        client = client_for(office_clerk)
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
        listing = client.get(reverse("tasks:index")).content.decode()
    assert "2026-12-05 10:00" in page and "超期 3 小时" in page
    assert 'data-light="red"' in page
    row = listing[listing.index(f'data-number="{task.number}"'):]
    row = row[: row.index("</tr>")]
    assert 'data-light="red"' in row and "超期 3 小时" in row and "2026-12-05 10:00" in row


def test_the_create_form_proposes_an_hour_deadline_with_its_time(ref, office_clerk, hours24, client_for):
    with travel(FRIDAY, 10, 0):
        hint = client_for(office_clerk).get(reverse("tasks:due_hint"), {"time_limit": hours24.pk}).content.decode()
    assert "2026-12-05 10:00" in hint and "按小时计" in hint
