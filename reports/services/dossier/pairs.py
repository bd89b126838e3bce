"""Rectification pairs (整改前 | 整改后) for a standard: closed tasks with a photo of each kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archives.models import EvidenceItem
from campaign.models import Indicator, OrgUnit
from tasks.models import RectificationTask, State, TaskPhoto


@dataclass
class Pair:
    task: RectificationTask
    unit: OrgUnit
    before: EvidenceItem
    after: EvidenceItem

    @property
    def before_date(self):
        return self.before.taken_at or self.before.uploaded_at

    @property
    def after_date(self):
        return self.after.taken_at or self.after.uploaded_at


def rectification_pairs(*, standard: Indicator, unit: OrgUnit | None, date_from: dt.date | None,
                        date_to: dt.date | None, reader) -> list[Pair]:
    """One pair per closed task of the standard (lead unit in scope, closed within the period)
    that ``reader`` may open on the task pages: its first before photo and its last after photo."""
    tasks = (RectificationTask.objects.visible_to(reader).filter(indicator=standard, state=State.CLOSED)
             .select_related("lead_unit"))
    if unit is not None:
        tasks = tasks.filter(lead_unit__path__startswith=unit.path)
    if date_from:
        tasks = tasks.filter(closed_at__date__gte=date_from)
    if date_to:
        tasks = tasks.filter(closed_at__date__lte=date_to)
    tasks = list(tasks.order_by("closed_at", "pk"))
    photos: dict[int, dict[str, list[EvidenceItem]]] = {}
    rows = (TaskPhoto.objects.filter(task__in=tasks, kind__in=[TaskPhoto.Kind.BEFORE, TaskPhoto.Kind.AFTER],
                                     evidence__kind=EvidenceItem.Kind.PHOTO)
            .select_related("evidence").order_by("added_at", "pk"))
    for row in rows:
        photos.setdefault(row.task_id, {}).setdefault(row.kind, []).append(row.evidence)
    pairs = []
    for task in tasks:
        kinds = photos.get(task.pk, {})
        if kinds.get(TaskPhoto.Kind.BEFORE) and kinds.get(TaskPhoto.Kind.AFTER):
            pairs.append(Pair(task=task, unit=task.lead_unit, before=kinds[TaskPhoto.Kind.BEFORE][0],
                              after=kinds[TaskPhoto.Kind.AFTER][-1]))
    return pairs
