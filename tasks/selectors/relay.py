"""Reads of 转办: a task's chain of hops down the tree, and where it may go next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q

from campaign.models import OrgUnit
from tasks.models import Hop, RectificationTask, TaskRelay


@dataclass
class Chain:
    """A task's hops (all of them, oldest first) and its open chain, top to bottom."""

    task: RectificationTask
    hops: list[TaskRelay] = field(default_factory=list)

    @property
    def open(self) -> list[TaskRelay]:
        return sorted((h for h in self.hops if h.is_open), key=lambda h: h.depth)

    @property
    def front(self) -> TaskRelay | None:
        chain = self.open
        return chain[-1] if chain else None

    @property
    def holder(self) -> OrgUnit:
        """The unit holding the task now: the front hop's receiving unit, else the lead unit."""
        front = self.front
        return front.to_unit if front else self.task.lead_unit

    @property
    def holder_due(self) -> date:
        front = self.front
        return front.due_date if front else self.task.due_date

    def tiers(self) -> list[dict]:
        """The chain as the task page shows it: 城市 → lead unit → each open hop (or, once the
        task came back up, the last chain that did), with deadline, state and who."""
        acting = self.acting_unit
        rows = [{"unit": self.task.lead_unit, "due": self.task.due_date, "state": self.task.get_state_display(),
                 "badge": self.task.state_badge, "by": self.task.created_by, "at": self.task.assigned_at,
                 "holder": acting == self.task.lead_unit and self.task.is_open}]
        for hop in self.open or self._last_chain():
            rows.append({"unit": hop.to_unit, "due": hop.due_date, "state": hop.get_state_display(),
                         "badge": hop.badge, "by": hop.passed_by, "at": hop.passed_at, "hop": hop,
                         "holder": hop.is_open and acting == hop.to_unit})
        return rows

    @property
    def acting_unit(self) -> OrgUnit:
        """The unit whose move it is: the holder, or the unit checking what the holder submitted."""
        front = self.front
        if front is not None and front.state == Hop.SUBMITTED:
            return front.from_unit
        return self.holder

    def _last_chain(self) -> list[TaskRelay]:
        """The hops that went down and came back up last (done), one per tier, top to bottom."""
        done = [h for h in self.hops if h.state == Hop.DONE]
        last = {}
        for hop in done:
            last[hop.depth] = hop
        return [last[d] for d in sorted(last)]


def chain_of(task: RectificationTask) -> Chain:
    hops = list(task.relays.select_related("from_unit", "to_unit", "passed_by", "signed_by", "finished_by")
                .order_by("passed_at", "id"))
    return Chain(task=task, hops=hops)


def pass_targets(chain: Chain):
    """Units the holder may pass the task to: active units below it (never an office)."""
    holder = chain.holder
    return (OrgUnit.objects.filter(is_active=True, path__startswith=holder.path, depth__gt=holder.depth)
            .exclude(kind=OrgUnit.Kind.OFFICE).order_by("path"))


def open_hops_of(task_ids) -> dict[int, list[TaskRelay]]:
    """The open hops of the given tasks, top to bottom, by task id (one query for a list page)."""
    chains: dict[int, list[TaskRelay]] = {}
    for hop in (TaskRelay.objects.open().filter(task_id__in=list(task_ids)).select_related("to_unit")
                .order_by("task_id", "depth")):
        chains.setdefault(hop.task_id, []).append(hop)
    return chains


def open_hop_units(task_ids) -> dict[int, list[int]]:
    """task id → the receiving units of its open hops, top to bottom (one query)."""
    units: dict[int, list[int]] = {}
    rows = TaskRelay.objects.open().filter(task_id__in=list(task_ids)).order_by("task_id", "depth")
    for task_id, unit_id in rows.values_list("task_id", "to_unit_id"):
        units.setdefault(task_id, []).append(unit_id)
    return units


# --- to-dos (tasks.selectors.TODO_FILTERS) -----------------------------------------------------


def held_here(units, states) -> Q:
    """Tasks whose front hop (the deepest open one) went to one of ``units`` and is in ``states``."""
    deeper = TaskRelay.objects.open().filter(task=OuterRef("task"), depth=OuterRef("depth") + 1)
    hops = TaskRelay.objects.filter(to_unit__in=units, state__in=states).filter(~Exists(deeper))
    return Q(pk__in=hops.values("task_id"))


def to_check_here(units) -> Q:
    """Tasks a unit below submitted to one of ``units`` for checking (逐级核查)."""
    return Q(pk__in=TaskRelay.objects.filter(from_unit__in=units, state=Hop.SUBMITTED).values("task_id"))


def hop_lit_here(units, code: str, today: date) -> Q:
    """Tasks passed down to one of ``units`` that are red (or yellow) at or below that tier: the
    earliest open hop deadline (``front_*``) is always the deepest hop's, never one above."""
    held = Q(pk__in=TaskRelay.objects.open().filter(to_unit__in=units).values("task_id"))
    if code == "red":
        return held & Q(front_due_date__lt=today)
    return held & Q(front_due_date__gte=today, front_yellow_from__lte=today)
