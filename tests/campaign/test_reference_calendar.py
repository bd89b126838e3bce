"""工作日历: office staff enter holiday overrides; the banner asks for a year nobody has entered."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from campaign.models import CalendarDay, Event
from campaign.workdays import is_workday

pytestmark = pytest.mark.django_db

NOVEMBER_2026 = datetime(2026, 11, 16, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BANNER = "系统尚未录入2027年法定节假日安排，期限将按周一至周五计算，请在工作日历中录入"


def test_anonymous_users_are_sent_to_login(client):
    for url in [reverse("reference:calendar"), reverse("reference:calendar_add"),
                reverse("reference:calendar_delete", args=[1])]:
        response = client.post(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_only_office_staff_use_the_calendar(client_for, liaison_a, leader, inspector):
    day = CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", note="元旦")
    for user in (liaison_a, leader, inspector):
        client = client_for(user)
        assert client.get(reverse("reference:calendar")).status_code == 403
        assert client.post(reverse("reference:calendar_add"), {"start": "2027-01-02", "kind": "holiday"}).status_code == 403
        assert client.post(reverse("reference:calendar_delete", args=[day.pk])).status_code == 403
    assert list(CalendarDay.objects.all()) == [day]


def test_office_sees_the_year_as_a_month_grid(client_for, office_clerk):
    response = client_for(office_clerk).get(reverse("reference:calendar"), {"year": 2026})
    page = response.content.decode()
    assert response.context["package_knows"] and "已内置" in page
    assert 'data-date="2026-10-01" data-workday="0"' in page
    assert 'data-date="2026-09-30" data-workday="1"' in page
    october = response.context["months"][9]
    assert october["workdays"] == 18


def test_office_enters_a_holiday_run_and_it_counts_at_once(client_for, office_clerk):
    client = client_for(office_clerk)
    response = client.post(reverse("reference:calendar_add"),
                           {"start": "2027-02-05", "end": "2027-02-11", "kind": "holiday", "note": "春节"})
    assert response.status_code == 302 and response.url.endswith("?year=2027")
    assert CalendarDay.objects.filter(kind="holiday").count() == 7
    assert not is_workday(date(2027, 2, 8))
    client.post(reverse("reference:calendar_add"), {"start": "2027-02-13", "kind": "workday", "note": "春节调休上班"})
    assert is_workday(date(2027, 2, 13))
    assert Event.objects.filter(verb="calendar.set").count() == 8
    page = client.get(reverse("reference:calendar"), {"year": 2027}).content.decode()
    assert "春节调休上班" in page and 'data-date="2027-02-08" data-workday="0"' in page
    assert "由创文办录入（8 天调整）" in page


def test_office_deletes_an_override_with_an_audit_event(client_for, office_clerk):
    day = CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", note="元旦")
    assert not is_workday(date(2027, 1, 1))
    response = client_for(office_clerk).post(reverse("reference:calendar_delete", args=[day.pk]))
    assert response.status_code == 302 and not CalendarDay.objects.exists()
    assert is_workday(date(2027, 1, 1))
    assert Event.objects.get(verb="calendar.delete").actor == office_clerk


def test_bad_calendar_input_changes_nothing(client_for, office_clerk):
    client = client_for(office_clerk)
    backwards = client.post(reverse("reference:calendar_add"), {"start": "2027-02-10", "end": "2027-02-01",
                                                                 "kind": "holiday"})
    assert backwards.status_code == 400 and "结束日期不能早于开始日期" in backwards.content.decode()
    too_long = client.post(reverse("reference:calendar_add"), {"start": "2027-01-01", "end": "2027-03-01",
                                                                "kind": "holiday"})
    assert "一次最多录入 31 天" in too_long.content.decode()
    assert not CalendarDay.objects.exists() and not Event.objects.exists()


@time_machine.travel(NOVEMBER_2026, tick=False)
def test_banner_asks_office_staff_for_next_years_holidays(client_for, office_clerk):
    page = client_for(office_clerk).get(reverse("home")).content.decode()
    assert BANNER in page and reverse("reference:calendar") + "?year=2027" in page
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", note="元旦")
    assert BANNER not in client_for(office_clerk).get(reverse("home")).content.decode()


@time_machine.travel(NOVEMBER_2026, tick=False)
def test_banner_is_not_shown_to_other_roles(client_for, liaison_a, leader, inspector):
    for user in (liaison_a, leader, inspector):
        assert BANNER not in client_for(user).get(reverse("home")).content.decode()


@time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_no_banner_while_the_year_is_known(client_for, office_clerk):
    assert "法定节假日安排" not in client_for(office_clerk).get(reverse("home")).content.decode()
