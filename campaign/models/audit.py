from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

EMPTY = "（空）"


def readable_changes(model: type[models.Model] | None, changes: dict) -> dict:
    """The audit trail's wording, in one place: ``{field: [old, new]}`` (or ``{field: value}`` for
    an action's input) becomes ``{中文名: [旧, 新]}`` in the words a clerk reads: the field's
    verbose name (or the model's ``audit_labels`` for inputs that are not fields), choice labels,
    是/否, Beijing time to the minute, related rows by name, （空） for nothing.

    ``event_record`` stores its result; ``Event.change_lines`` applies it again when a trail is
    shown, so rows written raw before still read the same. Text that is already readable passes
    through unchanged, which makes the second pass harmless."""
    readable = {}
    for key, value in (changes or {}).items():
        field = _field(model, key)
        label = str(field.verbose_name) if field is not None else _extra_label(model, key)
        if isinstance(value, list | tuple) and len(value) == 2:
            readable[label] = [readable_value(value[0], field), readable_value(value[1], field)]
        else:
            readable[label] = readable_value(value, field)
    return readable


def readable_value(value, field=None) -> str:
    """One value as the audit trail shows it (see ``readable_changes``)."""
    if isinstance(value, models.Manager):
        value = value.all()
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        inner = getattr(field, "base_field", None)
        items = [readable_value(v, inner) for v in value]
        return "、".join(i for i in items if i != EMPTY) or EMPTY
    if value is None or value == "":
        return EMPTY
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if not isinstance(value, dict) and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        value = _moment(value)
    if isinstance(value, datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, int) and field is not None and field.many_to_one:
        # A bare id of a related row (written by its attname, e.g. ``lead_unit_id``): show its name.
        row = field.related_model._base_manager.filter(pk=value).first()
        return str(row) if row is not None else str(value)
    return str(value)


def _moment(text: str):
    """A timestamp written as text (``str(datetime)`` or ISO, with an offset) becomes the moment;
    any other text, dates and local wall-clock times included, stays as it is."""
    try:
        parsed = parse_datetime(text)
    except ValueError:
        return text
    return parsed if parsed is not None and timezone.is_aware(parsed) else text


def _field(model, key: str):
    """The model field a change is keyed by: its name, its attname (``unit_id``), or its Chinese
    label (some services key their changes by label already)."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        field = None
    if field is not None and hasattr(field, "verbose_name"):
        return field
    for candidate in _labelled_fields(model):
        if key in (candidate.attname, str(candidate.verbose_name)):
            return candidate
    return None


def _labelled_fields(model) -> Iterable:
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def _extra_label(model, key: str) -> str:
    return str(getattr(model, "audit_labels", {}).get(key, key))


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

    @property
    def change_lines(self) -> list[str]:
        """The changes as lines for the timeline: "按期销号：（空） → 是", "申请延至：2026-12-10"."""
        model = ContentType.objects.get_for_id(self.target_type_id).model_class() if self.target_type_id else None
        lines = []
        for label, value in readable_changes(model, self.changes).items():
            lines.append(f"{label}：{value[0]} → {value[1]}" if isinstance(value, list) else f"{label}：{value}")
        return lines


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
    # Set for messages that must exist once per person, e.g. "tasks.services.digest:2026-12-03": a unique
    # constraint keeps a rerun of the job that writes them from sending a second copy.
    key = models.CharField("去重键", max_length=100, blank=True, default="")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["emailed_at"], name="notification_email_pending", condition=models.Q(emailed_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~models.Q(key=""),
                                    name="notification_once_per_key"),
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
