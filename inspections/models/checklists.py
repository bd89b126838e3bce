"""Checklists (实地考察检查表): one numbered list per site type, each item tied to a standard."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ChecklistQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Checklist.Status.ACTIVE)

    def visible_to(self, user):
        """Checklists are managed by the office; inspectors and assessors read the ones they use."""
        if not user.is_authenticated:
            return self.none()
        if user.is_office or user.has_role("inspector", "assessor", "leader", "district_office"):
            return self.all()
        return self.none()


class Checklist(models.Model):
    """One version of a site type's checklist. Versions are immutable once active: editing the
    active version writes a new version and retires the old one, so past visits keep the exact
    items (and points) they were scored against."""

    class Status(models.TextChoices):
        ACTIVE = "active", "现行"
        RETIRED = "retired", "已停用"

    site_type = models.ForeignKey("campaign.SiteType", verbose_name="点位类型", on_delete=models.PROTECT,
                                  related_name="checklists")
    framework = models.ForeignKey("campaign.Framework", verbose_name="测评体系", on_delete=models.PROTECT,
                                  related_name="checklists")
    name = models.CharField("名称", max_length=100)
    version = models.PositiveIntegerField("版本号", default=1)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    replaces = models.OneToOneField("self", verbose_name="上一版本", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编制人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = "检查表"
        verbose_name_plural = "检查表"
        ordering = ["site_type__sort_order", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["site_type"], condition=Q(status="active"),
                                    name="checklist_one_active_per_type"),
            models.UniqueConstraint(fields=["site_type", "version"], name="checklist_unique_version"),
        ]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class ChecklistItem(models.Model):
    """A numbered line of a checklist: what to look at, the standard it scores, and its points."""

    checklist = models.ForeignKey(Checklist, verbose_name="检查表", on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField("序号")
    text = models.CharField("检查内容", max_length=300)
    indicator = models.ForeignKey("campaign.Indicator", verbose_name="对应测评标准", on_delete=models.PROTECT,
                                  related_name="checklist_items")
    points = models.DecimalField("分值", max_digits=5, decimal_places=2, default=1)

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["checklist", "number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="checklistitem_unique_number"),
            models.CheckConstraint(condition=Q(points__gt=0), name="checklistitem_points_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"
