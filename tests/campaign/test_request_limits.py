"""Oversized bodies are refused on their declared length, before a byte is read; a full disk
says so and tells the administrators; the 系统状态 page shows free space."""

import errno
import io
from unittest import mock

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.urls import reverse

from archives.models import EvidenceItem
from campaign.models import Notification
from tests.factories import UserFactory

GIB = 1024 ** 3


class CountingInput(io.RawIOBase):
    """A request body that never ends and counts every byte the server takes from it."""

    def __init__(self):
        self.taken = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), 64 * 1024)
        buffer[:n] = b"x" * n
        self.taken += n
        return n


def post_huge(path: str, length: int, cookie: str = "") -> tuple[int, bytes, int]:
    """POST ``length`` declared bytes through the real WSGI handler; returns status, body and
    how many bytes of the body the server read."""
    body = CountingInput()
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD="POST", CONTENT_LENGTH=str(length),
        CONTENT_TYPE="multipart/form-data; boundary=BOUNDARY", HTTP_COOKIE=cookie,
        **{"wsgi.input": body},
    )
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    # As Django's test client does: keep the test's database connection open across the request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        content = b"".join(WSGIHandler()(environ, start_response))
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return answer["status"], content, body.taken


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.django_db
def test_a_gigabyte_post_to_the_login_page_is_refused_without_reading_it():
    status, content, taken = post_huge(reverse("login"), GIB)
    assert status == 413
    assert "提交的内容过大" in content.decode()
    assert taken == 0


def test_a_300_mb_upload_by_a_logged_in_archivist_is_refused_before_reading(archivist_a):
    status, content, taken = post_huge(reverse("archives:upload_file"), 300 * 1024 * 1024, session_cookie(archivist_a))
    assert status == 413
    assert "单次提交不能超过" in content.decode()
    assert taken == 0
    assert not EvidenceItem.objects.exists()


def test_a_bogus_content_length_is_refused(archivist_a):
    status, content, taken = post_huge(reverse("archives:upload_file"), -5, session_cookie(archivist_a))
    assert status == 400 and taken == 0


def test_an_ordinary_logged_in_post_still_goes_through(client_for, liaison_a):
    response = client_for(liaison_a).post(reverse("campaign:inbox_read_all"))
    assert response.status_code == 302


def test_the_upload_page_tells_the_browser_the_limits(client_for, archivist_a):
    page = client_for(archivist_a).get(reverse("archives:upload")).content.decode()
    assert 'data-max-photo-mb="30"' in page and 'data-max-document-mb="50"' in page
    assert f'data-max-body="{settings.REQUEST_MAX_BODY_BYTES}"' in page


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_says_so_changes_nothing_and_tells_the_administrators_once(client_for, archivist_a, city):
    admin = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    client = client_for(archivist_a)
    answers = []
    with mock.patch("archives.services.store.stage", side_effect=_disk_full):
        for _ in range(2):
            upload = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
            upload.name = "方案.pdf"
            answers.append(client.post(reverse("archives:upload_file"), {"unit": city.unit_a.pk, "file": upload},
                                       HTTP_ACCEPT="application/json"))
    assert [a.status_code for a in answers] == [507, 507]
    assert answers[0].json()["error"].startswith("存储空间不足，请联系系统管理员")
    assert not EvidenceItem.objects.exists()
    notices = Notification.objects.filter(recipient=admin, title="存储空间不足")
    assert notices.count() == 1
    assert "写入文件失败" in notices.get().body


def test_a_full_disk_on_a_page_shows_the_chinese_page(client_for, archivist_a, city):
    UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    with mock.patch("campaign.views.account.render", side_effect=_disk_full):
        response = client_for(archivist_a).get(reverse("campaign:profile"))
    assert response.status_code == 507
    assert "存储空间不足，请联系系统管理员" in response.content.decode()
    assert Notification.objects.filter(title="存储空间不足").count() == 1


def test_the_health_page_shows_free_space_to_the_office_only(client_for, office_clerk, liaison_a):
    page = client_for(office_clerk).get(reverse("campaign:health"))
    text = page.content.decode()
    assert "存储空间" in text and "上传文件与卷宗" in text and "剩余" in text
    assert "数据库（PostgreSQL）" in text
    assert client_for(liaison_a).get(reverse("campaign:health")).status_code == 403


def test_storage_full_notice_goes_out_at_most_hourly(city):
    from campaign.services.health import storage_full_reported

    admin = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    assert storage_full_reported(path="/x/", error="disk full") == 1
    assert storage_full_reported(path="/y/", error="disk full") == 0
    assert Notification.objects.filter(recipient=admin).count() == 1
