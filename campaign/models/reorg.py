"""机构改革: the record of each change to the unit tree (更名, 合并, 拆分, 调整隶属), and the names
units bore before a rename, so closed history can be shown in the words of its day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import models


class UnitChange(models.Model):
    """One 机构改革 step, written by the service that made it (``campaign.services.reorg``).

    ``from_units`` are the units the change took from (a merge's absorbed units, a split's
    original, the renamed or moved unit), ``to_units`` those it gave to (the successor(s); the same
    unit for a rename or a move). ``before``/``after`` hold what a rename or move changed (names,
    parent); ``moved`` the counts of what went where, in the words the preview showed."""

    class Kind(models.TextChoices):
        RENAME = "rename", "更名"
        MERGE = "merge", "合并"
        SPLIT = "split", "拆分"
        MOVE = "move", "调整隶属"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    from_units = models.ManyToManyField("campaign.OrgUnit", verbose_name="原单位", related_name="changes_out")
    to_units = models.ManyToManyField("campaign.OrgUnit", verbose_name="承接单位", related_name="changes_in")
    day = models.DateField("生效日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.SET_NULL,
                           related_name="+")
    note = models.CharField("依据及说明", max_length=300, blank=True)
    before = models.JSONField("变更前", default=dict, blank=True)
    after = models.JSONField("变更后", default=dict, blank=True)
    moved = models.JSONField("转移情况", default=dict, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "机构改革记录"
        verbose_name_plural = "机构改革记录"
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.day:%Y-%m-%d}）"


class FormerNames:
    """The names a set of units bore before their renames: ``name(unit, day)`` is the unit's name
    on ``day``. One query for any number of units, so a list page pays once."""

    def __init__(self, unit_ids=None):
        """The history of ``unit_ids``, or of every renamed unit when None (renames are few: one
        small query serves a whole export)."""
        # unit id → [(rename day, name before it)], earliest first
        self.history: dict[int, list[tuple[date, str]]] = defaultdict(list)
        ids = None if unit_ids is None else {i for i in unit_ids if i}
        if ids is not None and not ids:
            return
        renames = UnitChange.objects.filter(kind=UnitChange.Kind.RENAME)
        if ids is not None:
            renames = renames.filter(from_units__in=ids)
        for unit_id, day, before in renames.order_by("day", "id").values_list("from_units", "day", "before"):
            if ids is None or unit_id in ids:
                self.history[unit_id].append((day, before.get("name", "")))

    def name(self, unit, day: date | None) -> str:
        """The unit's name on ``day``: the name before the first rename that took effect after it
        (the current name when ``day`` is None or no rename came later)."""
        if day is not None:
            for renamed_on, before in self.history.get(unit.pk, ()):
                if renamed_on > day and before:
                    return before
        return unit.name
