"""A refused action leaves nothing behind, on disk either: 提交销号 with one good and one bad
after-photo is refused, and the good photo's file (already moved into place) is removed again,
while a file another row already uses stays."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archives.models import EvidenceItem
from archives.services import evidence_store
from tasks.models import State, TaskPhoto, TransitionError
from tasks.services import task_transition

from ..factories import jpeg, make_task, stored_files
from .lifecycle_kit import photo_upload, reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def signed(city, office_clerk, liaison_a, media):
    task = make_task(reference(city), actor=office_clerk, unit=city.unit_a)
    task_transition(task=task, actor=liaison_a, action="sign")
    return task


def bad_photo():
    return SimpleUploadedFile("假照片.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")


def test_a_refused_submit_leaves_no_file_of_its_good_photo(signed, liaison_a, media):
    before = stored_files(media)
    with pytest.raises(TransitionError, match="假照片.jpg"):
        task_transition(task=signed, actor=liaison_a, action="submit", note="已清理",
                        files=[photo_upload("好照片.jpg"), bad_photo()])
    signed.refresh_from_db()
    assert signed.state == State.IN_PROGRESS and not TaskPhoto.objects.exists()
    assert stored_files(media) == before
    assert not EvidenceItem.objects.exists()


def test_the_refusal_keeps_a_file_another_row_already_uses(signed, liaison_a, liaison_b, city, media):
    data = jpeg(640, 480, colour=(200, 30, 30), taken=None)
    theirs = evidence_store(file=SimpleUploadedFile("a.jpg", data), uploader=liaison_b, unit=city.unit_b)
    with pytest.raises(TransitionError):
        task_transition(task=signed, actor=liaison_a, action="submit", note="已清理",
                        files=[SimpleUploadedFile("同一张.jpg", data, content_type="image/jpeg"), bad_photo()])
    assert stored_files(media) == [theirs.file.name]


def test_the_submit_page_refuses_and_leaves_no_file(client_for, signed, liaison_a, media):
    before = stored_files(media)
    response = client_for(liaison_a).post(reverse("tasks:submit", args=[signed.pk]),
                                          {"note": "已清理", "photos": [photo_upload("好照片.jpg"), bad_photo()]})
    assert "假照片.jpg" in response.content.decode()
    signed.refresh_from_db()
    assert signed.state == State.IN_PROGRESS
    assert stored_files(media) == before
