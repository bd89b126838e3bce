"""An action that was saved is answered as saved: a failure to hand its job to the broker after the
commit (the database or Redis going away at that moment) is logged and left to the outbox sweeper,
never turned into the error page that says nothing was changed."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError

from archives.models import EvidenceItem
from campaign.models import OutboxJob
from campaign.services import queue
from tasks.models import RectificationTask, State

from ..factories import make_task
from .lifecycle_kit import photo_upload, reference

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit runs inside the request, as in production


@pytest.fixture
def task(city, office_clerk, liaison_a, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = make_task(reference(city, leader=leader), actor=office_clerk, unit=city.unit_a)
    RectificationTask.objects.filter(pk=task.pk).update(state=State.IN_PROGRESS)
    return task


def submit(client, user, task):
    client.force_login(user)
    client.raise_request_exception = False  # see what the user sees
    return client.post(f"/tasks/{task.pk}/submit/", {"note": "已清理并规范停放", "photos": [photo_upload()]})


@pytest.mark.parametrize("failure", [OperationalError("server closed the connection unexpectedly"),
                                     BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")],
                         ids=["database", "broker"])
def test_a_submission_saved_before_the_dispatch_failed_is_answered_as_saved(client, task, liaison_a, failure):
    with mock.patch.object(queue, "dispatch", side_effect=failure):
        response = submit(client, liaison_a, task)

    assert response.status_code == 302 and response.url == f"/tasks/{task.pk}/"
    page = client.get(response.url).content.decode()
    assert "提交销号：已完成" in page and "数据没有被修改" not in page
    task.refresh_from_db()
    assert task.state == State.SUBMITTED
    assert task.actions.filter(action="submit", note="已清理并规范停放").exists()
    photo = EvidenceItem.objects.get(kind=EvidenceItem.Kind.PHOTO)
    job = OutboxJob.objects.get(name="archives.make_print_rendition")
    assert job.args == [photo.pk] and job.sent_at is None

    with mock.patch("campaign.celery.app.send_task") as send:
        assert queue.dispatch_pending(older_than=timedelta(0)) == 1  # the sweeper resends it
    assert send.call_args.args[0] == "archives.make_print_rendition"
    assert send.call_args.kwargs["args"] == [photo.pk]
