"""单位组 and 单位别名: the names offices write for units, kept by the office (audited)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from campaign.models import OrgUnit, UnitAlias, UnitGroup, User
from campaign.models.names import name_key
from campaign.services.audit import event_record


def _refuse_unit_names(name: str, what: str) -> None:
    """A group or alias may not take the name of a unit: the unit would become unreachable."""
    k = name_key(name)
    for unit in OrgUnit.objects.filter(is_active=True).only("name", "short_name"):
        if k in {name_key(unit.name), name_key(unit.short_name or "")}:
            raise ValidationError({"name": f"“{name}”已是单位“{unit.name}”的名称，不能再用作{what}。"})


def _refuse_taken(name: str, *, group: UnitGroup | None = None, alias: UnitAlias | None = None) -> None:
    k = name_key(name)
    if UnitGroup.objects.filter(key=k).exclude(pk=getattr(group, "pk", None)).exists():
        raise ValidationError({"name": f"“{name}”已是一个单位组的名称。"})
    if UnitAlias.objects.filter(key=k).exclude(pk=getattr(alias, "pk", None)).exists():
        raise ValidationError({"name": f"“{name}”已是一个单位别名。"})


@transaction.atomic
def unit_group_save(*, actor: User, group: UnitGroup, name: str, kind: str, units: list[OrgUnit],
                    note: str = "") -> UnitGroup:
    """Create or edit a group name; a group must stand for at least one unit."""
    name = name.strip()
    _refuse_unit_names(name, "组名")
    _refuse_taken(name, group=group)
    if not kind and not units:
        raise ValidationError({"units": "请选择单位类型，或至少列出一个单位：组名要代表某些单位。"})
    creating = group.pk is None
    group.name, group.kind, group.note = name, kind, note.strip()
    group.save()
    group.units.set(units)
    event_record(actor=actor, verb="unitgroup.create" if creating else "unitgroup.update", target=group,
                 summary=f"{'新增' if creating else '修改'}单位组：{group.name}（{len(group.members())} 个单位）")
    return group


@transaction.atomic
def unit_group_delete(*, actor: User, group: UnitGroup) -> None:
    event_record(actor=actor, verb="unitgroup.delete", target=actor, summary=f"删除单位组：{group.name}")
    group.delete()


@transaction.atomic
def unit_alias_save(*, actor: User, alias: UnitAlias, name: str, unit: OrgUnit, note: str = "") -> UnitAlias:
    """Create or edit another name of a unit (a former name, a way clerks write it)."""
    name = name.strip()
    _refuse_unit_names(name, "别名")
    _refuse_taken(name, alias=alias)
    creating = alias.pk is None
    alias.name, alias.unit, alias.note = name, unit, note.strip()
    if creating:
        alias.created_by = actor
    alias.save()
    event_record(actor=actor, verb="unitalias.create" if creating else "unitalias.update", target=unit,
                 summary=f"{'新增' if creating else '修改'}单位别名：{alias.name} → {unit.name}", unit=unit)
    return alias


@transaction.atomic
def unit_alias_delete(*, actor: User, alias: UnitAlias) -> None:
    event_record(actor=actor, verb="unitalias.delete", target=alias.unit,
                 summary=f"删除单位别名：{alias.name} → {alias.unit.name}", unit=alias.unit)
    alias.delete()
