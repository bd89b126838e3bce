"""The indicator system (测评体系) and the sites (点位) where it is checked."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

EVIDENCE_CATEGORIES = ["计划", "制度和机制", "活动", "保障措施", "特色和成效"]


def default_evidence_categories():
    return list(EVIDENCE_CATEGORIES)


class Method(models.TextChoices):
    FIELD = "实地考察", "实地考察"
    MATERIAL = "材料审核", "材料审核"
    SURVEY = "问卷调查", "问卷调查"
    ONLINE = "网络调查", "网络调查"
    DECLARE = "网上申报", "网上申报"
    HOUSEHOLD = "入户调查", "入户调查"


class Framework(models.Model):
    """An edition of the indicator system. One is active; older ones stay, read-only, because old
    tasks, evidence and rounds still point at their standards."""

    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("版本年份")
    is_active = models.BooleanField("当前启用", default=False)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "测评体系版本"
        verbose_name_plural = "测评体系版本"
        ordering = ["-is_active", "-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="framework_one_active"),
        ]

    def __str__(self):
        # Editions are often named with their year already (“测评体系（2026年版）”): say it once.
        return self.name if str(self.year) in self.name else f"{self.name}（{self.year}）"

    @classmethod
    def active(cls):
        return cls.objects.filter(is_active=True).first()


class IndicatorQuerySet(models.QuerySet):
    def standards(self):
        return self.filter(level=Indicator.Level.STANDARD)

    def active(self):
        return self.filter(framework__is_active=True)

    def subtree_of(self, indicator):
        return self.filter(framework_id=indicator.framework_id, path__startswith=indicator.path)

    def visible_to(self, user):
        """The indicator system is published: every signed-in user may read every edition."""
        return self.all() if user.is_authenticated else self.none()


class Indicator(models.Model):
    """A node of the tree 版块 → 测评项目 → 测评内容 → 测评标准 (codes like ``2.3.1``)."""

    class Level(models.IntegerChoices):
        AREA = 1, "版块"
        ITEM = 2, "测评项目"
        CONTENT = 3, "测评内容"
        STANDARD = 4, "测评标准"

    framework = models.ForeignKey(Framework, verbose_name="测评体系", on_delete=models.PROTECT, related_name="indicators")
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    code = models.CharField("编号", max_length=30)
    name = models.CharField("名称", max_length=200)
    text = models.TextField("标准内容", blank=True)
    path = models.CharField("树路径", max_length=255, editable=False)
    methods = ArrayField(models.CharField(max_length=10, choices=Method.choices), verbose_name="测评方法",
                         default=list, blank=True)
    points = models.DecimalField("分值/权重", max_digits=6, decimal_places=2, null=True, blank=True)
    site_types = models.ManyToManyField("campaign.SiteType", verbose_name="适用点位类型", blank=True,
                                        related_name="indicators")
    evidence_categories = ArrayField(models.CharField(max_length=20), verbose_name="必备材料类别",
                                     default=default_evidence_categories, blank=True)
    is_negative = models.BooleanField("负面清单", default=False)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "测评指标"
        verbose_name_plural = "测评指标"
        ordering = ["framework", "sort_order", "path"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code"),
        ]
        indexes = [
            models.Index(fields=["framework", "path"], name="indicator_path",
                         opclasses=["int8_ops", "varchar_pattern_ops"]),
            models.Index(fields=["framework", "level"]),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent_id else ''}{self.code}/"
        super().save(*args, **kwargs)

    @property
    def is_standard(self):
        return self.level == self.Level.STANDARD

    def ancestors(self):
        """Nearest first."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class SiteType(models.Model):
    """One of the ~26 field-check site types (实地考察点位类型), each with its own checklist."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "点位类型"
        verbose_name_plural = "点位类型"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office, inspectors and assessors see every site; others the sites in or adopted by their units."""
        from campaign.models.org import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_office or user.has_role("inspector", "assessor"):
            return self.all()
        units = OrgUnit.objects.visible_to(user).values("pk")
        return self.filter(Q(adopting_unit__in=units) | Q(street__in=units) | Q(district__in=units))


# Mainland China, generously: a site's coordinate outside this box is a typo (the site form
# through site_save, and the site list import, both refuse it).
LONGITUDE_RANGE = (Decimal("73"), Decimal("136"))
LATITUDE_RANGE = (Decimal("3"), Decimal("54"))


class Site(models.Model):
    """A 点位: a street, square, market, hospital… where field checks happen."""

    name = models.CharField("点位名称", max_length=100)
    site_type = models.ForeignKey(SiteType, verbose_name="点位类型", on_delete=models.PROTECT, related_name="sites")
    district = models.ForeignKey("campaign.OrgUnit", verbose_name="所属区", on_delete=models.PROTECT,
                                 related_name="district_sites", limit_choices_to={"kind": "district"})
    street = models.ForeignKey("campaign.OrgUnit", verbose_name="所属街道", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="street_sites", limit_choices_to={"kind": "street"})
    address = models.CharField("地址", max_length=200, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    adopting_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="包保单位", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="adopted_sites")
    is_active = models.BooleanField("启用", default=True)
    is_chronic = models.BooleanField("顽疾点位", default=False, help_text="反复出现问题的点位，回头看时全部复查")
    recurring_since = models.DateField("反复出现标记日期", null=True, blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = "点位"
        verbose_name_plural = "点位"
        ordering = ["district", "site_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="site_unique_name_in_district"),
        ]
        indexes = [
            models.Index(fields=["site_type", "district"]),
            models.Index(fields=["adopting_unit"]),
        ]

    def __str__(self):
        return self.name


class CalendarDay(models.Model):
    """An office-entered override of the holiday calendar (放假 or 调休上班), so next year's State
    Council notice can be entered before the chinese_calendar package knows it."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "休息日（放假）"
        WORKDAY = "workday", "工作日（调休上班）"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    note = models.CharField("说明", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose State Council holiday notice the office has confirmed as entered in full.

    Entering one date says nothing about the rest (Spring Festival may still be missing), so a year
    the package does not know counts as entered only once the office confirms the whole notice;
    until then office staff see the banner asking for it (``campaign.models.workdays.missing_calendar_years``)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = "已确认的放假安排"
        verbose_name_plural = "已确认的放假安排"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年放假安排（已确认完整录入）"
