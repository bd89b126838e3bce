"""Nothing a signed-in person sees is kept by the browser or a proxy: pages, exports and file
downloads all say Cache-Control: no-store (a shared office computer, a phone handed around)."""

import pytest
from django.urls import reverse

from ..factories import make_task
from ..tasks.lifecycle_kit import photo_upload, reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(city, office_clerk, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ref = reference(city, leader=leader)
    made = make_task(ref, actor=office_clerk, unit=city.unit_a, before_files=[photo_upload("before.jpg")])
    make_task(ref, actor=office_clerk, unit=city.unit_a)
    return made


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_signed_in_pages_exports_and_photos_are_not_stored(client_for, office_clerk, task):
    client = client_for(office_clerk)
    photo = task.photos.get()
    for url in ["/", reverse("tasks:index"), reverse("tasks:detail", args=[task.pk]), reverse("campaign:inbox"),
                reverse("tasks:export"), reverse("tasks:photo_size", args=[task.pk, photo.pk, "original"]),
                reverse("tasks:photo_size", args=[task.pk, photo.pk, "thumb"])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), (url, response.get("Cache-Control"))
        assert "max-age=3600" not in response["Cache-Control"]


def test_the_evidence_download_is_not_stored(client_for, office_clerk, task):
    item = task.photos.get().evidence
    response = client_for(office_clerk).get(reverse("archives:download", args=[item.pk]))
    assert response.status_code == 200 and no_store(response)
