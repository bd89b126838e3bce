"""机构改革: rename, move, merge and split units. Each change checks everything first (a refusal
changes nothing), then writes in one transaction: the unit tree, what the units held (see
``holdings``), a ``UnitChange`` record with the counts moved, and the audit events.

Old units are deactivated, never deleted: closed tasks, evidence and figures keep pointing at
them, so the city's totals are the same before and after, and closed history keeps the name of
its day (a renamed unit's earlier names are read from its rename records, ``FormerNames``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaign.models import OrgUnit, UnitAlias, UnitChange, User
from campaign.models.names import name_key
from campaign.services.audit import event_record
from campaign.services.reorg.holdings import Holding, holdings, repath


def _check_day(day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError("生效日期不能晚于今天：请在改革生效后再登记。")


def _check_active(unit: OrgUnit, role: str) -> None:
    if not unit.is_active:
        raise ValidationError(f"{role}“{unit.name}”已撤销（停用），不能办理。")


def _check_name_free(parent: OrgUnit | None, name: str, *, exclude: OrgUnit | None = None) -> None:
    siblings = OrgUnit.objects.filter(parent=parent, name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        where = f"“{parent.name}”下" if parent else "最上级"
        raise ValidationError(f"{where}已有名为“{name}”的单位（含已撤销的单位），请换一个名称。")


def _record(*, kind, actor, day, note, sources, targets, before=None, after=None, moved=None) -> UnitChange:
    change = UnitChange.objects.create(kind=kind, day=day, by=actor if actor and actor.is_authenticated else None,
                                       note=note, before=before or {}, after=after or {}, moved=moved or {})
    change.from_units.set(sources)
    change.to_units.set(targets)
    return change


def _locked(units) -> list[OrgUnit]:
    """The units again, row-locked and fresh: two clerks merging the same unit at once must not
    both succeed."""
    ids = [u.pk for u in units if u.pk]
    rows = {u.pk: u for u in OrgUnit.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [rows.get(u.pk, u) for u in units]


def moved_words(moved: dict) -> str:
    return "，".join(f"{label} {n} 项" for label, n in moved.items()) or "没有需要转移的事项"


def _remember_former_name(actor: User, name: str, unit: OrgUnit, note: str) -> None:
    """Sheets typed before a 机构改革 keep the old name for years: the old name becomes an alias of
    the unit that carries on, so the next import resolves it (unless an active unit still bears it)."""
    if OrgUnit.objects.filter(name=name, is_active=True).exclude(pk=unit.pk).exists():
        return
    UnitAlias.objects.update_or_create(key=name_key(name), defaults={
        "name": name, "unit": unit, "note": note[:200], "created_by": actor})


# --- rename and move -------------------------------------------------------------------------


@transaction.atomic
def orgunit_rename(*, actor: User, unit: OrgUnit, name: str, short_name: str = "", day: date,
                   note: str = "") -> UnitChange:
    """更名. The unit keeps its id, so everything it holds stays; closed history shows the old
    name for what was closed before ``day``."""
    [unit] = _locked([unit])
    name, short_name = name.strip(), short_name.strip()
    _check_day(day)
    _check_active(unit, "单位")
    if not name:
        raise ValidationError("请填写新名称。")
    if name == unit.name and short_name == unit.short_name:
        raise ValidationError("新名称与现名称相同，没有需要登记的更名。")
    _check_name_free(unit.parent, name, exclude=unit)
    before = {"name": unit.name, "short_name": unit.short_name}
    unit.name, unit.short_name = name, short_name
    unit.save(update_fields=["name", "short_name"])
    after = {"name": name, "short_name": short_name}
    _remember_former_name(actor, before["name"], unit, f"{day:%Y年%m月%d日}更名前的名称")
    change = _record(kind=UnitChange.Kind.RENAME, actor=actor, day=day, note=note, sources=[unit], targets=[unit],
                     before=before, after=after)
    event_record(actor=actor, verb="unit.rename", target=unit, unit=unit,
                 summary=f"更名（{day:%Y-%m-%d} 起）：“{before['name']}”改为“{name}”",
                 changes={"name": [before["name"], name], "short_name": [before["short_name"], short_name]})
    return change


@transaction.atomic
def orgunit_move(*, actor: User, unit: OrgUnit, parent: OrgUnit, day: date, note: str = "") -> UnitChange:
    """调整隶属: put the unit and everything below it under ``parent`` (re-paths the subtree, so
    scopes follow at once)."""
    unit, parent = _locked([unit, parent])
    _check_day(day)
    _check_active(unit, "单位")
    _check_active(parent, "新上级单位")
    if unit.parent_id is None:
        raise ValidationError(f"“{unit.name}”是最上级单位，不能调整隶属。")
    if parent.is_within(unit):
        raise ValidationError(f"不能把“{unit.name}”调到它自己或它的下级单位“{parent.name}”之下。")
    if parent.pk == unit.parent_id:
        raise ValidationError(f"“{unit.name}”已经隶属于“{parent.name}”。")
    _check_name_free(parent, unit.name)
    old_parent = unit.parent
    repath(unit, parent)
    change = _record(kind=UnitChange.Kind.MOVE, actor=actor, day=day, note=note, sources=[unit], targets=[unit],
                     before={"parent": old_parent.name}, after={"parent": parent.name})
    event_record(actor=actor, verb="unit.move", target=unit, unit=unit,
                 summary=f"调整隶属（{day:%Y-%m-%d} 起）：由“{old_parent.name}”调整到“{parent.name}”下",
                 changes={"parent": [old_parent.name, parent.name]})
    return change


# --- merge -----------------------------------------------------------------------------------


@dataclass
class NewUnit:
    """A successor to be created by the change itself."""

    name: str
    kind: str
    parent: OrgUnit

    def unsaved(self) -> OrgUnit:
        return OrgUnit(name=self.name.strip(), kind=self.kind, parent=self.parent)


@dataclass
class MergePlan:
    """What a merge will do: the units it absorbs, the successor, and per holding how many rows
    move (the preview shows exactly this; ``orgunit_merge`` moves exactly this)."""

    absorbed: list[OrgUnit]
    successor: OrgUnit
    counts: list[tuple[Holding, int]] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.successor.pk is None

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


def merge_plan(*, units: list[OrgUnit], successor: OrgUnit | None = None, new_unit: NewUnit | None = None,
               day: date) -> MergePlan:
    """Check a merge and count what it would move; ValidationError with every reason it cannot
    be made. Writes nothing."""
    _check_day(day)
    if successor is None and new_unit is None:
        raise ValidationError("请选择承接单位，或填写新设单位的名称。")
    target = successor if successor is not None else new_unit.unsaved()
    absorbed = _unique([u for u in units if u.pk != target.pk])
    if not absorbed:
        if units:
            raise ValidationError(f"不能把“{target.name}”合并到它自己：请另选承接单位。")
        raise ValidationError("请选择要合并的单位。")
    _check_absorbed(absorbed)
    _check_successor(target, absorbed, new_unit)
    plan = MergePlan(absorbed=absorbed, successor=target)
    problems = []
    for holding in holdings():
        rows = holding.rows(absorbed)
        problems += holding.check(rows, target)
        plan.counts.append((holding, rows.count()))
    if problems:
        raise ValidationError(problems)
    return plan


def _unique(units):
    seen, out = set(), []
    for u in units:
        if u.pk not in seen:
            seen.add(u.pk)
            out.append(u)
    return out


def _check_absorbed(absorbed: list[OrgUnit]) -> None:
    for unit in absorbed:
        _check_active(unit, "被合并单位")
        if unit.parent_id is None:
            raise ValidationError(f"“{unit.name}”是最上级单位，不能合并。")
        for other in absorbed:
            if other.pk != unit.pk and unit.is_within(other):
                raise ValidationError(
                    f"“{unit.name}”是“{other.name}”的下级单位：下级单位随上级单位一并转入，不要重复选择。")


def _check_successor(target: OrgUnit, absorbed: list[OrgUnit], new_unit: NewUnit | None) -> None:
    if new_unit is not None:
        if not target.name:
            raise ValidationError("请填写新设单位的名称。")
        _check_active(new_unit.parent, "新设单位的上级单位")
        _check_name_free(new_unit.parent, target.name)
        within = new_unit.parent
        what = f"新设单位的上级单位“{within.name}”"
    else:
        _check_active(target, "承接单位")
        within = target
        what = f"承接单位“{target.name}”"
    for unit in absorbed:
        if within.is_within(unit):
            raise ValidationError(f"{what}是“{unit.name}”的下级单位：不能把单位合并到它自己的下级单位。")


@transaction.atomic
def orgunit_merge(*, actor: User, units: list[OrgUnit], successor: OrgUnit | None = None,
                  new_unit: NewUnit | None = None, day: date, note: str = "") -> UnitChange:
    """合并: the units' unfinished tasks (lead and assisting), responsibilities, sites, posts,
    分管 and sub-units go to the successor (an existing unit, or one created here); the units are
    deactivated and keep their closed history. One transaction: all of it or nothing."""
    units = _locked(units)
    successor = _locked([successor])[0] if successor is not None else None
    plan = merge_plan(units=units, successor=successor, new_unit=new_unit, day=day)
    target = plan.successor
    if plan.is_new:
        target.save()
    moved = {}
    for holding, _ in plan.counts:
        n = holding.transfer(holding.rows(plan.absorbed), plan.absorbed, target, day=day, actor=actor)
        if n:
            moved[holding.label] = n
    for unit in plan.absorbed:
        unit.is_active = False
        unit.save(update_fields=["is_active"])
        _remember_former_name(actor, unit.name, target, f"{day:%Y年%m月%d日}并入“{target.name}”前的单位")
    names = "、".join(u.name for u in plan.absorbed)
    change = _record(kind=UnitChange.Kind.MERGE, actor=actor, day=day, note=note, sources=plan.absorbed,
                     targets=[target], before={"units": [u.name for u in plan.absorbed]},
                     after={"successor": target.name, "new": plan.is_new}, moved=moved)
    for unit in plan.absorbed:
        event_record(actor=actor, verb="unit.merge", target=unit, unit=unit,
                     summary=f"合并（{day:%Y-%m-%d} 起）：并入“{target.name}”，本单位停用。{moved_words(moved)}")
    event_record(actor=actor, verb="unit.merge", target=target, unit=target,
                 summary=f"合并（{day:%Y-%m-%d} 起）：{'新设本单位，' if plan.is_new else ''}承接“{names}”。"
                         f"{moved_words(moved)}")
    return change
