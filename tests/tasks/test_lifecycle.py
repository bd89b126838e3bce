"""The 交办 → 签收 → 整改 → 核查 → 销号 lifecycle and its side roads, through the services."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from campaign.models import Event, Notification
from campaign.models.workdays import add_working_days
from tasks.models import ExtensionRequest, RectificationTask, State, TaskAction, TaskPhoto, TransitionError
from tasks.models import TransitionForbidden as Forbidden
from tasks.services import task_create, task_rebound, task_transition

from ..factories import make_task
from .lifecycle_kit import later, photo_upload, reference

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def ref(city, leader, media):
    return reference(city, leader=leader)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def task(ref, city, office_clerk, liaison_a, head_a, leader):
    return make_task(ref, actor=office_clerk, unit=city.unit_a, leader=leader, assisting=[city.bureau])


def act(task, user, action, **kwargs):
    return task_transition(task=task, actor=user, action=action, **kwargs)


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_creating_a_task_numbers_it_sets_working_day_deadlines_and_tells_the_unit(ref, city, office_clerk,
                                                                                   liaison_a, head_a, liaison_b):
    assigned = datetime(2026, 9, 29, 10, 0, tzinfo=BEIJING)  # Tuesday before 中秋/国庆 2026
    first = make_task(ref, actor=office_clerk, unit=city.unit_a, assigned_at=assigned)
    second = make_task(ref, actor=office_clerk, unit=city.unit_a, assigned_at=assigned, title="第二个问题")

    assert (first.number, second.number) == ("ZG-2026-00001", "ZG-2026-00002")
    assert first.state == State.ASSIGNED
    # 5 working days from Tue 29 Sep: 30 Sep, (1–7 Oct holiday), 8, 9, Sat 10 (调休上班), 12 Oct.
    assert first.due_date == date(2026, 10, 12)
    assert first.sign_due == date(2026, 9, 30)
    assert first.yellow_from == date(2026, 10, 10)  # 1 working day before the due date
    assert first.actions.get().action == "create"
    assert Event.objects.filter(verb="task.create", target_id=str(first.pk)).exists()
    assert any("ZG-2026-00001" in t for t in inbox(liaison_a))
    assert inbox(head_a) == []  # the liaison signs; the head hears of delays through the chase ladder
    assert inbox(liaison_b) == []


def test_a_fixed_date_limit_needs_a_date_and_an_edited_date_wins(ref, city, office_clerk):
    with pytest.raises(TransitionError, match="指定日期"):
        task_create(actor=office_clerk, title="x", source="督查", indicator=ref.street, lead_unit=city.unit_a,
                    time_limit=ref.fixed)
    edited = task_create(actor=office_clerk, title="x", source="督查", indicator=ref.street, lead_unit=city.unit_a,
                         time_limit=ref.days5, due_date=later(30))
    assert edited.due_date == later(30)
    assert RectificationTask.objects.count() == 1


def test_the_happy_path_sign_submit_return_resubmit_close(task, office_clerk, liaison_a, head_a):
    act(task, liaison_a, "sign")
    assert task.state == State.IN_PROGRESS and task.signed_by == liaison_a and not task.signed_late

    act(task, liaison_a, "submit", note="已清理并规范停放", files=[photo_upload()])
    assert task.state == State.SUBMITTED
    assert task.photos.filter(kind=TaskPhoto.Kind.AFTER).count() == 1
    assert any("提交销号" in t for t in inbox(office_clerk))

    act(task, office_clerk, "reject", note="东侧仍有车辆乱停")
    assert task.state == State.REWORK
    assert any("退回重改" in t for t in inbox(liaison_a))

    act(task, liaison_a, "submit", note="东侧已增设护栏", files=[photo_upload("again.jpg", (10, 10, 200))])
    act(task, office_clerk, "approve")
    assert task.state == State.CLOSED
    assert task.closed_on_time is True and task.verify_rounds == 2
    codes = list(task.actions.values_list("action", flat=True))
    assert codes == ["create", "sign", "submit", "reject", "submit", "approve"]
    assert Event.objects.filter(target_id=str(task.pk), verb__startswith="task.").count() == 6


@pytest.mark.parametrize(("note", "files", "message"), [
    ("", "photo", "请填写整改情况"),
    ("已整改", None, "至少上传一张整改后照片"),
])
def test_submitting_needs_a_note_and_an_after_photo(task, liaison_a, note, files, message):
    act(task, liaison_a, "sign")
    before_actions = task.actions.count()
    with pytest.raises(TransitionError, match=message):
        act(task, liaison_a, "submit", note=note, files=[photo_upload()] if files else [])
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS
    assert task.actions.count() == before_actions
    assert not TaskPhoto.objects.exists()


def test_only_the_lead_units_liaison_or_head_signs(task, office_clerk, liaison_b, head_a, leader):
    for outsider in (office_clerk, liaison_b, leader):
        with pytest.raises(Forbidden, match="牵头单位的联络员或单位负责人"):
            act(task, outsider, "sign")
    task.refresh_from_db()
    assert task.state == State.ASSIGNED and task.actions.count() == 1
    act(task, head_a, "sign")
    assert task.state == State.IN_PROGRESS


def test_an_illegal_transition_says_why_and_changes_nothing(task, office_clerk, liaison_a):
    with pytest.raises(TransitionError, match="当前状态为“待签收”，不能核查通过销号"):
        act(task, office_clerk, "approve")
    with pytest.raises(TransitionError, match="当前状态为“待签收”，不能提交销号"):
        act(task, liaison_a, "submit", note="x", files=[photo_upload()])
    task.refresh_from_db()
    assert task.state == State.ASSIGNED
    assert not TaskPhoto.objects.exists()


def test_return_needs_a_reason_and_the_office_reassigns_to_another_unit(task, city, office_clerk, liaison_a,
                                                                        liaison_b):
    with pytest.raises(TransitionError, match="请填写退回理由"):
        act(task, liaison_a, "request_return")
    act(task, liaison_a, "request_return", note="该路段属江北街道管辖")
    assert task.state == State.RETURNED_BY_UNIT
    assert any("申请退回" in t for t in inbox(office_clerk))

    with pytest.raises(TransitionError, match="改派的单位与原牵头单位相同"):
        act(task, office_clerk, "reassign", new_unit=city.unit_a)
    act(task, office_clerk, "reassign", new_unit=city.unit_b, note="同意，改由江北街道办理")
    assert task.state == State.ASSIGNED
    assert task.lead_unit == city.unit_b
    assert task.signed_at is None
    assert task.sign_due == add_working_days(timezone.localdate(), 1)
    assert any("改派" in t for t in inbox(liaison_b))
    with pytest.raises(Forbidden):
        act(task, liaison_a, "sign")
    act(task, liaison_b, "sign")
    assert task.state == State.IN_PROGRESS


def test_a_refused_return_goes_back_to_where_it_was(task, office_clerk, liaison_a):
    act(task, liaison_a, "sign")
    act(task, liaison_a, "request_return", note="不是我们的")
    with pytest.raises(TransitionError, match="请填写不同意的理由"):
        act(task, office_clerk, "refuse_return")
    act(task, office_clerk, "refuse_return", note="属地责任，请继续整改")
    assert task.state == State.IN_PROGRESS
    assert task.resume_state == ""


def test_extension_is_asked_before_the_deadline_with_a_reason_and_a_later_date(ref, city, office_clerk,
                                                                               liaison_a):
    due = later(10)
    task = make_task(ref, actor=office_clerk, unit=city.unit_a, due=due)
    act(task, liaison_a, "sign")
    with pytest.raises(TransitionError, match="请填写延期理由"):
        act(task, liaison_a, "request_extension", proposed_date=later(20))
    with pytest.raises(TransitionError, match="须晚于现在的整改期限"):
        act(task, liaison_a, "request_extension", note="工程量大", proposed_date=due)
    with pytest.raises(TransitionError, match="已过，不能再申请延期"):
        act(task, liaison_a, "request_extension", note="工程量大", proposed_date=later(20), today=due + timedelta(1))
    assert not ExtensionRequest.objects.exists()

    act(task, liaison_a, "request_extension", note="需采购护栏", proposed_date=later(20))
    assert task.state == State.EXTENSION_REQUESTED
    act(task, office_clerk, "approve_extension", note="同意")
    assert task.state == State.IN_PROGRESS
    assert task.due_date == later(20) and task.extension_count == 1
    assert task.yellow_from == add_working_days(later(20), -ref.fixed.yellow_workdays)
    assert task.original_due_date == due
    assert any("延期已批准" in t for t in inbox(liaison_a))


def test_a_second_extension_needs_the_leader(ref, city, office_clerk, liaison_a, leader):
    task = make_task(ref, actor=office_clerk, unit=city.unit_a, due=later(5), leader=leader)
    act(task, liaison_a, "sign")
    act(task, liaison_a, "request_extension", note="一", proposed_date=later(10))
    act(task, office_clerk, "approve_extension")
    act(task, liaison_a, "request_extension", note="二", proposed_date=later(15))
    assert ExtensionRequest.objects.get(status="pending").needs_leader
    assert any("第 2 次" in t for t in inbox(leader))

    with pytest.raises(Forbidden, match="须由分管领导陈建华审批"):
        act(task, office_clerk, "approve_extension")
    task.refresh_from_db()
    assert task.due_date == later(10) and task.state == State.EXTENSION_REQUESTED

    act(task, leader, "refuse_extension", note="不同意，务必按期完成")
    assert task.state == State.IN_PROGRESS and task.due_date == later(10)
    assert ExtensionRequest.objects.filter(status="refused", decided_by=leader).exists()


def test_parking_pauses_the_clock_and_resuming_moves_the_due_date(ref, city, office_clerk, liaison_a):
    start = datetime(2026, 9, 21, 9, 0, tzinfo=BEIJING)  # Monday
    with time_machine.travel(start, tick=False):
        task = make_task(ref, actor=office_clerk, unit=city.unit_a, due=date(2026, 9, 30), assigned_at=start)
        act(task, liaison_a, "sign")
        with pytest.raises(TransitionError, match="复核日期"):
            act(task, office_clerk, "park", note="管网改造工程")
        act(task, office_clerk, "park", note="管网改造工程，经分管领导同意挂账", review_date=date(2026, 10, 20))
    assert task.state == State.PARKED
    assert task.light_on(date(2026, 10, 15)) == "none"
    # Parked Mon 21 Sep, resumed Mon 12 Oct: 22–24, 28–30 Sep (中秋 25–27) + 8, 9, Sat 10 (调休), 12 Oct
    # = 10 working days; 30 Sep + 10 working days = 20 Oct.
    with time_machine.travel(datetime(2026, 10, 12, 9, 0, tzinfo=BEIJING), tick=False):
        act(task, office_clerk, "resume", note="工程完工，恢复整改")
    assert task.state == State.IN_PROGRESS
    assert task.due_date == add_working_days(date(2026, 9, 30), 10) == date(2026, 10, 20)
    assert task.parked_at is None
    assert task.actions.last().payload["due_date"] == ["2026-09-30", "2026-10-20"]


def test_assisting_units_report_without_changing_the_state(ref, task, city, office_clerk, liaison_a):
    from tests.factories import person

    bureau_liaison = person("bureau_liaison", "liaison", city.bureau, "城管联络员")
    act(task, liaison_a, "sign")
    act(task, bureau_liaison, "assist", note="已安排执法中队巡查", files=[photo_upload("assist.jpg")])
    assert task.state == State.IN_PROGRESS
    assert task.photos.get().kind == TaskPhoto.Kind.ASSIST
    assert task.actions.last().actor_unit == city.bureau
    with pytest.raises(Forbidden, match="配合单位"):
        act(task, liaison_a, "assist", note="我们自己")


def test_a_rebound_reopens_a_closed_task_as_a_new_linked_one_with_raised_priority(task, office_clerk, liaison_a,
                                                                                 inspector):
    act(task, liaison_a, "sign")
    act(task, liaison_a, "submit", note="已整改", files=[photo_upload()])
    act(task, office_clerk, "approve")
    with pytest.raises(TransitionError, match="反弹请通过回头看登记"):
        act(task, inspector, "rebound", note="又乱停了")
    new = task_rebound(task=task, actor=inspector, note="回头看发现车辆又乱停", files=[photo_upload("back.jpg")])
    task.refresh_from_db()
    assert task.state == State.REBOUND
    assert new.rebound_of == task and new.is_recurring
    assert new.priority == task.priority + 1
    assert new.lead_unit == task.lead_unit and new.state == State.ASSIGNED
    assert new.photos.filter(kind=TaskPhoto.Kind.BEFORE).count() == 1
    assert new.number != task.number
    assert TaskAction.objects.filter(task=task, action="rebound").exists()
    with pytest.raises(TransitionError, match="当前状态为“反弹”"):
        task_rebound(task=task, actor=inspector, note="再次")
