"""What a 督查通报 lists: overdue and rebounded problems, grouped by lead unit, with a photo each.

Which tasks qualify:
* from a selection (the task list's filters): the selected tasks that are overdue today (red
  light) or were found rebounded at 回头看 (state 反弹); others are not a matter for a 通报;
* from the chase ladder: every 通报 entry (ChaseNotice kind 通报) not yet circulated in a 督查通报,
  whatever its task's state now (the entry records that it was still overdue after 催办).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from campaign.models.workdays import WorkCalendar
from tasks.models import OPEN_STATES, ChaseNotice, RectificationTask, State, TaskPhoto

MAX_TASKS = 300
MAX_PHOTOS = 60


def qualifying(qs, today: date):
    """Overdue (open, past the due date) or rebounded tasks of ``qs``."""
    return qs.filter(Q(state__in=OPEN_STATES, due_date__lt=today) | Q(state=State.REBOUND))


@dataclass
class Line:
    task: RectificationTask
    reason: str  # 超期 / 反弹
    status: str
    notice: str = ""
    photo: object = None  # Path of the print rendition, or None

    @property
    def open(self) -> bool:
        return self.task.state in OPEN_STATES

    @property
    def site(self) -> str:
        return self.task.site.name if self.task.site else "—"


@dataclass
class UnitBlock:
    name: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class BulletinData:
    today: date
    blocks: list[UnitBlock]
    overdue: int = 0  # still open past the due date
    fixed_since: int = 0  # listed for being overdue, closed since
    rebound: int = 0
    after_chase: int = 0  # listed through a 通报 entry of the chase ladder
    leaders: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(b.lines) for b in self.blocks)


def _status(task: RectificationTask, today: date, calendar: WorkCalendar) -> tuple[str, str]:
    if task.state == State.REBOUND:
        again = [c.number for c in task.rebounds.all()]
        return "反弹", "回头看发现反弹" + (f"，已重新交办（{'、'.join(again)}）" if again else "")
    if task.state in OPEN_STATES and task.due_date < today:
        late = calendar.between(task.due_date, today)
        return "超期", (f"超期 {late} 个工作日" if late > 0 else "已超期") + f"，{task.get_state_display()}"
    if task.state == State.CLOSED and task.closed_at:
        return "超期", f"经催办后整改，已于{timezone.localdate(task.closed_at):%Y-%m-%d}销号"
    return "超期", task.get_state_display()


def load(task_ids: list[int], today: date, notices: dict[int, str] | None = None) -> BulletinData:
    notices = notices or {}
    tasks = list(
        RectificationTask.objects.filter(pk__in=task_ids)
        .select_related("lead_unit", "site", "leader")
        .prefetch_related(Prefetch("rebounds", queryset=RectificationTask.objects.only("number", "rebound_of")))
        .order_by("lead_unit__path", "due_date", "number")
    )
    calendar = WorkCalendar(min([today, *(t.due_date for t in tasks)]), today)
    blocks: dict[int, UnitBlock] = {}
    data = BulletinData(today=today, blocks=[])
    for task in tasks:
        reason, status = _status(task, today, calendar)
        line = Line(task, reason, status, notices.get(task.pk, ""))
        blocks.setdefault(task.lead_unit_id, UnitBlock(task.lead_unit.name)).lines.append(line)
        data.overdue += reason == "超期" and line.open
        data.fixed_since += reason == "超期" and not line.open
        data.rebound += reason == "反弹"
        data.after_chase += bool(line.notice)
    data.blocks = list(blocks.values())
    data.leaders = sorted({str(t.leader) for t in tasks if t.leader_id})
    return data


def attach_photos(data: BulletinData, photo_file) -> None:
    """One photo per line (the latest 整改前/反弹 photo of the task or of its rebound task), at most
    MAX_PHOTOS in all; ``photo_file(TaskPhoto)`` returns a printable path or None."""
    lines = [line for block in data.blocks for line in block.lines]
    ids = [line.task.pk for line in lines]
    photos: dict[int, TaskPhoto] = {}
    rows = (TaskPhoto.objects.filter(kind=TaskPhoto.Kind.BEFORE)
            .filter(Q(task_id__in=ids) | Q(task__rebound_of_id__in=ids))
            .select_related("evidence", "task").order_by("added_at", "pk"))
    for photo in rows:
        owner = photo.task.rebound_of_id if photo.task.rebound_of_id in ids else photo.task_id
        photos[owner] = photo  # the latest wins
    used = 0
    for line in lines:
        if used >= MAX_PHOTOS or line.task.pk not in photos:
            continue
        line.photo = photo_file(photos[line.task.pk])
        used += line.photo is not None


def uncirculated_notices():
    """通报 entries of the chase ladder not yet listed in a 督查通报."""
    return ChaseNotice.objects.filter(kind=ChaseNotice.Kind.BULLETIN, circulated_in__isnull=True)


def preview_rows(ids: list[int]) -> list[RectificationTask]:
    """The tasks of a selection as the request page lists them (by unit, then due date)."""
    if not ids:
        return []
    return list(RectificationTask.objects.filter(pk__in=ids).select_related("lead_unit", "site")
                .order_by("lead_unit__path", "due_date", "pk"))
