"""Fixtures several browser tests share."""

import pytest
from celery.contrib.testing.worker import start_worker

from campaign.celery import app


@pytest.fixture
def celery_worker():
    """A Celery worker in this process (solo pool), so queued jobs run while the page watches."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


@pytest.fixture
def static_plain(settings):
    """Plain static names: a collectstatic manifest left in STATIC_ROOT would make pages ask for hashed
    names the test server (which serves from the source folders) does not have."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
