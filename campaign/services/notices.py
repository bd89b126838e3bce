"""Notifications: in-portal notices, their e-mail copies and the daily digest."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from campaign.models import (
    Notification,
    User,
)


def notify(*, recipients: Iterable[User], title: str, body: str = "", url: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox; mail goes out through the pending-mail job."""
    unique = {u.pk: u for u in recipients if u is not None and u.is_active}
    return Notification.objects.bulk_create(
        [Notification(recipient=u, title=title[:200], body=body, url=url[:300]) for u in unique.values()]
    )


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one notification, or all of the user's unread ones, as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


def email_pending_notifications(*, batch: int = 200) -> int:
    """Send notifications not yet mailed. Rows are claimed under SKIP LOCKED so two workers
    never send the same message, and a crash before the update sends it again later."""
    if not settings.EMAIL_ENABLED:
        return 0
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(emailed_at__isnull=True)
            .select_related("recipient")
            .order_by("id")[:batch]
        )
        for n in pending:
            if n.recipient.email:
                link = f"{settings.SITE_URL}{n.url}" if n.url.startswith("/") else n.url
                send_mail(f"[创文通] {n.title}", f"{n.body}\n\n{link}".strip(), None, [n.recipient.email])
                sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return sent


def send_daily_digest() -> int:
    """Mail each user who has unread notifications a one-line-per-item summary."""
    if not settings.EMAIL_ENABLED:
        return 0
    count = 0
    users = User.objects.filter(is_active=True, notifications__read_at__isnull=True).exclude(email="").distinct()
    for user in users:
        items = list(user.notifications.unread().order_by("-created_at")[:30])
        lines = [f"· {n.created_at:%m-%d %H:%M} {n.title}" for n in items]
        send_mail(
            f"[创文通] 您有 {user.notifications.unread().count()} 条未读通知",
            "\n".join(lines) + f"\n\n登录查看：{settings.SITE_URL}/inbox/",
            None,
            [user.email],
        )
        count += 1
    return count
