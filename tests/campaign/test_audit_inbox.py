import pytest
from django.core import mail
from django.urls import reverse

from campaign import services
from campaign.models import Event, Notification

pytestmark = pytest.mark.django_db


def test_profile_change_is_saved_and_audited(client_for, liaison_a):
    client = client_for(liaison_a)
    response = client.post(reverse("campaign:profile"), {"full_name": "王晓东", "phone": "13800001111", "email": ""})
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    assert liaison_a.phone == "13800001111"
    event = Event.objects.for_object(liaison_a).get()
    assert event.actor == liaison_a and event.changes["手机号码"] == ["（空）", "13800001111"]
    assert "修改个人资料" in client.get(reverse("campaign:profile")).content.decode()


def test_bad_phone_gets_a_chinese_message_and_changes_nothing(client_for, liaison_a):
    response = client_for(liaison_a).post(reverse("campaign:profile"), {"full_name": "王晓东", "phone": "abc"})
    assert "电话号码只能包含数字" in response.content.decode()
    liaison_a.refresh_from_db()
    assert liaison_a.phone == "" and not Event.objects.exists()


def test_inbox_counts_unread_and_marks_read(client_for, liaison_a, liaison_b):
    services.notify(recipients=[liaison_a], title="新的整改任务待签收", url="/tasks/")
    services.notify(recipients=[liaison_b], title="别人的通知")
    client = client_for(liaison_a)
    home = client.get("/")
    assert home.context["unread_count"] == 1
    inbox = client.get(reverse("campaign:inbox")).content.decode()
    assert "新的整改任务待签收" in inbox and "别人的通知" not in inbox
    note = Notification.objects.get(recipient=liaison_a)
    response = client.post(reverse("campaign:notification_open", args=[note.pk]))
    assert response.url == "/tasks/"
    assert client.get("/").context["unread_count"] == 0


def test_looking_at_a_notification_link_changes_nothing(client_for, liaison_a):
    [note] = services.notify(recipients=[liaison_a], title="新的整改任务待签收", url="/tasks/")
    client = client_for(liaison_a)
    url = reverse("campaign:notification_open", args=[note.pk])
    assert client.get(url).status_code == 405  # a prefetching browser or a link checker marks nothing read
    note.refresh_from_db()
    assert note.read_at is None
    inbox = client.get(reverse("campaign:inbox")).content.decode()
    assert f'<form method="post" action="{url}"' in inbox
    assert f'<form method="post" action="{url}"' in client.get("/").content.decode()


def test_cannot_open_someone_elses_notification(client_for, liaison_a, liaison_b):
    [note] = services.notify(recipients=[liaison_b], title="别人的通知")
    assert client_for(liaison_a).post(reverse("campaign:notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_notification_link_never_leaves_the_site(client_for, liaison_a):
    [note] = services.notify(recipients=[liaison_a], title="钓鱼链接", url="https://evil.example.com/")
    response = client_for(liaison_a).post(reverse("campaign:notification_open", args=[note.pk]))
    assert response.url == reverse("campaign:inbox")


def test_mark_all_read(client_for, liaison_a):
    services.notify(recipients=[liaison_a], title="一")
    services.notify(recipients=[liaison_a], title="二")
    client_for(liaison_a).post(reverse("campaign:inbox_read_all"))
    assert not Notification.objects.unread().exists()


def test_pending_notifications_are_emailed_once_when_mail_is_configured(settings, liaison_a):
    settings.EMAIL_ENABLED = True
    liaison_a.email = "wxd@example.gov.cn"
    liaison_a.save()
    services.notify(recipients=[liaison_a], title="催办通知", body="请尽快整改", url="/tasks/")
    assert services.email_pending_notifications() == 1
    assert services.email_pending_notifications() == 0
    assert len(mail.outbox) == 1 and "催办通知" in mail.outbox[0].subject


def test_no_mail_when_mail_is_not_configured(settings, liaison_a):
    settings.EMAIL_ENABLED = False
    liaison_a.email = "wxd@example.gov.cn"
    liaison_a.save()
    services.notify(recipients=[liaison_a], title="催办通知")
    assert services.email_pending_notifications() == 0 and not mail.outbox
