"""A real Celery worker (test Redis broker + PostgreSQL) runs a job end to end."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from campaign import jobs, services
from campaign.celery import app
from campaign.models import Notification

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def celery_worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_worker_mails_pending_notifications(settings, celery_worker, liaison_a):
    settings.EMAIL_ENABLED = True
    liaison_a.email = "wxd@example.gov.cn"
    liaison_a.save()
    services.notify(recipients=[liaison_a], title="临期提醒：ZG-2026-00001")
    jobs.email_pending_notifications.delay()
    assert wait_for(lambda: not Notification.objects.filter(emailed_at__isnull=True).exists())
    assert [m.subject for m in mail.outbox] == ["[创文通] 临期提醒：ZG-2026-00001"]
    assert mail.outbox[0].to == ["wxd@example.gov.cn"]
