"""Rectification tasks (整改任务): what was found, who must fix it by when, and every step taken."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models, transaction
from django.db.models import F, Q


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
        """Reserve ``count`` consecutive numbers; must run inside the caller's transaction."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("NumberSequence.take must run inside a transaction")
        cls.objects.get_or_create(key=key, year=year)
        row = cls.objects.select_for_update().get(key=key, year=year)
        first = row.last + 1
        cls.objects.filter(pk=row.pk).update(last=F("last") + count)
        return range(first, first + count)


class Source(models.TextChoices):
    SUPERVISION = "督查", "督查"
    UNDERCOVER = "暗访", "暗访"
    PATROL = "巡查", "巡查"
    MOCK = "模拟测评", "模拟测评"
    LEADER = "领导交办", "领导交办"
    COMPLAINT = "群众投诉", "群众投诉"
    HOTLINE = "12345", "12345热线"
    SELF = "自查", "自查"


class State(models.TextChoices):
    ASSIGNED = "assigned", "待签收"
    IN_PROGRESS = "in_progress", "整改中"
    RETURNED_BY_UNIT = "returned_by_unit", "申请退回"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    PARKED = "parked", "挂账"
    SUBMITTED = "submitted", "待核查"
    REWORK = "rework", "退回重改"
    CLOSED = "closed", "已销号"
    REBOUND = "rebound", "反弹"


OPEN_STATES = [
    State.ASSIGNED, State.IN_PROGRESS, State.RETURNED_BY_UNIT, State.EXTENSION_REQUESTED,
    State.SUBMITTED, State.REWORK,
]


class Priority(models.IntegerChoices):
    NORMAL = 1, "一般"
    URGENT = 2, "紧急"
    CRITICAL = 3, "特急"


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    NONE = "none", "—"


class RectificationTask(models.Model):
    """One problem handed to a lead unit (with assisting units) to fix by a due date.

    Multi-unit problems are ONE task: the lead unit answers for it and submits it for 销号;
    assisting units see it and report their part as task actions (see README)."""

    number = models.CharField("编号", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("问题标题", max_length=200)
    description = models.TextField("问题描述", blank=True)
    source = models.CharField("问题来源", max_length=10, choices=Source.choices)
    indicator = models.ForeignKey("campaign.Indicator", verbose_name="测评标准", on_delete=models.PROTECT,
                                  related_name="tasks")
    site = models.ForeignKey("campaign.Site", verbose_name="点位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="tasks")
    lead_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="牵头单位", on_delete=models.PROTECT,
                                  related_name="led_tasks")
    assisting_units = models.ManyToManyField("campaign.OrgUnit", verbose_name="配合单位", blank=True,
                                             related_name="assisting_tasks")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分管领导", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="overseen_tasks")
    time_limit = models.ForeignKey("campaign.TimeLimit", verbose_name="整改时限", on_delete=models.PROTECT,
                                   related_name="+")
    priority = models.PositiveSmallIntegerField("紧急程度", choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.ASSIGNED)

    assigned_at = models.DateTimeField("交办时间")
    sign_due = models.DateField("签收期限")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField("整改期限")
    original_due_date = models.DateField("原定期限")
    yellow_from = models.DateField("黄灯起始日", help_text="由期限和时限的黄灯提前量算出，列表与统计按此亮灯")
    extension_count = models.PositiveSmallIntegerField("延期次数", default=0)
    parked_at = models.DateTimeField("挂账时间", null=True, blank=True)
    park_review_date = models.DateField("挂账复核日期", null=True, blank=True)
    submitted_at = models.DateTimeField("提交销号时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_on_time = models.BooleanField("按期销号", null=True, blank=True)
    verify_rounds = models.PositiveSmallIntegerField("核查次数", default=0)
    rebound_of = models.ForeignKey("self", verbose_name="反弹自", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="rebounds")
    is_recurring = models.BooleanField("反复出现", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="task_unique_number_per_year"),
            models.CheckConstraint(condition=~Q(state="parked") | Q(park_review_date__isnull=False),
                                   name="task_parked_needs_review_date"),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            models.Index(fields=["lead_unit", "state"]),
            models.Index(fields=["leader", "state"]),
            models.Index(fields=["indicator", "site"]),
            models.Index(fields=["-assigned_at", "-id"], name="task_list_order"),
            GinIndex(fields=["title"], name="task_title_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["description"], name="task_description_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class TaskPhoto(models.Model):
    """An evidence photo attached to a task: before (问题照片) or after (整改照片)."""

    class Kind(models.TextChoices):
        BEFORE = "before", "整改前"
        AFTER = "after", "整改后"
        ASSIST = "assist", "配合单位反馈"

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="photos")
    evidence = models.ForeignKey("archives.EvidenceItem", on_delete=models.PROTECT, related_name="task_photos")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    action = models.ForeignKey("tasks.TaskAction", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="photos")
    added_at = models.DateTimeField(auto_now_add=True)

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

    class Meta:
        verbose_name = "任务操作记录"
        verbose_name_plural = "任务操作记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["task", "created_at"])]

    def __str__(self):
        return f"{self.task.number} {self.action}"


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
