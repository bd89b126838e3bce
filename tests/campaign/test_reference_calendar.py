"""工作日历: office staff enter holiday overrides; the banner asks for a year nobody has entered."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from campaign.models import CalendarDay, CalendarYear, Event, OutboxJob
from campaign.models.workdays import is_workday

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
def test_banner_asks_office_staff_for_next_years_holidays_until_the_whole_notice_is_confirmed(client_for,
                                                                                              office_clerk):
    client = client_for(office_clerk)
    page = client.get(reverse("home")).content.decode()
    assert BANNER in page and reverse("reference:calendar") + "?year=2027" in page
    # One date is not the notice: Spring Festival may still be missing.
    client.post(reverse("reference:calendar_add"), {"start": "2027-01-01", "kind": "holiday", "note": "元旦"})
    assert BANNER in client.get(reverse("home")).content.decode()
    calendar = client.get(reverse("reference:calendar"), {"year": 2027}).content.decode()
    assert "尚未确认完整录入" in calendar and "确认 2027 年放假安排已完整录入</button>" in calendar
    client.post(reverse("reference:calendar_confirm"), {"year": "2027"})
    assert BANNER not in client.get(reverse("home")).content.decode()


@time_machine.travel(NOVEMBER_2026, tick=False)
def test_confirming_a_year_is_recorded_and_audited(client_for, office_clerk):
    client = client_for(office_clerk)
    client.post(reverse("reference:calendar_add"), {"start": "2027-02-06", "end": "2027-02-12", "kind": "holiday",
                                                    "note": "春节"})
    response = client.post(reverse("reference:calendar_confirm"), {"year": "2027"})
    assert response.status_code == 302 and response.url.endswith("?year=2027")
    confirmed = CalendarYear.objects.get(year=2027)
    assert confirmed.confirmed_by == office_clerk
    event = Event.objects.get(verb="calendar.confirm_year")
    assert event.actor == office_clerk and "2027" in event.summary and "7 天" in event.summary
    page = client.get(reverse("reference:calendar"), {"year": 2027}).content.decode()
    assert "已确认完整录入" in page and "周文明" in page
    assert 'data-testid="calendar-confirm"' not in page  # no second confirmation button


@time_machine.travel(NOVEMBER_2026, tick=False)
def test_a_year_with_nothing_entered_cannot_be_confirmed(client_for, office_clerk):
    client = client_for(office_clerk)
    response = client.post(reverse("reference:calendar_confirm"), {"year": "2027"}, follow=True)
    assert "尚未录入2027年的任何放假或调休日期" in response.content.decode()
    known = client.post(reverse("reference:calendar_confirm"), {"year": "2026"}, follow=True)
    assert "2026年的放假安排已内置" in known.content.decode()
    bad = client.post(reverse("reference:calendar_confirm"), {"year": "二〇二七"}, follow=True)
    assert "请选择要确认的年份" in bad.content.decode()
    assert not CalendarYear.objects.exists() and not Event.objects.exists()


def test_only_office_staff_confirm_a_year(client_for, liaison_a, leader, inspector):
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", note="元旦")
    for user in (liaison_a, leader, inspector):
        assert client_for(user).post(reverse("reference:calendar_confirm"), {"year": "2027"}).status_code == 403
    assert not CalendarYear.objects.exists()


def test_a_calendar_change_queues_the_deadline_recount(client_for, office_clerk):
    client = client_for(office_clerk)
    client.post(reverse("reference:calendar_add"), {"start": "2027-02-06", "end": "2027-02-12", "kind": "holiday",
                                                    "note": "春节"})
    job = OutboxJob.objects.get()
    assert job.name == "tasks.recalculate_deadlines" and job.args == ["2027-02-06", "2027-02-12"]
    page = client.get(reverse("reference:calendar"), {"year": 2027}).content.decode()
    assert "期限计算立即按新日历执行" not in page and "整改期限将随即按新日历重新计算" in page
    day = CalendarDay.objects.get(date=date(2027, 2, 8))
    client.post(reverse("reference:calendar_delete", args=[day.pk]))
    assert list(OutboxJob.objects.order_by("pk").values_list("args", flat=True)) == [
        ["2027-02-06", "2027-02-12"], ["2027-02-08", "2027-02-08"]]
    client.post(reverse("reference:calendar_add"), {"start": "2027-02-06", "kind": "holiday", "note": "春节"})
    assert OutboxJob.objects.count() == 2  # nothing changed, nothing to recount


@time_machine.travel(NOVEMBER_2026, tick=False)
def test_banner_is_not_shown_to_other_roles(client_for, liaison_a, leader, inspector):
    for user in (liaison_a, leader, inspector):
        assert BANNER not in client_for(user).get(reverse("home")).content.decode()


@time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_no_banner_while_the_year_is_known(client_for, office_clerk):
    assert "法定节假日安排" not in client_for(office_clerk).get(reverse("home")).content.decode()
