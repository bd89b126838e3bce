"""Every task page and action: anonymous → login; another unit's task → 404; wrong role → 403 and
nothing changes; the right role → done."""

import pytest
from django.urls import reverse

from tasks import urls as task_urls
from tasks.models import TRANSITIONS, RectificationTask, State, TaskAction
from tasks.services import task_transition
from tests.factories import person

from ..factories import make_task
from .lifecycle_kit import later, photo_upload, reference


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ref(city, leader, media):
    return reference(city, leader=leader)


@pytest.fixture
def task(ref, city, office_clerk, liaison_a, head_a):
    return make_task(ref, actor=office_clerk, unit=city.unit_a, assisting=[city.bureau], due=later(20))


@pytest.fixture
def bureau_liaison(city):
    return person("bureau_liaison", "liaison", city.bureau, "城管联络员")


def bring(task, state, *, liaison, office):
    """Move a fresh task to ``state`` through the real services."""
    steps = {
        "assigned": [],
        "in_progress": [("sign", liaison, {})],
        "returned": [("sign", liaison, {}), ("request_return", liaison, {"note": "不属于本单位"})],
        "extension": [("sign", liaison, {}),
                      ("request_extension", liaison, {"note": "工程量大", "proposed_date": later(40)})],
        "parked": [("sign", liaison, {}), ("park", office, {"note": "工程挂账", "review_date": later(30)})],
        "submitted": [("sign", liaison, {}), ("submit", liaison, {"note": "已整改", "files": [photo_upload()]})],
        "closed": [("sign", liaison, {}), ("submit", liaison, {"note": "已整改", "files": [photo_upload()]}),
                   ("approve", office, {})],
    }[state]
    for action, user, kwargs in steps:
        task_transition(task=task, actor=user, action=action, **kwargs)
    return task


# action: (state it starts from, right persona, wrong persona, form data, state after)
ACTIONS = {
    "sign": ("assigned", "liaison_a", "office_clerk", {}, State.IN_PROGRESS),
    "request_return": ("assigned", "head_a", "office_clerk", {"note": "属江北街道"}, State.RETURNED_BY_UNIT),
    "reassign": ("returned", "office_clerk", "liaison_a", {"new_unit": "unit_b"}, State.ASSIGNED),
    "refuse_return": ("returned", "office_clerk", "head_a", {"note": "属地负责"}, State.IN_PROGRESS),
    "request_extension": ("in_progress", "liaison_a", "inspector", {"note": "材料采购", "proposed_date": "+45"},
                          State.EXTENSION_REQUESTED),
    "approve_extension": ("extension", "office_clerk", "liaison_a", {}, State.IN_PROGRESS),
    "refuse_extension": ("extension", "office_clerk", "head_a", {"note": "不同意"}, State.IN_PROGRESS),
    "park": ("in_progress", "office_clerk", "liaison_a", {"note": "季节性工程", "review_date": "+30"}, State.PARKED),
    "resume": ("parked", "office_clerk", "head_a", {}, State.IN_PROGRESS),
    "submit": ("in_progress", "liaison_a", "office_clerk", {"note": "已清理", "photos": True}, State.SUBMITTED),
    "approve": ("submitted", "inspector", "liaison_a", {}, State.CLOSED),
    "reject": ("submitted", "office_clerk", "head_a", {"note": "仍有垃圾"}, State.REWORK),
    "assist": ("in_progress", "bureau_liaison", "liaison_a", {"note": "已派执法队"}, State.IN_PROGRESS),
    "rebound": ("closed", "inspector", "liaison_a", {"note": "回头看发现反弹", "photos": True}, State.REBOUND),
}


def test_the_table_covers_every_action():
    assert set(ACTIONS) == set(TRANSITIONS)


def form_data(data, city):
    out = {}
    for key, value in data.items():
        if key == "new_unit":
            out[key] = getattr(city, value).pk
        elif key.endswith("_date"):
            out[key] = later(int(value)).isoformat()
        elif key == "photos":
            out[key] = photo_upload()
        else:
            out[key] = value
    return out


def snapshot(task):
    task.refresh_from_db()
    return task.state, task.lead_unit_id, task.due_date, TaskAction.objects.filter(task=task).count()


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_refuses_the_wrong_role_and_another_unit_and_works_for_the_right_one(
        action, request, task, city, client_for, liaison_a, office_clerk, liaison_b):
    start, right, wrong, data, after = ACTIONS[action]
    bring(task, start, liaison=liaison_a, office=office_clerk)
    url = reverse(f"tasks:{action}", args=[task.pk])
    before = snapshot(task)

    # Another unit's liaison cannot even see the task.
    client = client_for(liaison_b)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(data, city)).status_code == 404
    assert snapshot(task) == before

    # Someone who sees the task but holds the wrong role or unit: 403, nothing changes.
    client = client_for(request.getfixturevalue(wrong))
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(data, city)).status_code == 403
    assert snapshot(task) == before

    # The right persona: the form opens, the action is done, the task page shows it.
    client = client_for(request.getfixturevalue(right))
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(data, city))
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert task.state == after
    assert TaskAction.objects.filter(task=task, action=action).exists()


def test_a_missing_input_shows_the_reason_on_the_form_and_changes_nothing(task, client_for, liaison_a,
                                                                          office_clerk):
    bring(task, "in_progress", liaison=liaison_a, office=office_clerk)
    before = snapshot(task)
    response = client_for(liaison_a).post(reverse("tasks:submit", args=[task.pk]), {"note": "已整改"})
    assert response.status_code == 200
    assert "请至少上传一张整改后照片" in response.content.decode()
    assert snapshot(task) == before


def test_an_action_not_possible_in_this_state_is_explained(task, client_for, office_clerk):
    response = client_for(office_clerk).post(reverse("tasks:approve", args=[task.pk]), follow=True)
    assert "当前状态为“待签收”，不能核查通过销号" in response.content.decode()
    task.refresh_from_db()
    assert task.state == State.ASSIGNED


def test_the_task_page_shows_only_the_buttons_the_user_may_use(task, client_for, liaison_a, office_clerk,
                                                               liaison_b):
    page = client_for(liaison_a).get(task.get_absolute_url()).content.decode()
    assert 'data-action="sign"' in page and 'data-action="request_return"' in page
    assert 'data-action="reassign"' not in page
    page = client_for(office_clerk).get(task.get_absolute_url()).content.decode()
    assert 'data-testid="task-actions"' not in page
    assert client_for(liaison_b).get(task.get_absolute_url()).status_code == 404


def test_the_leader_named_on_a_task_sees_it(ref, city, office_clerk, leader, client_for):
    task = make_task(ref, actor=office_clerk, unit=city.unit_b, leader=leader)
    response = client_for(leader).get(task.get_absolute_url())
    assert response.status_code == 200 and task.number in response.content.decode()


def test_photos_are_served_only_to_those_who_see_the_task(task, client_for, liaison_a, office_clerk, liaison_b):
    bring(task, "submitted", liaison=liaison_a, office=office_clerk)
    photo = task.photos.get()
    for name in ("tasks:photo", "tasks:photo_size"):
        args = [task.pk, photo.pk] + (["original"] if name == "tasks:photo_size" else [])
        url = reverse(name, args=args)
        assert client_for(liaison_b).get(url).status_code == 404
        response = client_for(office_clerk).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    other = make_task(actor=office_clerk, unit=task.lead_unit, indicator=task.indicator, time_limit=task.time_limit,
                      due=later(20))
    # A photo id of another task, through this task's URL: not found.
    assert client_for(office_clerk).get(reverse("tasks:photo", args=[other.pk, photo.pk])).status_code == 404


def test_office_pages_are_for_the_office_only(task, client_for, liaison_a, leader, office_clerk):
    office_only = [reverse("tasks:create"), reverse("tasks:routing"), reverse("tasks:site_options"),
                   reverse("tasks:due_hint")]
    for user in (liaison_a, leader):
        client = client_for(user)
        for url in office_only:
            assert client.get(url).status_code == 403, url
        assert client.post(reverse("tasks:create"), {"title": "越权"}).status_code == 403
    assert RectificationTask.objects.count() == 1
    client = client_for(office_clerk)
    for url in office_only:
        assert client.get(url).status_code == 200, url


def test_the_list_and_export_need_a_task_role(task, client_for, outsider, archivist_a, liaison_a):
    for user in (outsider, archivist_a):
        client = client_for(user)
        assert client.get(reverse("tasks:index")).status_code == 403
        assert client.get(reverse("tasks:export")).status_code == 403
    client = client_for(liaison_a)
    assert task.number in client.get(reverse("tasks:index")).content.decode()
    assert client.get(reverse("tasks:export")).status_code == 200


def test_every_task_url_sends_anonymous_visitors_to_the_login(task, client):
    photo_args = {"tasks:photo": [task.pk, 1], "tasks:photo_size": [task.pk, 1, "thumb"]}
    for pattern in task_urls.urlpatterns:
        name = f"tasks:{pattern.name}"
        if name in photo_args:
            args = photo_args[name]
        else:
            args = [task.pk] if "<int:pk>" in str(pattern.pattern) else []
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
