"""Typical cases (典型案例) for a report: problems closed in the period that have both a before and
an after photo, the most urgent and recurring first. Photos are printed from their print
rendition (upright, ≤ 2400 px, no EXIF: WeasyPrint copies such JPEGs as they are); a photo
without one gets it made once by the archives service, and a file that cannot be read is skipped."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db.models import Exists, OuterRef
from django.utils import timezone

from archives.services import evidence_make_rendition
from reports.selectors.metrics.figures import day_start
from reports.selectors.metrics.periods import Period
from tasks.models import RectificationTask, TaskPhoto

log = logging.getLogger(__name__)

MAX_CASES = 4


@dataclass
class Case:
    task: RectificationTask
    before: Path
    after: Path

    @property
    def text(self) -> str:
        t = self.task
        place = t.site.name if t.site else ""
        head = t.title if not place or t.title.startswith(place) else f"{place}：{t.title}"
        assigned, closed = timezone.localdate(t.assigned_at), timezone.localdate(t.closed_at)
        return (f"{head}。{assigned.year}年{assigned.month}月{assigned.day}日交办{t.lead_unit.name}，"
                f"{closed.month}月{closed.day}日经核查整改到位并销号。")


def photo_file(photo: TaskPhoto) -> Path | None:
    item = photo.evidence
    try:
        if not item.print_file:
            item = evidence_make_rendition(item=item)
        path = Path(item.print_file.path) if item.print_file else None
    except Exception:  # an unreadable file must not stop the report
        log.warning("典型案例照片无法使用：资料 %s", item.pk, exc_info=True)
        return None
    return path if path and path.exists() else None


def typical_cases(scope, period: Period, limit: int = MAX_CASES) -> list[Case]:
    kinds = TaskPhoto.Kind
    has = {k: Exists(TaskPhoto.objects.filter(task=OuterRef("pk"), kind=k)) for k in (kinds.BEFORE, kinds.AFTER)}
    tasks = list(
        scope.filter_tasks(RectificationTask.objects.all())
        .filter(closed_at__gte=day_start(period.start), closed_at__lt=day_start(period.end + timedelta(days=1)))
        .filter(has[kinds.BEFORE], has[kinds.AFTER])
        .select_related("site", "lead_unit")
        .order_by("-priority", "-is_recurring", "-closed_at", "-pk")[: limit * 2]
    )
    photos: dict[tuple[int, str], TaskPhoto] = {}
    for photo in (TaskPhoto.objects.filter(task__in=tasks, kind__in=[kinds.BEFORE, kinds.AFTER])
                  .select_related("evidence").order_by("added_at", "pk")):
        photos.setdefault((photo.task_id, photo.kind), photo)
    cases = []
    for task in tasks:
        before = photo_file(photos[(task.pk, kinds.BEFORE)])
        after = photo_file(photos[(task.pk, kinds.AFTER)])
        if before and after:
            cases.append(Case(task, before, after))
        if len(cases) == limit:
            break
    return cases
