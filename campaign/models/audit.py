from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class EventQuerySet(models.QuerySet):
    def for_object(self, obj):
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(target_type=ct, target_id=str(obj.pk))


class Event(models.Model):
    """One audit record: who changed what, when, and how (written by services, never by views)."""

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    verb = models.CharField("操作", max_length=50)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField("对象", max_length=200)
    summary = models.CharField("摘要", max_length=500)
    changes = models.JSONField("变更前后", default=dict, blank=True)
    unit = models.ForeignKey(
        "campaign.OrgUnit", verbose_name="相关单位", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor or '系统'} {self.summary}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An item in a user's in-app inbox; emailed too when mail is configured."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["emailed_at"], name="notification_email_pending", condition=models.Q(emailed_at__isnull=True)),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class OutboxJob(models.Model):
    """A background job waiting to be handed to the broker (transactional outbox), and then the
    record of its run.

    Written in the same transaction as the change that needs it, so a job is never lost when
    Redis is down: the dispatcher sends it after commit, and a beat sweeper resends what is left.
    The worker claims the row before running the job (``started_at``, a conditional UPDATE), so a
    message sent twice runs once; a running job beats ``heartbeat_at``, and one whose heartbeat
    stops (worker killed) is sent again. Beat's timed jobs carry their ``slot`` (the scheduled
    time): one row per job and slot, so a repeated firing never queues the job twice."""

    name = models.CharField("作业", max_length=100)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    slot = models.DateTimeField("计划时间", null=True, blank=True, help_text="定时作业按计划应运行的时间")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField("开始运行", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("运行结束", null=True, blank=True)
    runs = models.PositiveSmallIntegerField("运行次数", default=0)

    class Meta:
        verbose_name = "待发送作业"
        verbose_name_plural = "待发送作业"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["created_at"], name="outbox_pending", condition=models.Q(sent_at__isnull=True)),
            models.Index(fields=["sent_at"], name="outbox_not_started",
                         condition=models.Q(sent_at__isnull=False, started_at__isnull=True)),
            models.Index(fields=["heartbeat_at"], name="outbox_running",
                         condition=models.Q(started_at__isnull=False, finished_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], condition=models.Q(slot__isnull=False),
                                    name="outbox_one_per_slot"),
        ]

    def __str__(self):
        return f"{self.name}{self.args}"
