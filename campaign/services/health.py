"""What an administrator checks first when something is wrong: free space where files are
written, and whether the database, the broker and the job outbox are healthy."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from campaign.models import Notification, OutboxJob
from campaign.services import notify

STORAGE_FULL_TITLE = "存储空间不足"
# One notice per administrator per hour: a full disk fails every upload, not just one.
NOTICE_EVERY = timedelta(hours=1)


@dataclass
class Volume:
    label: str
    path: str
    total: int
    free: int
    low: bool

    @property
    def used_percent(self) -> int:
        return round(100 * (self.total - self.free) / self.total) if self.total else 0


def _volume(label: str, path: Path) -> Volume | None:
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return None
    return Volume(label=label, path=str(path), total=usage.total, free=usage.free,
                  low=usage.free < settings.STORAGE_LOW_FREE_BYTES)


def volumes() -> list[Volume]:
    """Each place the portal writes, once per file system."""
    places = [("上传文件与卷宗（MEDIA_ROOT）", Path(settings.MEDIA_ROOT)),
              ("上传暂存（临时目录）", Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()))]
    seen, found = set(), []
    for label, path in places:
        volume = _volume(label, path)
        if volume and (volume.total, volume.free) not in seen:
            seen.add((volume.total, volume.free))
            found.append(volume)
    return found


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # a health page reports any failure, it never raises
        return False


def broker_ok() -> bool:
    try:
        return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1,
                                         socket_connect_timeout=1).ping())
    except Exception:
        return False


def outbox_backlog() -> int:
    return OutboxJob.objects.filter(sent_at__isnull=True).count()


def administrators():
    return get_user_model().objects.filter(is_superuser=True, is_active=True)


def storage_full_reported(*, path: str, error: str) -> int:
    """Tell each administrator that writing failed for lack of space (at most hourly each)."""
    since = timezone.now() - NOTICE_EVERY
    told = set(Notification.objects.filter(title=STORAGE_FULL_TITLE, created_at__gte=since)
               .values_list("recipient_id", flat=True))
    recipients = [admin for admin in administrators() if admin.pk not in told]
    if not recipients:
        return 0
    body = (f"在 {timezone.localtime():%Y-%m-%d %H:%M} 处理 {path} 时写入文件失败：磁盘空间或配额已满（{error}）。"
            "用户的上传和卷宗生成会一直失败，请尽快清理或扩容，并在“系统状态”页面查看剩余空间。")
    return len(notify(recipients=recipients, title=STORAGE_FULL_TITLE, body=body, url="/health/"))
