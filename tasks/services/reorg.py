"""The tasks' part of a 机构改革 (``campaign.services.reorg``): unfinished tasks follow their unit
to its successor, as lead or as assisting unit. Closed and rebounded tasks stay with the unit
that did the work, which keeps its name, so closed history reads as it was.

Registered through ``TasksConfig.unit_holdings``."""

from __future__ import annotations

from campaign.services import event_record
from campaign.services.reorg.holdings import Holding
from tasks.models import UNFINISHED_STATES, RectificationTask


def _unfinished():
    return RectificationTask.objects.filter(state__in=UNFINISHED_STATES).order_by("number")


def _record(task, actor, summary):
    event_record(actor=actor, verb="task.reorg", target=task, summary=summary, unit=task.lead_unit)


class LeadTasks(Holding):
    key, label = "tasks_lead", "未办结任务（牵头）"

    def rows(self, units):
        return _unfinished().filter(lead_unit__in=[u.pk for u in units]).select_related("lead_unit")

    def describe(self, row):
        return f"{row.number} {row.title}（{row.get_state_display()}）"

    def transfer(self, rows, units, successor, *, day, actor):
        moved = 0
        for task in list(rows):
            old = task.lead_unit
            RectificationTask.objects.filter(pk=task.pk).update(lead_unit=successor)
            task.assisting_units.remove(successor)
            task.lead_unit = successor
            _record(task, actor, f"机构改革（{day:%Y-%m-%d}）：牵头单位由“{old.name}”改为“{successor.name}”")
            moved += 1
        return moved


class AssistingTasks(Holding):
    key, label = "tasks_assisting", "未办结任务（配合）"

    def rows(self, units):
        return (_unfinished().filter(assisting_units__in=[u.pk for u in units]).distinct()
                .select_related("lead_unit"))

    def describe(self, row):
        return f"{row.number} {row.title}（{row.get_state_display()}）"

    def transfer(self, rows, units, successor, *, day, actor):
        moved = 0
        for task in list(rows):
            leaving = [u for u in task.assisting_units.all() if u in units]
            task.assisting_units.remove(*leaving)
            if task.lead_unit_id != successor.pk:
                task.assisting_units.add(successor)
            names = "、".join(u.name for u in leaving)
            _record(task, actor, f"机构改革（{day:%Y-%m-%d}）：配合单位“{names}”改为“{successor.name}”")
            moved += 1
        return moved


def unit_holdings() -> list[Holding]:
    return [LeadTasks(), AssistingTasks()]
