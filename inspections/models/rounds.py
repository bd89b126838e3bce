"""Inspection rounds, the sites they plan to visit, the visits themselves and what they found."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaign.models.moves import Move, check_move, moves


class RoundKind(models.TextChoices):
    SUPERVISION = "督查", "督查"
    UNDERCOVER = "暗访", "暗访"
    PATROL = "巡查", "巡查"
    MOCK = "模拟测评", "模拟测评"
    RECHECK = "回头看", "回头看"


class Result(models.TextChoices):
    MET = "met", "符合"
    FAILED = "failed", "不符合"
    NA = "na", "不适用"


def _assigned(user):
    return Q(inspectors=user) | Q(assessors=user)


class InspectionRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office and leaders see every round (leaders' figures are cut to their scope by the
        selectors); a 区创文办 the rounds its district runs; inspectors and assessors only the
        rounds they are assigned to."""
        from campaign.models import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_office or user.has_role("leader"):
            return self.all()
        condition = Q(pk__in=[])
        if user.district_office_paths:
            condition |= Q(run_by_unit__in=OrgUnit.objects.subtree_of(*user.district_office_paths).values("pk"))
        if user.has_role("inspector", "assessor"):
            condition |= Q(pk__in=InspectionRound.objects.filter(_assigned(user)).values("pk"))
        return self.filter(condition)

    def open(self):
        return self.filter(status=InspectionRound.Status.OPEN)


class InspectionRound(models.Model):
    """One campaign of field checks (督查, 暗访, 巡查, 模拟测评, 回头看) over a sample of sites.

    A random sample records its seed, so the same seed, types, districts and N give the same sites."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    class SampleMode(models.TextChoices):
        RANDOM = "random", "按类型随机抽取"
        EXPLICIT = "explicit", "指定点位"
        RECHECK = "recheck", "回头看清单"

    name = models.CharField("轮次名称", max_length=100)
    kind = models.CharField("检查类型", max_length=10, choices=RoundKind.choices)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="督查员", blank=True,
                                        related_name="inspection_rounds")
    assessors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="第三方测评员", blank=True,
                                       related_name="assessed_rounds")
    sample_mode = models.CharField("抽样方式", max_length=10, choices=SampleMode.choices, default=SampleMode.RANDOM)
    sample_seed = models.BigIntegerField("随机种子", null=True, blank=True)
    sample_per_type = models.PositiveSmallIntegerField("每类抽取数", null=True, blank=True)
    sample_site_types = models.ManyToManyField("campaign.SiteType", verbose_name="抽样点位类型", blank=True,
                                               related_name="+")
    sample_districts = models.ManyToManyField("campaign.OrgUnit", verbose_name="抽样区县", blank=True,
                                              related_name="+")
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # The district whose 区创文办 runs the round (its sites only), or empty for the city office.
    run_by_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="组织单位", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text="区创文办组织的轮次为该区；空为市创文办组织")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = InspectionRoundQuerySet.as_manager()

    class Meta:
        verbose_name = "检查轮次"
        verbose_name_plural = "检查轮次"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["kind", "start_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="round_dates_in_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_recheck(self):
        return self.kind == RoundKind.RECHECK

    def is_member(self, user) -> bool:
        return self.inspectors.filter(pk=user.pk).exists() or self.assessors.filter(pk=user.pk).exists()

    def check_move(self, action: str) -> Move:
        """Raise a ValidationError unless the round's status allows ``action`` (``ROUND_MOVES``)."""
        return check_move(ROUND_MOVES, action, self.status, state=self.get_status_display())

    def allows(self, action: str) -> bool:
        return ROUND_MOVES[action].allows(self.status)


class RoundSite(models.Model):
    """A site planned for a round, and who is to visit it (""谁查哪里"")."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="planned")
    site = models.ForeignKey("campaign.Site", verbose_name="点位", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检查人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="planned_visits")

    class Meta:
        verbose_name = "计划点位"
        verbose_name_plural = "计划点位"
        ordering = ["site__district", "site__site_type", "site__name"]
        constraints = [models.UniqueConstraint(fields=["round", "site"], name="roundsite_unique")]

    def __str__(self):
        return f"{self.round} · {self.site}"


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Visits of the rounds the user sees; a leader or 区创文办 only those at sites in their
        scope (a city round's visits in the district, but none of another district's)."""
        from campaign.models import Site

        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        condition = Q(pk__in=[])
        if user.has_role("inspector", "assessor"):
            condition |= Q(round__in=InspectionRound.objects.filter(_assigned(user)).values("pk"))
        if user.has_role("leader", "district_office"):
            condition |= Q(site__in=Site.objects.visible_to(user).values("pk"))
        return self.filter(condition)

    def submitted(self):
        return self.filter(status=Visit.Status.SUBMITTED)


class Visit(models.Model):
    """One inspector at one site in one round, scored against the checklist version it started
    with. A draft is saved on the server as the inspector goes and can be resumed; submitting
    freezes it, stores its score and turns every 不符合 into a Finding."""

    class Status(models.TextChoices):
        DRAFT = "draft", "填写中"
        SUBMITTED = "submitted", "已提交"

    round = models.ForeignKey(InspectionRound, verbose_name="检查轮次", on_delete=models.PROTECT, related_name="visits")
    site = models.ForeignKey("campaign.Site", verbose_name="点位", on_delete=models.PROTECT, related_name="visits")
    checklist = models.ForeignKey("inspections.Checklist", verbose_name="检查表版本", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="visits")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检查人", on_delete=models.PROTECT,
                                  related_name="visits")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField("开始时间")
    saved_at = models.DateTimeField("最近保存", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    points_met = models.DecimalField("得分", max_digits=8, decimal_places=2, null=True, blank=True)
    points_applicable = models.DecimalField("应得分", max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.TextField("总体情况", blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = "点位检查"
        verbose_name_plural = "点位检查"
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["round", "site"], name="visit_one_per_round_site")]
        indexes = [models.Index(fields=["round", "status"]), models.Index(fields=["site", "status"])]

    def __str__(self):
        return f"{self.round} · {self.site}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def check_move(self, action: str) -> Move:
        """Raise a ValidationError unless the visit's status allows ``action`` (``VISIT_MOVES``).
        The round must allow the visit's work too: ask ``round.check_move`` as well."""
        return check_move(VISIT_MOVES, action, self.status, state=self.get_status_display())

    def allows(self, action: str) -> bool:
        return VISIT_MOVES[action].allows(self.status)

    @property
    def score_rate(self):
        """得分率 in percent, or None when nothing applicable was checked."""
        if not self.points_applicable:
            return None
        return self.points_met * 100 / self.points_applicable


# A round: 进行中 ─结束→ 已结束. Visits are started and filled in only while it is open.
ROUND_MOVES = moves(
    Move("close", "结束轮次", (InspectionRound.Status.OPEN,), (InspectionRound.Status.CLOSED,),
         refusal="该轮次已经结束。"),
    Move("start_visit", "开始检查", (InspectionRound.Status.OPEN,), refusal="该轮次已经结束，不能再开始检查。"),
    Move("fill_visit", "填写检查", (InspectionRound.Status.OPEN,), refusal="该轮次已经结束，不能再填写。"),
)

# A visit: 填写中 (saved as the inspector goes, photos added and removed) ─提交→ 已提交 (frozen).
VISIT_MOVES = moves(
    Move("edit", "修改检查", (Visit.Status.DRAFT,), refusal="这份检查已经提交，不能再修改。"),
    Move("submit", "提交检查", (Visit.Status.DRAFT,), (Visit.Status.SUBMITTED,),
         refusal="这份检查已经提交，不能再修改。"),
)


class VisitResult(models.Model):
    """One line of a visit: a checklist item (or, in a 回头看 round, a closed task to re-check).
    Standard, label and points are copied when the visit starts so scores never move later."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey("inspections.ChecklistItem", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    recheck = models.ForeignKey("inspections.RecheckItem", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="results")
    number = models.PositiveSmallIntegerField("序号")
    label = models.CharField("检查内容", max_length=300)
    indicator = models.ForeignKey("campaign.Indicator", verbose_name="测评标准", on_delete=models.PROTECT,
                                  related_name="+")
    points = models.DecimalField("分值", max_digits=5, decimal_places=2, default=1)
    result = models.CharField("结果", max_length=10, choices=Result.choices, blank=True)
    note = models.CharField("情况说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        ordering = ["visit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "number"], name="visitresult_unique_number"),
            models.CheckConstraint(condition=Q(item__isnull=True) | Q(recheck__isnull=True),
                                   name="visitresult_item_or_recheck"),
        ]

    def __str__(self):
        return f"{self.visit} #{self.number}"


class VisitPhoto(models.Model):
    """A photo taken at a visit for one line; uploaded on its own as soon as it is taken."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    result = models.ForeignKey(VisitResult, on_delete=models.CASCADE, related_name="photos")
    evidence = models.ForeignKey("archives.EvidenceItem", on_delete=models.PROTECT, related_name="visit_photos")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "检查照片"
        verbose_name_plural = "检查照片"
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["result", "evidence"], name="visitphoto_unique")]

    def __str__(self):
        return f"{self.visit} 照片"


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visit__in=Visit.objects.visible_to(user).values("pk"))

    def pending(self):
        """Findings not yet handed over (no task raised or linked)."""
        return self.filter(task__isnull=True)


class Finding(models.Model):
    """A 不符合 (or a 反弹 in 回头看) seen at a visit. The office raises a rectification task from
    it, or it is linked to the open task that already covers the same site × standard."""

    visit = models.ForeignKey(Visit, verbose_name="点位检查", on_delete=models.CASCADE, related_name="findings")
    result = models.OneToOneField(VisitResult, on_delete=models.CASCADE, related_name="finding")
    round = models.ForeignKey(InspectionRound, verbose_name="检查轮次", on_delete=models.PROTECT,
                              related_name="findings")
    site = models.ForeignKey("campaign.Site", verbose_name="点位", on_delete=models.PROTECT, related_name="findings")
    indicator = models.ForeignKey("campaign.Indicator", verbose_name="测评标准", on_delete=models.PROTECT,
                                  related_name="findings")
    item = models.ForeignKey("inspections.ChecklistItem", verbose_name="检查项", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="findings")
    note = models.CharField("问题描述", max_length=500, blank=True)
    photos = models.ManyToManyField("archives.EvidenceItem", verbose_name="问题照片", blank=True,
                                    related_name="findings")
    is_rebound = models.BooleanField("回头看反弹", default=False)
    found_at = models.DateTimeField("发现时间")
    task = models.ForeignKey("tasks.RectificationTask", verbose_name="整改任务", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="findings")
    linked_existing = models.BooleanField("关联已有任务", default=False,
                                          help_text="同一点位、同一标准已有未办结任务时，问题并入该任务而不重复交办")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField("交办时间", null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = "发现问题"
        verbose_name_plural = "发现问题"
        ordering = ["-found_at", "-id"]
        indexes = [
            models.Index(fields=["round", "task"]),
            models.Index(fields=["site", "indicator"]),
        ]

    def __str__(self):
        return f"{self.site} · {self.indicator.code} {self.note[:30]}"
