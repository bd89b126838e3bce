"""Who answers for what (谁分管、谁负责), and in how long (时限)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class TimeLimit(models.Model):
    """A 时限 profile: 立即, 24小时, N个工作日, N个自然日, a date given with each problem, or a
    standing duty (长期坚持/常态化): a duty with no end, whose tasks are each due ``amount``
    working days after they are raised."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", "立即整改（当日）"
        HOURS = "hours", "小时"
        WORKDAYS = "workdays", "工作日"
        DATE = "date", "指定日期"
        DAYS = "days", "自然日"
        STANDING = "standing", "长期坚持（常态化）"

    name = models.CharField("名称", max_length=30, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    amount = models.PositiveIntegerField(
        "数量", default=0, help_text="小时数、工作日数或自然日数；长期坚持：据此交办的任务给多少个工作日"
    )
    yellow_workdays = models.PositiveSmallIntegerField(
        "黄灯提前量（工作日）", default=1, help_text="距期限不超过这么多个工作日时亮黄灯"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "整改时限"
        verbose_name_plural = "整改时限"
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["hours", "workdays", "days", "standing"]) | Q(amount__gt=0),
                name="timelimit_amount_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def due_date(self, start: datetime, fixed: date | None = None) -> date:
        """The deadline (a calendar date, end of day) for a problem handed over at ``start``; for an
        hour limit, the date of ``due_at``."""
        from campaign.models.workdays import add_working_days

        local = timezone.localtime(start) if timezone.is_aware(start) else start
        if self.kind == self.Kind.IMMEDIATE:
            return local.date()
        if self.kind == self.Kind.HOURS:
            return self.due_at(start).date()
        if self.kind in (self.Kind.WORKDAYS, self.Kind.STANDING):
            return add_working_days(local.date(), self.amount)
        if self.kind == self.Kind.DAYS:
            return local.date() + timedelta(days=self.amount)
        if fixed is None:
            raise ValueError("“指定日期”时限需要给出完成日期。")
        return fixed

    def due_at(self, start: datetime) -> datetime | None:
        """The exact deadline of an hour limit (24小时: the same time of day, 24 hours later,
        weekends and holidays included: hours are counted as hours); None for the other kinds,
        whose deadline is the end of a day."""
        if self.kind != self.Kind.HOURS:
            return None
        local = timezone.localtime(start) if timezone.is_aware(start) else start
        return local + timedelta(hours=self.amount)


class ResponsibilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office, inspectors and assessors see the whole matrix; anyone else the rows they oversee
        (分管领导) and the rows naming a unit of their scope (their units, a leader's 分管 units)."""
        from campaign.models.org import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_office or user.has_role("inspector", "assessor"):
            return self.all()
        units = OrgUnit.objects.subtree_of(*user.scope_paths).values("pk")
        return self.filter(
            Q(leader=user) | Q(lead_unit__in=units) | Q(responsible_units__in=units) | Q(assisting_units__in=units)
        ).distinct()


class Responsibility(models.Model):
    """A row of the responsibility matrix: an indicator (optionally narrowed to a site type or a
    single site) → 分管领导, 牵头单位, 责任单位, 配合单位 and a time limit.

    ``basis`` says how the lead is found (属地管理为主、行业监管为辅): 属地 — the place where the
    problem lies leads (the site's street or community, or the unit a 包保 record names) and the
    named 牵头单位 joins as 行业配合; 行业 — the named trade department leads wherever the site
    lies; 指定 — the named unit leads, whatever the site."""

    class Basis(models.TextChoices):
        PLACE = "place", "属地"
        TRADE = "trade", "行业"
        FIXED = "fixed", "指定"

    indicator = models.ForeignKey("campaign.Indicator", verbose_name="测评指标", on_delete=models.CASCADE,
                                  related_name="responsibilities")
    site_type = models.ForeignKey("campaign.SiteType", verbose_name="限定点位类型", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="responsibilities")
    site = models.ForeignKey("campaign.Site", verbose_name="限定点位", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="responsibilities")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分管领导", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="overseen_responsibilities")
    lead_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="牵头单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="led_responsibilities")
    responsible_units = models.ManyToManyField("campaign.OrgUnit", verbose_name="责任单位", blank=True,
                                               related_name="responsible_for")
    assisting_units = models.ManyToManyField("campaign.OrgUnit", verbose_name="配合单位", blank=True,
                                             related_name="assisting_in")
    time_limit = models.ForeignKey(TimeLimit, verbose_name="完成时限", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("指定完成日期", null=True, blank=True)
    basis = models.CharField("属地/行业", max_length=10, choices=Basis.choices, default=Basis.TRADE,
                             help_text="属地：由点位所在街道/社区（或点位包保单位）牵头，牵头单位作为行业配合；"
                                       "行业：由牵头单位（行业主管部门）牵头；指定：固定由牵头单位牵头")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = "责任分工"
        verbose_name_plural = "责任分工"
        ordering = ["indicator__path"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "site_type", "site"], nulls_distinct=False,
                                    name="responsibility_unique_scope"),
            models.CheckConstraint(condition=Q(site_type__isnull=True) | Q(site__isnull=True),
                                   name="responsibility_site_or_type"),
        ]

    def __str__(self):
        scope = self.site or self.site_type
        return f"{self.indicator.code}{f'（{scope}）' if scope else ''} → {self.lead_unit or '未定'}"

    @property
    def scope_label(self):
        if self.site_id:
            return f"点位：{self.site}"
        if self.site_type_id:
            return f"点位类型：{self.site_type}"
        return "全部"


class OversightQuerySet(models.QuerySet):
    def active(self, day: date | None = None):
        """Rows in force on ``day`` (today by default): started, and not yet ended."""
        day = day or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def covering(self, unit):
        """Rows over ``unit`` itself or over a unit above it (the 分管 scope is a subtree)."""
        return self.filter(unit__in=unit.ancestors(include_self=True).values("pk"))

    def visible_to(self, user):
        """The office keeps the list and sees all of it; a leader sees their own rows; a 区创文办
        the rows over the units of its district."""
        from campaign.models.org import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        if user.district_office_paths:
            units = OrgUnit.objects.subtree_of(*user.district_office_paths).values("pk")
            return self.filter(Q(leader=user) | Q(unit__in=units))
        return self.filter(leader=user)


class Oversight(models.Model):
    """分管: a leader oversees a unit (and every unit below it) from ``start`` to ``end``.

    The one source of a leader's unit scope. The responsibility matrix names leaders per standard
    and is read only to route problems: a unit that merely assists on a standard a leader oversees
    does not come under that leader, so the matrix never widens what a leader sees."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分管领导", on_delete=models.CASCADE,
                               related_name="oversights")
    unit = models.ForeignKey("campaign.OrgUnit", verbose_name="分管单位", on_delete=models.CASCADE,
                             related_name="oversights")
    start = models.DateField("起始日期", default=timezone.localdate)
    end = models.DateField("截止日期", null=True, blank=True, help_text="留空表示长期有效")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = OversightQuerySet.as_manager()

    class Meta:
        verbose_name = "分管关系"
        verbose_name_plural = "分管关系"
        ordering = ["leader__username", "unit__path", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "unit", "start"], name="oversight_unique_start"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                                   name="oversight_end_after_start"),
        ]
        indexes = [models.Index(fields=["leader", "start"])]

    def __str__(self):
        return f"{self.leader} 分管 {self.unit}"

    @property
    def period_label(self) -> str:
        return f"{self.start:%Y-%m-%d} 起" + (f"至 {self.end:%Y-%m-%d}" if self.end else "，长期")
