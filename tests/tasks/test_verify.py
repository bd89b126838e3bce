"""核查: the verifier writes an opinion (核查意见) and may attach verification photos (核查照片), both
when passing (销号) and when returning (退回重改, reason required); the task page shows both."""


import pytest
from django.urls import reverse

from archives.models import EvidenceItem
from tasks.models import State, TaskAction, TaskPhoto
from tasks.services import task_transition

from ..factories import make_task, stored_files
from .lifecycle_kit import later, photo_upload, reference


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def submitted(city, office_clerk, liaison_a, leader, media):
    ref = reference(city, leader=leader)
    task = make_task(ref, actor=office_clerk, unit=city.unit_a, due=later(20))
    task_transition(task=task, actor=liaison_a, action="sign")
    task_transition(task=task, actor=liaison_a, action="submit", note="已清理", files=[photo_upload()])
    return task


def test_the_pass_button_opens_a_form_for_the_opinion_and_photos(submitted, office_clerk, client_for):
    client = client_for(office_clerk)
    page = client.get(reverse("tasks:detail", args=[submitted.pk])).content.decode()
    approve_url = reverse("tasks:approve", args=[submitted.pk])
    assert f'hx-get="{approve_url}"' in page  # a form in the modal, not a bare confirm button
    form = client.get(approve_url).content.decode()
    assert "核查意见（选填）" in form and 'name="photos"' in form and "核查照片" in form


def test_the_verifier_passes_with_an_opinion_and_a_photo(submitted, office_clerk, client_for, media):
    client = client_for(office_clerk)
    response = client.post(reverse("tasks:approve", args=[submitted.pk]),
                           {"note": "现场复核，共享单车已规范停放", "photos": [photo_upload("check.jpg", (200, 30, 30))]})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.CLOSED
    action = TaskAction.objects.get(task=submitted, action="approve")
    assert action.note == "现场复核，共享单车已规范停放"
    photo = TaskPhoto.objects.get(task=submitted, kind=TaskPhoto.Kind.VERIFY)
    assert photo.action == action
    assert (media / photo.evidence.file.name).is_file()
    assert photo.evidence.subject == f"{submitted.number} 核查照片"

    page = client.get(reverse("tasks:detail", args=[submitted.pk])).content.decode()
    timeline = page[page.index('data-testid="task-timeline"'):]
    entry = timeline[timeline.index('data-action="approve"'):]
    entry = entry[: entry.index("</li>")]
    assert "核查意见：" in entry and "现场复核，共享单车已规范停放" in entry
    assert 'data-testid="photo-verify"' in entry
    assert reverse("tasks:photo", args=[submitted.pk, photo.pk]) in entry
    photos_card = page[page.index('data-testid="photos"'):page.index('data-testid="task-timeline"')]
    assert "核查照片" in photos_card and 'data-testid="photo-verify"' in photos_card


def test_the_verifier_returns_with_a_reason_and_a_photo(submitted, inspector, client_for):
    client = client_for(inspector)
    client.post(reverse("tasks:reject", args=[submitted.pk]),
                {"note": "东侧仍有乱停放", "photos": [photo_upload("still.jpg", (30, 30, 200))]})
    submitted.refresh_from_db()
    assert submitted.state == State.REWORK
    action = TaskAction.objects.get(task=submitted, action="reject")
    assert action.note == "东侧仍有乱停放"
    assert action.photos.get().kind == TaskPhoto.Kind.VERIFY
    page = client.get(reverse("tasks:detail", args=[submitted.pk])).content.decode()
    entry = page[page.index('data-action="reject"'):]
    assert "退回原因：" in entry[: entry.index("</li>")] and 'data-testid="photo-verify"' in entry[: entry.index("</li>")]


def test_a_return_without_a_reason_is_refused_and_keeps_no_photo(submitted, office_clerk, client_for, media):
    before_rows, before_files = EvidenceItem.objects.count(), stored_files(media)
    response = client_for(office_clerk).post(reverse("tasks:reject", args=[submitted.pk]),
                                             {"note": " ", "photos": [photo_upload("check.jpg", (200, 30, 30))]})
    assert "请填写退回原因" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert not TaskPhoto.objects.filter(kind=TaskPhoto.Kind.VERIFY).exists()
    assert EvidenceItem.objects.count() == before_rows and stored_files(media) == before_files


def test_a_file_that_is_not_a_photo_refuses_the_pass(submitted, office_clerk, client_for, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("check.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = client_for(office_clerk).post(reverse("tasks:approve", args=[submitted.pk]),
                                             {"note": "通过", "photos": [fake]})
    assert "check.jpg" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert not TaskAction.objects.filter(task=submitted, action="approve").exists()
    assert not TaskPhoto.objects.filter(kind=TaskPhoto.Kind.VERIFY).exists()


def test_the_liaison_cannot_pass_their_own_work(submitted, liaison_a, client_for):
    response = client_for(liaison_a).post(reverse("tasks:approve", args=[submitted.pk]),
                                          {"note": "自己通过", "photos": [photo_upload()]})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED and not TaskPhoto.objects.filter(kind="verify").exists()
