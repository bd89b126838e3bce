"""The names units bore when a task was closed: a closed task is history, and reads in the words
of its day even after its unit was renamed (机构改革, ``campaign.models.reorg``). Open tasks show
today's names."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from campaign.models.reorg import FormerNames
from tasks.models.choices import State


def history_day(task) -> date | None:
    """The day a finished task's names are read as of; None for a task still being worked on."""
    if task.state in (State.CLOSED, State.REBOUND) and task.closed_at:
        return timezone.localtime(task.closed_at).date()
    return None


def former_names(tasks=None, *, assisting: bool = True) -> FormerNames:
    """The rename history for the lead and assisting units of the finished ones among ``tasks``
    (no query when none is finished), or, with None, of every unit (for a streamed export)."""
    if tasks is None:
        return FormerNames()
    ids = set()
    for task in tasks:
        if history_day(task) is not None:
            ids.add(task.lead_unit_id)
            if assisting:
                ids.update(u.pk for u in task.assisting_units.all())
    return FormerNames(ids)


def unit_name(task, unit, names: FormerNames) -> str:
    return names.name(unit, history_day(task))
