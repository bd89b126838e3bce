"""Writes of the base app: audit events, notifications, units and memberships."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Event, Membership, Notification, OrgUnit, User

log = logging.getLogger(__name__)


def event_record(
    *, actor: User | None, verb: str, target, summary: str, changes: dict | None = None, unit: OrgUnit | None = None
) -> Event:
    """Write one audit row. Every service that changes data calls this in its transaction."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Event.objects.create(
        actor=actor,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        summary=summary[:500],
        changes=changes or {},
        unit=unit,
    )


def diff_fields(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields that changed, JSON-safe."""
    return {k: [_plain(before.get(k)), _plain(v)] for k, v in after.items() if before.get(k) != v}


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


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


@transaction.atomic
def orgunit_save(*, actor: User, unit: OrgUnit, data: dict) -> OrgUnit:
    """Create or edit a unit from cleaned form data, with an audit event."""
    creating = unit.pk is None
    before = {} if creating else {k: getattr(unit, k) for k in data}
    for key, value in data.items():
        setattr(unit, key, value)
    unit.save()
    event_record(
        actor=actor,
        verb="unit.create" if creating else "unit.update",
        target=unit,
        summary=f"{'新建' if creating else '修改'}单位：{unit.name}",
        changes=diff_fields(before, data),
        unit=unit,
    )
    return unit


@transaction.atomic
def membership_add(*, actor: User | None, user: User, unit: OrgUnit, role: str, title: str = "") -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role, defaults={"title": title})
    if created:
        event_record(
            actor=actor, verb="membership.add", target=unit, unit=unit,
            summary=f"{user} 任 {unit.name} {membership.get_role_display()}",
        )
    return membership


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    # Read "before" from the database: a bound ModelForm has already written into ``user``.
    stored = User.objects.get(pk=user.pk)
    before = {k: getattr(stored, k) for k in data}
    for key, value in data.items():
        setattr(user, key, value)
    user.save(update_fields=list(data))
    event_record(actor=user, verb="profile.update", target=user, summary="修改个人资料", changes=diff_fields(before, data))
    return user
