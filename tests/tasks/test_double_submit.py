"""新建交办, lifecycle actions and 批量交办 take effect once, however often the form is posted."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from campaign.models import FormSubmission
from tasks.models import RectificationTask, TaskAction

from ..factories import make_task
from ..twice import assert_second_went_to_first, form_token, post_twice
from .lifecycle_kit import reference


@pytest.fixture
def ref(city, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return reference(city, leader=leader)


def task_form(ref, city):
    return {
        "title": "人民广场东侧共享单车乱停放", "description": "东侧出入口堆积约30辆", "source": "督查",
        "indicator": ref.street.pk, "site": ref.square.pk, "lead_unit": city.bureau.pk,
        "assisting_units": [city.unit_a.pk], "time_limit": ref.days5.pk, "priority": 2, "due_date": "",
    }


@pytest.mark.django_db
def test_the_same_task_form_posted_twice_makes_one_task(ref, city, office_clerk, client_for):
    client = client_for(office_clerk)
    token = form_token(client, reverse("tasks:create"))
    first, second = post_twice(client, reverse("tasks:create"), task_form(ref, city), token)
    task = RectificationTask.objects.get()
    assert_second_went_to_first(first, second)
    assert first.url == task.get_absolute_url()
    page = client.get(second.url).content.decode()
    assert "已经提交过，没有重复创建" in page and task.number in page
    # A new form (a new key) still makes a new task.
    again = client.post(reverse("tasks:create"), {**task_form(ref, city),
                                                  "form_token": form_token(client, reverse("tasks:create"))})
    assert again.status_code == 302 and RectificationTask.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_post_leaves_the_key_free_for_the_corrected_form(ref, city, office_clerk, client_for):
    client = client_for(office_clerk)
    token = form_token(client, reverse("tasks:create"))
    bad = client.post(reverse("tasks:create"), {**task_form(ref, city), "due_date": "2020-01-01", "form_token": token})
    assert bad.status_code == 200 and not RectificationTask.objects.exists()
    assert not FormSubmission.objects.exists()
    good = client.post(reverse("tasks:create"), {**task_form(ref, city), "form_token": token})
    assert good.status_code == 302 and RectificationTask.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_one_task_form_make_one_task(ref, city, office_clerk):
    """Two requests of one session, in parallel against the live database: one task, and both
    answers lead to it."""
    client = Client()
    client.force_login(office_clerk)
    token = form_token(client, reverse("tasks:create"))
    data = {**task_form(ref, city), "form_token": token}
    start, answers, errors = threading.Barrier(2), [None, None], []

    def post(i):
        try:
            start.wait(timeout=10)
            answers[i] = client.post(reverse("tasks:create"), data)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    task = RectificationTask.objects.get()
    assert [a.status_code for a in answers] == [302, 302]
    assert {a.url for a in answers} == {task.get_absolute_url()}


@pytest.mark.django_db
def test_a_report_of_assistance_posted_twice_is_recorded_once(ref, city, office_clerk, client_for, liaison_a,
                                                              liaison_b):
    task = make_task(ref, actor=office_clerk, unit=city.unit_b, assisting=[city.unit_a])
    client = client_for(liaison_a)
    url = reverse("tasks:assist", args=[task.pk])
    token = form_token(client, url)
    first, second = post_twice(client, url, {"note": "已清理人行道共享单车20辆"}, token)
    assert_second_went_to_first(first, second)
    assert TaskAction.objects.filter(task=task, action="assist").count() == 1
