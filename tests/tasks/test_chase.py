"""The chase ladder (临期提醒 → 催办通知 → 通报) with a frozen clock across the 2026 National Day week.

The 2026 calendar around it (State Council notice, as chinese_calendar knows it): 25–27 Sep
中秋 holidays, 1–7 Oct 国庆 holidays, Saturday 10 Oct a make-up working day (调休上班).
A task due Wednesday 30 Sep therefore gets its reminder on Tue 29 Sep, its 催办 on Thu 8 Oct
(the first working day after the due date, not during the holiday) and its 通报 entry three
working days later, on Mon 12 Oct (8 → 9 → Sat 10 → 12).
"""

from datetime import date

import pytest
from django.conf import settings

from campaign.models import Event, Notification
from tasks.jobs import run_chase_ladder
from tasks.models import ChaseNotice, RectificationTask, State
from tasks.services import task_transition
from tasks.services.chase import chase_run

from .ladder_kit import days, reference, task_due, travel

DUE = date(2026, 9, 30)


@pytest.fixture
def ref(db):
    return reference()


def ladder_days(start, end):
    """Run the job every calendar day (as beat does) and return {kind: [days it issued]}."""
    issued = {}
    for day in days(start, end):
        with travel(day):
            counts = run_chase_ladder()
        for kind, count in counts.items():
            if count:
                issued.setdefault(kind, []).append(day)
    return issued


def test_ladder_across_national_day_issues_each_step_on_the_right_working_day(
    ref, city, office_clerk, leader, liaison_a, head_a
):
    task = task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE, leader=leader)

    issued = ladder_days(date(2026, 9, 20), date(2026, 10, 20))

    assert issued == {
        "reminder": [date(2026, 9, 29)],
        "urge": [date(2026, 10, 8)],
        "bulletin": [date(2026, 10, 12)],
    }
    numbers = dict(task.chase_notices.values_list("kind", "number"))
    assert numbers == {"reminder": "创文办提〔2026〕1号", "urge": "创文办催〔2026〕1号", "bulletin": "创文办通〔2026〕1号"}


def test_nothing_is_issued_on_holidays_or_weekends(ref, city, office_clerk, leader):
    task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE, leader=leader)
    for day in days(date(2026, 10, 1), date(2026, 10, 7)):
        with travel(day):
            assert run_chase_ladder() == {}
    assert not ChaseNotice.objects.exists()


def test_each_step_tells_the_right_people(ref, city, office_clerk, leader, liaison_a, head_a):
    task = task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE, leader=leader)
    Notification.objects.all().delete()  # drop the 交办 messages

    ladder_days(date(2026, 9, 29), date(2026, 9, 29))
    assert [n.title for n in liaison_a.notifications.all()] == [f"临期提醒 创文办提〔2026〕1号：{task.number} {task.title}"]
    assert not head_a.notifications.exists() and not leader.notifications.exists()

    ladder_days(date(2026, 10, 8), date(2026, 10, 8))
    assert head_a.notifications.filter(title__startswith="催办通知 创文办催〔2026〕1号").count() == 1
    assert leader.notifications.filter(title__startswith="催办通知 创文办催〔2026〕1号").count() == 1  # the copy
    assert liaison_a.notifications.count() == 1  # the head is the addressee, not the liaison
    notice = task.chase_notices.get(kind="urge")
    assert head_a.notifications.get(title__startswith="催办").url == f"/tasks/chase/{notice.pk}/"

    ladder_days(date(2026, 10, 12), date(2026, 10, 12))
    assert head_a.notifications.filter(title__startswith="通报").count() == 1
    assert leader.notifications.filter(title__startswith="通报").count() == 1


def test_a_unit_without_head_gets_urge_at_its_liaison(ref, city, office_clerk, liaison_b):
    task_due(ref, actor=office_clerk, unit=city.unit_b, due=DUE)
    Notification.objects.all().delete()
    ladder_days(date(2026, 10, 8), date(2026, 10, 8))
    assert liaison_b.notifications.filter(title__startswith="催办通知").count() == 1


def test_many_notices_make_one_message_per_person(ref, city, office_clerk, leader, head_a):
    for i in range(4):
        task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE, leader=leader, title=f"问题{i}")
    Notification.objects.all().delete()
    ladder_days(date(2026, 10, 8), date(2026, 10, 8))
    message = head_a.notifications.get()
    assert message.title == "催办通知：4 件整改任务（创文办催〔2026〕1号 等）"
    assert message.body.count("创文办催〔2026〕") == 4
    assert "kind=urge" in message.url and "date_from=2026-10-08" in message.url


def test_running_twice_sends_nothing_twice(ref, city, office_clerk, leader, head_a):
    task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE, leader=leader)
    with travel(date(2026, 10, 12)):
        first = run_chase_ladder()
        counts = (ChaseNotice.objects.count(), Notification.objects.count(), Event.objects.count())
        second = run_chase_ladder()
    # A job that missed 8 Oct catches up: the 催办 and the 通报 both go out on the 12th, once.
    assert first == {"reminder": 0, "urge": 1, "bulletin": 1}
    assert second == {"reminder": 0, "urge": 0, "bulletin": 0}
    assert (ChaseNotice.objects.count(), Notification.objects.count(), Event.objects.count()) == counts


def test_an_extension_restarts_the_ladder(ref, city, office_clerk, leader, liaison_a, head_a):
    task = task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE, leader=leader)
    ladder_days(date(2026, 9, 28), date(2026, 9, 29))  # reminder for the 30 Sep deadline
    with travel(date(2026, 9, 29), 14):
        task_transition(task=task, actor=liaison_a, action="sign")
        task_transition(task=task, actor=liaison_a, action="request_extension", note="需协调交警部门施划停车位",
                        proposed_date=date(2026, 10, 16))
        task_transition(task=task, actor=office_clerk, action="approve_extension", note="同意")
    task.refresh_from_db()
    assert task.due_date == date(2026, 10, 16) and task.state == State.IN_PROGRESS

    issued = ladder_days(date(2026, 9, 30), date(2026, 10, 31))

    # New deadline Fri 16 Oct: reminder Thu 15, 催办 Mon 19, 通报 Thu 22; nothing for the old one.
    assert issued == {"reminder": [date(2026, 10, 15)], "urge": [date(2026, 10, 19)], "bulletin": [date(2026, 10, 22)]}
    rows = list(task.chase_notices.order_by("kind", "due_date").values_list("kind", "due_date", "number"))
    assert rows == [
        ("bulletin", date(2026, 10, 16), "创文办通〔2026〕1号"),
        ("reminder", DUE, "创文办提〔2026〕1号"),
        ("reminder", date(2026, 10, 16), "创文办提〔2026〕2号"),
        ("urge", date(2026, 10, 16), "创文办催〔2026〕1号"),
    ]


@pytest.mark.parametrize("state", [State.PARKED, State.CLOSED, State.REBOUND, State.SUBMITTED,
                                   State.EXTENSION_REQUESTED, State.RETURNED_BY_UNIT])
def test_tasks_not_in_the_units_hands_are_skipped(ref, city, office_clerk, state):
    task = task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE)
    RectificationTask.objects.filter(pk=task.pk).update(state=state, park_review_date=date(2026, 12, 1))
    issued = ladder_days(date(2026, 9, 28), date(2026, 10, 20))
    assert issued == {}


@pytest.mark.parametrize("state", [State.ASSIGNED, State.IN_PROGRESS, State.REWORK])
def test_tasks_the_unit_owes_are_chased(ref, city, office_clerk, state):
    task = task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE)
    RectificationTask.objects.filter(pk=task.pk).update(state=state)
    with travel(date(2026, 10, 12)):
        assert run_chase_ladder() == {"reminder": 0, "urge": 1, "bulletin": 1}


def test_numbers_are_sequential_per_kind_and_year_without_gaps(ref, city, office_clerk, leader):
    for i in range(5):
        task_due(ref, actor=office_clerk, unit=city.unit_a if i % 2 else city.unit_b, due=DUE, title=f"问题{i}")
    ladder_days(date(2026, 10, 8), date(2026, 10, 8))
    task_due(ref, actor=office_clerk, unit=city.unit_a, due=date(2026, 10, 9), title="后来的问题")
    ladder_days(date(2026, 10, 12), date(2026, 10, 12))
    # A new year starts again at 1: the package does not know 2027, so Mon–Fri applies.
    task_due(ref, actor=office_clerk, unit=city.unit_a, due=date(2026, 12, 30), title="跨年的问题")
    ladder_days(date(2027, 1, 4), date(2027, 1, 4))

    seqs = {}
    for kind, year, seq in ChaseNotice.objects.values_list("kind", "year", "seq"):
        seqs.setdefault((kind, year), []).append(seq)
    assert {key: sorted(value) for key, value in seqs.items()} == {
        ("urge", 2026): [1, 2, 3, 4, 5, 6],
        ("bulletin", 2026): [1, 2, 3, 4, 5],
        ("urge", 2027): [1],
        ("bulletin", 2027): [1],
    }
    assert ChaseNotice.objects.get(kind="urge", task__title="跨年的问题").number == "创文办催〔2027〕1号"


def test_every_notice_has_an_audit_event(ref, city, office_clerk, leader):
    task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE, leader=leader)
    ladder_days(date(2026, 10, 12), date(2026, 10, 12))
    notices = ChaseNotice.objects.all()
    # First run on 12 Oct, past both steps of a task due 30 Sep: its 催办 and its 通报 (the loop below
    # would pass on no notices at all).
    assert sorted(notices.values_list("kind", flat=True)) == ["bulletin", "urge"]
    for notice in notices:
        event = Event.objects.for_object(notice).get()
        assert event.actor is None and event.unit == city.unit_a
        assert notice.number in event.summary and event.verb == f"chase.{notice.kind}"


def test_one_run_costs_the_same_queries_for_many_tasks(ref, city, office_clerk, leader, head_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_a_run(day, how_many):
        for i in range(how_many):
            task_due(ref, actor=office_clerk, unit=city.unit_a if i % 2 else city.unit_b, due=DUE, title=f"问题{i}")
        with travel(day), CaptureQueriesContext(connection) as run:
            counts = chase_run()
        RectificationTask.objects.all().delete()
        return counts, len(run.captured_queries)

    queries_for_a_run(date(2026, 10, 12), 2)  # first of the year: the counters are created
    few, few_queries = queries_for_a_run(date(2026, 10, 13), 2)
    many, many_queries = queries_for_a_run(date(2026, 10, 14), 60)
    assert few == {"reminder": 0, "urge": 2, "bulletin": 2} and many == {"reminder": 0, "urge": 60, "bulletin": 60}
    assert many_queries == few_queries


def test_the_job_runs_every_morning_from_beat():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "tasks.run_chase_ladder")
    schedule = entry["schedule"]
    assert schedule.hour == {8} and schedule.minute == {30}
    assert settings.CHASE_REMINDER_WORKDAYS == 1 and settings.CHASE_BULLETIN_WORKDAYS == 3


def test_reminder_and_bulletin_lags_follow_settings(ref, city, office_clerk, settings):
    settings.CHASE_REMINDER_WORKDAYS = 2
    settings.CHASE_BULLETIN_WORKDAYS = 1
    task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE)
    issued = ladder_days(date(2026, 9, 20), date(2026, 10, 20))
    assert issued == {"reminder": [date(2026, 9, 28)], "urge": [date(2026, 10, 8)], "bulletin": [date(2026, 10, 9)]}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_issue_each_notice_once(city, office_clerk, head_a):
    """Two workers picking up the job together: the per-kind lock makes the second wait and find
    nothing left, so numbers stay unique and gap-free (and nothing fails)."""
    import threading

    from django.db import connection

    ref = reference()
    for i in range(5):
        task_due(ref, actor=office_clerk, unit=city.unit_a, due=DUE, title=f"问题{i}")
    results, errors = [], []

    def run():
        try:
            results.append(chase_run(today=date(2026, 10, 12)))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r["urge"] for r in results) == [0, 5]
    assert sorted(ChaseNotice.objects.filter(kind="urge").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
