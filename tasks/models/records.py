"""The rows around a task: numbering, photos, actions, extension requests and chase notices."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q

from tasks.models.choices import State
from tasks.models.lifecycle import TRANSITIONS
from tasks.models.relay import RELAY_LABELS, RELAY_NOTE_LABELS
from tasks.models.task import RectificationTask


class TaskChildQuerySet(models.QuerySet):
    """Rows that belong to a task are visible exactly when their task is."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_office or user.has_role("inspector"):
            return self.all()
        return self.filter(task__in=RectificationTask.objects.visible_to(user).values("pk"))


class NumberSequence(models.Model):
    """Gap-free counters per key and year (task numbers, 文号, 简报期数). A block is reserved under a
    row lock, so numbers taken in a transaction that rolls back are given back with it."""

    key = models.CharField(max_length=50)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="numbersequence_unique")]

    def __str__(self):
        return f"{self.key}-{self.year}: {self.last}"

    @classmethod
    def take(cls, key: str, year: int, count: int = 1) -> range:
        """Reserve ``count`` consecutive numbers; must run inside the caller's transaction.

        Concurrent callers queue on the row lock; the first caller of a year creates the row
        (a concurrent creator waits on the unique index, then finds the row)."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("NumberSequence.take must run inside a transaction")
        cls.objects.get_or_create(key=key, year=year)
        row = cls.objects.select_for_update().get(key=key, year=year)
        first = row.last + 1
        cls.objects.filter(pk=row.pk).update(last=F("last") + count)
        return range(first, first + count)


class TaskPhoto(models.Model):
    """An evidence photo attached to a task: before (问题照片) or after (整改照片)."""

    class Kind(models.TextChoices):
        BEFORE = "before", "整改前"
        AFTER = "after", "整改后"
        ASSIST = "assist", "配合单位反馈"
        VERIFY = "verify", "核查照片"

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="photos")
    evidence = models.ForeignKey("archives.EvidenceItem", on_delete=models.PROTECT, related_name="task_photos")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    action = models.ForeignKey("tasks.TaskAction", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="photos")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        verbose_name = "任务照片"
        verbose_name_plural = "任务照片"
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "evidence", "kind"], name="taskphoto_unique")]

    def __str__(self):
        return f"{self.task.number} {self.get_kind_display()}"


class TaskAction(models.Model):
    """One step in a task's life: every transition, and notes from assisting units."""

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="actions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="操作单位", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=State.choices, blank=True)
    note = models.TextField("说明", blank=True)
    payload = models.JSONField("附加信息", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        verbose_name = "任务操作记录"
        verbose_name_plural = "任务操作记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["task", "created_at"])]

    def __str__(self):
        return f"{self.task.number} {self.label}"

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def note_label(self) -> str:
        """What the note is (核查意见, 退回原因 …), for the timeline; empty for 交办 and system steps."""
        transition = TRANSITIONS.get(self.action)
        if transition is None:
            return RELAY_NOTE_LABELS.get(self.action, "")
        return transition.note_label


class ExtensionRequest(models.Model):
    """申请延期: asked before the due date, decided by the office (a second one by the 分管领导)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField("延期理由")
    proposed_date = models.DateField("申请延至")
    old_due_date = models.DateField("原期限")
    needs_leader = models.BooleanField("需分管领导审批", default=False)
    status = models.CharField("审批状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(status="pending"), name="one_pending_extension"),
        ]

    def __str__(self):
        return f"{self.task.number} 延期至 {self.proposed_date}"


class ChaseNotice(models.Model):
    """A step of the chase ladder (临期提醒 / 催办通知 / 通报), numbered per year like 创文办催〔2026〕12号.
    One per task, kind and deadline: a rerun sends nothing twice; a new deadline restarts the ladder."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "临期提醒"
        URGE = "urge", "催办通知"
        BULLETIN = "bulletin", "通报"

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="chase_notices")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    due_date = models.DateField("对应期限")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=40)
    issued_on = models.DateField("发出日期")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        verbose_name = "督办文书"
        verbose_name_plural = "督办文书"
        ordering = ["-issued_on", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "due_date"], name="chase_once_per_deadline"),
            models.UniqueConstraint(fields=["kind", "year", "seq"], name="chase_unique_number"),
        ]
        indexes = [models.Index(fields=["kind", "issued_on"])]

    def __str__(self):
        return self.number


# Labels of TaskAction.action: 交办, every lifecycle action, and the chase ladder's steps.
ACTION_LABELS = {
    "create": "交办",
    "recalculate_due": "期限调整",
    **{code: t.label for code, t in TRANSITIONS.items()},
    **dict(ChaseNotice.Kind.choices),
    **RELAY_LABELS,
}
