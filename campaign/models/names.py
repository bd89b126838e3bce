"""The names offices write for units in their sheets: group names that stand for many units
(各区人民政府, 各成员单位) and the other names a unit goes by (former names after a
reorganisation, the abbreviations clerks type). The office maintains both; the spreadsheet
imports read them, and the import preview adds aliases in one click."""

import re
import unicodedata

from django.conf import settings
from django.db import models

from campaign.models.org import OrgUnit


def name_key(text: str) -> str:
    """How a typed name is compared: full-width folded, no blanks, lower case (as the importers do)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


class UnitGroup(models.Model):
    """A group name (各区人民政府 → the district governments). Its members are the active units of
    ``kind`` (when set, so a new district joins by itself) plus the units listed in ``units``."""

    name = models.CharField("组名称", max_length=50, unique=True, help_text="表格中的写法，如“各区人民政府”")
    key = models.CharField("比对键", max_length=50, unique=True, editable=False)
    kind = models.CharField("包含此类型的全部单位", max_length=20, choices=OrgUnit.Kind.choices, blank=True,
                            help_text="留空则只包含下面列出的单位")
    units = models.ManyToManyField(OrgUnit, verbose_name="另外包含的单位", blank=True, related_name="unit_groups")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "单位组"
        verbose_name_plural = "单位组"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def members(self) -> list[OrgUnit]:
        """The active units the name stands for, in tree order."""
        found = OrgUnit.objects.filter(is_active=True).filter(
            models.Q(pk__in=self.units.values("pk")) | (models.Q(kind=self.kind) if self.kind else models.Q(pk__in=[]))
        )
        return list(found.order_by("path"))


class UnitAlias(models.Model):
    """Another name of one unit: a former name, or a way clerks write it (市文化广电旅游局 → 市文旅局)."""

    name = models.CharField("别名", max_length=100, unique=True)
    key = models.CharField("比对键", max_length=100, unique=True, editable=False)
    unit = models.ForeignKey(OrgUnit, verbose_name="对应单位", on_delete=models.CASCADE, related_name="aliases")
    note = models.CharField("说明", max_length=200, blank=True, help_text="如“2019年机构改革前的名称”")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="添加人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["unit__path", "name"]

    def __str__(self):
        return f"{self.name} → {self.unit.name}"

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)
