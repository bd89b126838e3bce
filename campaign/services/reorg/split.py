"""拆分: one unit's holdings shared out among two or more successors, row by row as the office
chose; the unit is then deactivated. The page lists every row (``split_items``) with a choice of
successor; ``orgunit_split`` refuses if the rows changed since the page was drawn, so nothing is
left behind unassigned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from campaign.models import OrgUnit, UnitChange, User
from campaign.services.audit import event_record
from campaign.services.reorg.changes import (
    _check_active,
    _check_day,
    _check_name_free,
    _locked,
    _record,
    moved_words,
)
from campaign.services.reorg.holdings import Holding, holdings


@dataclass
class SplitGroup:
    """One holding's rows of the unit being split, as (id, words) pairs."""

    holding: Holding
    rows: list[tuple[int, str]]


def split_items(unit: OrgUnit) -> list[SplitGroup]:
    """Every row the unit holds that must go to a successor (holdings with no rows left out)."""
    groups = []
    for holding in holdings():
        rows = [(row.pk, holding.describe(row)) for row in holding.rows([unit])]
        if rows:
            groups.append(SplitGroup(holding, rows))
    return groups


def split_successors(*, unit: OrgUnit, existing: list[OrgUnit], new_names: list[str]) -> list[OrgUnit]:
    """The successors in the order the page offers them: existing units, then new ones (unsaved,
    under the unit's own parent, of its kind). ValidationError if they cannot take the unit's
    place."""
    names = [n.strip() for n in new_names if n.strip()]
    if len(existing) + len(names) < 2:
        raise ValidationError("拆分至少需要两个承接单位；整体转给一个单位请使用“合并”。")
    if len(set(names)) < len(names):
        raise ValidationError("新设单位的名称有重复。")
    for other in existing:
        _check_active(other, "承接单位")
        if other.pk == unit.pk or other.is_within(unit):
            raise ValidationError(f"承接单位“{other.name}”是被拆分单位本身或它的下级单位，不能承接。")
    for name in names:
        _check_name_free(unit.parent, name)
    if len({u.pk for u in existing}) < len(existing):
        raise ValidationError("承接单位有重复。")
    return [*existing, *(OrgUnit(name=n, kind=unit.kind, parent=unit.parent) for n in names)]


def _check_assignments(groups: list[SplitGroup], assignments: dict, successors: list[OrgUnit]) -> None:
    for group in groups:
        chosen = assignments.get(group.holding.key, {})
        if set(chosen) != {pk for pk, _ in group.rows}:
            raise ValidationError("被拆分单位的待转移事项已有变化（或有事项未选择承接单位），请重新打开本页分配。")
        if any(not 0 <= index < len(successors) for index in chosen.values()):
            raise ValidationError("所选承接单位无效，请重新选择。")


@transaction.atomic
def orgunit_split(*, actor: User, unit: OrgUnit, existing: list[OrgUnit], new_names: list[str],
                  assignments: dict[str, dict[int, int]], day: date, note: str = "") -> UnitChange:
    """拆分 ``unit``: ``assignments`` maps each holding's key to {row id: index of its successor}
    (indices into existing units, then new names). All rows must be assigned."""
    [unit] = _locked([unit])
    existing = _locked(existing)
    _check_day(day)
    _check_active(unit, "被拆分单位")
    if unit.parent_id is None:
        raise ValidationError(f"“{unit.name}”是最上级单位，不能拆分。")
    successors = split_successors(unit=unit, existing=existing, new_names=new_names)
    groups = split_items(unit)
    _check_assignments(groups, assignments, successors)
    problems = []
    for group in groups:
        for index, successor in enumerate(successors):
            problems += group.holding.check(_assigned(group, assignments, index, unit), successor)
    if problems:
        raise ValidationError(problems)
    for successor in successors:
        if successor.pk is None:
            successor.save()
    moved: dict[str, dict[str, int]] = {s.name: {} for s in successors}
    for group in groups:
        for index, successor in enumerate(successors):
            rows = _assigned(group, assignments, index, unit)
            n = group.holding.transfer(rows, [unit], successor, day=day, actor=actor) if rows.exists() else 0
            if n:
                moved[successor.name][group.holding.label] = n
    unit.is_active = False
    unit.save(update_fields=["is_active"])
    change = _record(kind=UnitChange.Kind.SPLIT, actor=actor, day=day, note=note, sources=[unit],
                     targets=successors, before={"unit": unit.name},
                     after={"successors": [s.name for s in successors]}, moved=moved)
    event_record(actor=actor, verb="unit.split", target=unit, unit=unit,
                 summary=f"拆分（{day:%Y-%m-%d} 起）：分设为“{'、'.join(s.name for s in successors)}”，本单位停用。")
    for successor in successors:
        event_record(actor=actor, verb="unit.split", target=successor, unit=successor,
                     summary=f"拆分（{day:%Y-%m-%d} 起）：承接“{unit.name}”的部分事项。{moved_words(moved[successor.name])}")
    return change


def _assigned(group: SplitGroup, assignments: dict, index: int, unit: OrgUnit):
    ids = [pk for pk, chosen in assignments[group.holding.key].items() if chosen == index]
    return group.holding.rows([unit]).filter(pk__in=ids)
