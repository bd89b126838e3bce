"""Report runs: long outputs (bound dossiers and later periodic reports) built by a Celery job.

The row is the job's state: the page polls it for progress, the sweeper finds stuck runs by their
heartbeat, and the file is served only through a view that checks ``visible_to``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def report_path(instance, filename):
    # Deterministic per run: a rebuilt run overwrites its own file, never leaves a second one.
    return f"reports/{instance.pk}/{filename}"


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office sees every run; a leader or 区创文办 also the runs whose scope unit lies in their scope;
        everyone sees the runs they requested themselves."""
        from campaign.models import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        condition = Q(requested_by=user)
        if user.has_role("leader", "district_office"):
            condition |= Q(unit__in=OrgUnit.objects.visible_to(user).values("pk"))
        return self.filter(condition)

    def active(self):
        return self.filter(status__in=[ReportRun.Status.PENDING, ReportRun.Status.RUNNING])


class ReportRun(models.Model):
    """One requested report: its parameters, the job's progress and, once built, its file."""

    class Kind(models.TextChoices):
        DOSSIER = "dossier", "测评卷宗"
        SUMMARY = "summary", "工作简报"
        BULLETIN = "bulletin", "督查通报"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    parameters = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    stage = models.CharField("当前步骤", max_length=100, blank=True)
    file = models.FileField("文件", upload_to=report_path, max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    notes = models.TextField("说明", blank=True, help_text="不影响生成的提示，例如未装订的非 PDF 文件、PDF/A 校验结果")
    error = models.TextField("失败原因", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                     on_delete=models.SET_NULL, related_name="report_runs")
    unit = models.ForeignKey("campaign.OrgUnit", verbose_name="范围单位", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="report_runs",
                             help_text="为空表示全市")
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    queued_at = models.DateTimeField("放入队列时间", null=True, blank=True,
                                     help_text="最近一次放入队列（经由 outbox）的时间；排队过久的任务由定时任务补发")
    time_limit = models.PositiveIntegerField("时限（秒）", default=1800)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = "报表生成记录"
        verbose_name_plural = "报表生成记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["requested_by", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportrun_progress_max_100"),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="reportrun_failed_has_error"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def download_name(self) -> str:
        return f"{self.title}.pdf"


# --- Daily figures, periodic summaries (简报/周报/月报) and 督查通报 ------------------------------

from reports.models.rates import RatesMixin  # noqa: E402  (pure Python, no model imports)


class ScopeKind(models.TextChoices):
    CITY = "city", "全市"
    DISTRICT = "district", "区县"
    UNIT = "unit", "单位"
    LEADER = "leader", "分管领导"


class MetricSnapshot(RatesMixin, models.Model):
    """The figures of one scope (全市, a district, a unit with the units below it, or the tasks a
    分管领导 oversees) as of one day. Counts are cumulative up to the day (a period's flow is the
    difference of two rows); open/red/yellow are the stock on that day. Rates are computed on
    read (``RatesMixin``) so rows roll up by addition. One row per (date, scope): retaking a day
    overwrites it. See reports/services/snapshots.py for how rows are taken and backfilled."""

    date = models.DateField("日期")
    scope_kind = models.CharField("范围类型", max_length=10, choices=ScopeKind.choices)
    scope_id = models.PositiveIntegerField("范围编号", help_text="单位或领导的编号；全市为 0")
    scope_name = models.CharField("范围名称", max_length=100)
    scope_path = models.CharField("单位树路径", max_length=255, blank=True)
    unit_kind = models.CharField("单位类型", max_length=20, blank=True)

    handed_over = models.PositiveIntegerField("累计交办", default=0)
    signed = models.PositiveIntegerField("累计签收", default=0)
    signed_on_time = models.PositiveIntegerField("累计按时签收", default=0)
    closed = models.PositiveIntegerField("累计销号", default=0)
    closed_on_time = models.PositiveIntegerField("累计按期销号", default=0)
    first_pass = models.PositiveIntegerField("累计一次核查通过", default=0)
    rebounds = models.PositiveIntegerField("累计反弹", default=0)
    open = models.PositiveIntegerField("在办", default=0)
    red = models.PositiveIntegerField("红灯（超期）", default=0)
    yellow = models.PositiveIntegerField("黄灯（临期）", default=0)

    evidence_pairs = models.PositiveIntegerField("应备材料项", null=True, blank=True)
    evidence_complete = models.PositiveIntegerField("材料齐全项", null=True, blank=True)
    score_met = models.DecimalField("得分", max_digits=12, decimal_places=2, null=True, blank=True)
    score_applicable = models.DecimalField("应得分", max_digits=12, decimal_places=2, null=True, blank=True)
    score_round_id = models.PositiveIntegerField("测评轮次编号", null=True, blank=True)
    score_round_name = models.CharField("测评轮次", max_length=100, blank=True)
    score_by_type = models.JSONField("分点位类型得分", default=dict, blank=True,
                                     help_text="{点位类型: [得分, 应得分]}，最新一轮")
    taken_at = models.DateTimeField("统计时间", default=timezone.now)

    class Meta:
        verbose_name = "统计快照"
        verbose_name_plural = "统计快照"
        ordering = ["-date", "scope_kind", "scope_path", "scope_id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "scope_kind", "scope_id"], name="snapshot_one_per_day_scope"),
        ]
        indexes = [
            models.Index(fields=["scope_kind", "scope_id", "-date"], name="snapshot_scope_series"),
            models.Index(fields=["date", "scope_kind"], name="snapshot_day_kind"),
        ]

    def __str__(self):
        return f"{self.date} {self.scope_name}"


class SummaryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office sees every issue; a leader the city-wide ones, their own 分管 ones and those of
        units in their scope; a 区创文办 those of its district and the units in it."""
        from campaign.models import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        units = OrgUnit.objects.visible_to(user).values("pk")
        own = Q(scope_kind__in=[ScopeKind.UNIT, ScopeKind.DISTRICT], scope_id__in=units)
        if user.has_role("leader"):
            return self.filter(Q(scope_kind=ScopeKind.CITY) | Q(scope_kind=ScopeKind.LEADER, scope_id=user.pk) | own)
        # A 区创文办 reads its district's issues, not the city's (which name every district).
        return self.filter(own) if user.has_role("district_office") else self.none()


def summary_path(instance, filename):
    return f"reports/summaries/{instance.pk}/{filename}"


class Summary(models.Model):
    """One issue of the office's 工作简报 / 周报 / 月报 over a period and a scope, numbered 第N期 per
    series and year with no gaps (the number is taken in the transaction that publishes it).
    Periodic issues are unique per series, period and scope, so a repeated beat run makes none."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", "创文工作周报"
        MONTHLY = "monthly", "创文工作月报"
        BRIEFING = "briefing", "创文工作简报"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    scope_kind = models.CharField("范围类型", max_length=10, choices=ScopeKind.choices, default=ScopeKind.CITY)
    scope_id = models.PositiveIntegerField("范围编号", default=0)
    scope_name = models.CharField("范围", max_length=100)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    is_periodic = models.BooleanField("定期生成", default=False)
    title = models.CharField("标题", max_length=200)
    year = models.PositiveSmallIntegerField("期号年度", null=True, blank=True)
    issue_no = models.PositiveIntegerField("期号", null=True, blank=True)
    figures = models.JSONField("数据", default=dict, blank=True)
    pdf_file = models.FileField("PDF", upload_to=summary_path, max_length=200, blank=True)
    docx_file = models.FileField("Word", upload_to=summary_path, max_length=200, blank=True)
    run = models.ForeignKey(ReportRun, verbose_name="生成记录", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="summaries")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    published_at = models.DateTimeField("印发时间", null=True, blank=True)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = "工作简报"
        verbose_name_plural = "工作简报"
        ordering = ["-period_end", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "issue_no"], condition=Q(issue_no__isnull=False),
                                    name="summary_unique_issue_no"),
            models.UniqueConstraint(fields=["kind", "scope_kind", "scope_id", "period_start", "period_end"],
                                    condition=Q(is_periodic=True), name="summary_one_per_period"),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")),
                                   name="summary_period_ordered"),
        ]

    def __str__(self):
        return self.title

    @property
    def issue_label(self) -> str:
        return f"{self.year}年第{self.issue_no}期" if self.issue_no else "（未印发）"


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office sees every 通报; a leader those listing tasks they may see; a unit's head or
        liaison those naming their unit. A 通报 is circulated, so whoever it names may read it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        from tasks.models import RectificationTask

        tasks = RectificationTask.objects.visible_to(user).values("pk")
        return self.filter(pk__in=Bulletin.tasks.through.objects.filter(
            rectificationtask_id__in=tasks).values("bulletin_id"))


def bulletin_path(instance, filename):
    return f"reports/bulletins/{instance.pk}/{filename}"


class Bulletin(models.Model):
    """A 督查通报: overdue and rebounded problems listed by unit with photos, numbered per year
    (创文办通报〔2026〕N号). Built from a task-list selection, or from the chase ladder's 通报
    entries (ChaseNotice kind 通报) not yet circulated; those entries are linked here, so each is
    circulated once."""

    class Source(models.TextChoices):
        SELECTION = "selection", "按筛选条件"
        CHASE = "chase", "督办通报事项"

    source = models.CharField("来源", max_length=10, choices=Source.choices)
    title = models.CharField("标题", max_length=200)
    parameters = models.JSONField("参数", default=dict, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("文号", max_length=40, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    tasks = models.ManyToManyField("tasks.RectificationTask", verbose_name="通报问题", blank=True,
                                   related_name="bulletins")
    chase_notices = models.ManyToManyField("tasks.ChaseNotice", verbose_name="通报的督办事项", blank=True,
                                           related_name="circulated_in")
    figures = models.JSONField("数据", default=dict, blank=True)
    pdf_file = models.FileField("PDF", upload_to=bulletin_path, max_length=200, blank=True)
    docx_file = models.FileField("Word", upload_to=bulletin_path, max_length=200, blank=True)
    run = models.ForeignKey(ReportRun, verbose_name="生成记录", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="bulletins")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("申请时间", default=timezone.now)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], condition=Q(seq__isnull=False),
                                    name="bulletin_unique_number"),
        ]

    def __str__(self):
        return self.number or self.title
