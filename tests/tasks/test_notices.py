"""Who a task's steps tell: the person who must act next gets one notice; routine steps reach the
office (and the 分管领导) only through the daily digest."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from campaign.models import Notification
from tasks import jobs
from tasks.services import digest, task_transition

from ..factories import make_task, person
from .lifecycle_kit import later, photo_upload, reference

BEIJING = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 12, 3)  # a Thursday


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def everyone(city, office_clerk, liaison_a, head_a, liaison_b, leader, inspector, media):
    clerk2 = person("clerk2", "office", city.office, "吴敏")
    bureau_liaison = person("bureau_liaison", "liaison", city.bureau, "郑凯")
    return [office_clerk, clerk2, liaison_a, head_a, liaison_b, leader, inspector, bureau_liaison]


def news(everyone, before: dict) -> dict[str, list[str]]:
    """Who got which new notices since ``before`` (a snapshot of the latest notice id)."""
    got = {}
    for user in everyone:
        titles = list(Notification.objects.filter(recipient=user, pk__gt=before["id"]).values_list("title", flat=True))
        if titles:
            got[user.username] = titles
    return got


def mark():
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    return {"id": last or 0}


def act(task, user, action, **kwargs):
    return task_transition(task=task, actor=user, action=action, **kwargs)


def test_signing_tells_nobody_at_the_office(city, everyone, office_clerk, liaison_a, leader):
    task = make_task(reference(city, leader=leader), actor=office_clerk, unit=city.unit_a, leader=leader)
    before = mark()
    act(task, liaison_a, "sign")
    assert news(everyone, before) == {}
    assert not Notification.objects.filter(recipient__memberships__role="office").exists()


def test_each_step_tells_exactly_the_person_who_must_act(city, everyone, office_clerk, liaison_a, head_a,
                                                        leader, inspector):
    ref = reference(city, leader=leader)
    before = mark()
    task = make_task(ref, actor=office_clerk, unit=city.unit_a, leader=leader, assisting=[city.bureau])
    assert set(news(everyone, before)) == {"liaison_a", "bureau_liaison"}  # not the head, leader or office

    steps = [
        (liaison_a, "sign", {}, set()),
        (liaison_a, "request_extension", {"note": "施工", "proposed_date": later(30)}, {"clerk"}),
        (office_clerk, "approve_extension", {}, {"liaison_a"}),
        (liaison_a, "request_extension", {"note": "再延", "proposed_date": later(40)}, {"leader"}),
        (leader, "refuse_extension", {"note": "按期完成"}, {"liaison_a"}),
        (liaison_a, "submit", {"note": "已整改", "files": [photo_upload()]}, {"clerk"}),
        (inspector, "reject", {"note": "仍有车辆"}, {"liaison_a"}),
        (liaison_a, "submit", {"note": "已加护栏", "files": [photo_upload("b.jpg")]}, {"clerk"}),
        (inspector, "approve", {}, {"liaison_a"}),
    ]
    for actor, action, inputs, told in steps:
        before = mark()
        act(task, actor, action, **inputs)
        got = news(everyone, before)
        assert set(got) == told, action
        assert all(len(titles) == 1 for titles in got.values()), action


def test_a_return_request_goes_to_the_office_clerk_who_handed_it_over(city, everyone, office_clerk, liaison_a,
                                                                      liaison_b, leader):
    task = make_task(reference(city, leader=leader), actor=office_clerk, unit=city.unit_a, leader=leader)
    before = mark()
    act(task, liaison_a, "request_return", note="不属本街道")
    assert news(everyone, before) == {"clerk": [f"申请退回待处理：{task.number} {task.title}（湖滨街道）"]}
    before = mark()
    act(task, office_clerk, "reassign", new_unit=city.unit_b, note="改派江北街道")
    assert set(news(everyone, before)) == {"liaison_a", "liaison_b"}


def test_a_unit_without_a_liaison_is_told_through_its_head(city, office_clerk, leader, media):
    head_b = person("head_b", "unit_head", city.unit_b, "孙红")
    task = make_task(reference(city, leader=leader), actor=office_clerk, unit=city.unit_b)
    assert [n.title for n in Notification.objects.filter(recipient=head_b)] == [
        f"新交办任务待签收：{task.number} {task.title}"]


def at(hour: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=BEIJING)


def test_the_daily_digest_summarises_the_day_once(city, everyone, office_clerk, liaison_a, leader, inspector):
    ref = reference(city, leader=leader)
    with time_machine.travel(at(9, DAY - timedelta(days=3)), tick=False):
        early = make_task(ref, actor=office_clerk, unit=city.unit_a, leader=leader, title="早交办的问题")
    with time_machine.travel(at(9), tick=False):
        on_time = make_task(ref, actor=office_clerk, unit=city.unit_a, leader=leader, title="当天交办的问题")
        act(on_time, liaison_a, "sign")
        act(early, liaison_a, "sign")  # signing was due a working day after handing over: late
    with time_machine.travel(at(15), tick=False):
        act(on_time, liaison_a, "submit", note="已整改", files=[photo_upload()])
    with time_machine.travel(at(9, DAY + timedelta(days=1)), tick=False):
        act(on_time, inspector, "approve")  # the next day: not in this digest

    before = mark()
    assert digest.send_daily_digest(day=DAY) == 2
    got = news(everyone, before)
    assert set(got) == {"clerk", "leader"}
    office = Notification.objects.get(recipient=office_clerk, pk__gt=before["id"])
    assert office.title == "每日动态 2026-12-03：已签收 2 件、提交销号 1 件"
    assert "已签收 2 件（其中逾期签收 1 件）：" in office.body
    assert early.number in office.body and on_time.number in office.body
    assert "提交销号 1 件：" in office.body and "核查通过" not in office.body
    assert "交办" not in office.body  # the clerk's own step is not news to them
    to_leader = Notification.objects.get(recipient=leader, pk__gt=before["id"])
    assert "新交办 1 件：" in to_leader.body and "已签收 2 件" in to_leader.body

    assert digest.send_daily_digest(day=DAY) == 0  # a rerun (or a redelivered job) sends nothing
    assert Notification.objects.filter(pk__gt=before["id"]).count() == 2


def test_a_quiet_day_sends_no_digest(city, everyone, office_clerk, leader):
    with time_machine.travel(at(9), tick=False):
        make_task(reference(city, leader=leader), actor=office_clerk, unit=city.unit_a)
    before = mark()
    assert digest.send_daily_digest(day=DAY + timedelta(days=1)) == 0
    assert news(everyone, before) == {}


def test_the_digest_runs_every_morning_for_the_day_before(city, everyone, office_clerk, liaison_a, leader):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "tasks.send_daily_digest")
    assert entry["schedule"].hour == {7}
    with time_machine.travel(at(9), tick=False):
        task = make_task(reference(city, leader=leader), actor=office_clerk, unit=city.unit_a)
        act(task, liaison_a, "sign")
    with time_machine.travel(at(7, DAY + timedelta(days=1)), tick=False):
        jobs.send_daily_digest.apply()
    assert Notification.objects.get(recipient=office_clerk).title.startswith("每日动态 2026-12-03：已签收 1 件")
