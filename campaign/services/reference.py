"""Reference data: editions of the indicator system, standards, sites, the responsibility matrix
and 分管 (oversight)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from campaign.models import (
    Framework,
    Indicator,
    Oversight,
    Responsibility,
    Site,
    TimeLimit,
    User,
)
from campaign.models.reference import LATITUDE_RANGE, LONGITUDE_RANGE
from campaign.services.audit import diff_fields, event_record
from campaign.services.notices import notify


def _refuse_if_read_only(framework) -> None:
    if not framework.is_active:
        raise ValidationError(f"“{framework.name}”是历史版本（已停用），仅供查阅，不能修改。如需调整，请先启用该版本或修改当前版本。")


def _apply(obj, data: dict) -> None:
    for key, value in data.items():
        setattr(obj, key, value)


def _names(objects) -> str:
    return "、".join(sorted(str(o) for o in objects))


@transaction.atomic
def framework_create(*, actor: User, name: str, year: int, note: str = "", copy_active: bool = False) -> Framework:
    """A new, not yet active edition; optionally a copy of the active one (tree, site types, matrix)."""
    framework = Framework.objects.create(name=name, year=year, note=note, is_active=False)
    source = Framework.active() if copy_active else None
    copied = _framework_copy_tree(source, framework) if source else 0
    summary = f"新建测评体系版本：{framework}" + (f"（复制自“{source.name}”，{copied} 个指标）" if source else "")
    event_record(actor=actor, verb="framework.create", target=framework, summary=summary)
    return framework


def _framework_copy_tree(source: Framework, target: Framework) -> int:
    """Copy indicators (parents before children), their site types and the responsibility rows."""
    mapping: dict[int, Indicator] = {}
    for old in source.indicators.order_by("level", "sort_order", "id").prefetch_related("site_types"):
        new = Indicator.objects.create(
            framework=target, parent=mapping.get(old.parent_id), level=old.level, code=old.code, name=old.name,
            text=old.text, methods=old.methods, points=old.points, evidence_categories=old.evidence_categories,
            is_negative=old.is_negative, sort_order=old.sort_order,
        )
        new.site_types.set(old.site_types.all())
        mapping[old.pk] = new
    rows = Responsibility.objects.filter(indicator__framework=source).prefetch_related(
        "responsible_units", "assisting_units"
    )
    for row in rows:
        copy = Responsibility.objects.create(
            indicator=mapping[row.indicator_id], site_type_id=row.site_type_id, site_id=row.site_id,
            leader_id=row.leader_id, lead_unit_id=row.lead_unit_id, time_limit_id=row.time_limit_id,
            deadline=row.deadline, note=row.note,
        )
        copy.responsible_units.set(row.responsible_units.all())
        copy.assisting_units.set(row.assisting_units.all())
    return len(mapping)


@transaction.atomic
def framework_update(*, actor: User, framework: Framework, data: dict) -> Framework:
    stored = Framework.objects.select_for_update().get(pk=framework.pk)
    _refuse_if_read_only(stored)
    before = {k: getattr(stored, k) for k in data}
    _apply(stored, data)
    stored.save()
    event_record(actor=actor, verb="framework.update", target=stored, summary=f"修改测评体系版本：{stored}",
                 changes=diff_fields(before, data))
    return stored


@transaction.atomic
def framework_activate(*, actor: User, framework: Framework) -> Framework:
    """Make this edition the active one; the previous one becomes read-only, in one transaction."""
    editions = {f.pk: f for f in Framework.objects.select_for_update().order_by("pk")}
    target = editions[framework.pk]
    if target.is_active:
        return target
    for previous in [f for f in editions.values() if f.is_active]:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
        event_record(actor=actor, verb="framework.deactivate", target=previous,
                     summary=f"停用测评体系版本：{previous}（由“{target.name}”取代，转为只读）")
    target.is_active = True
    target.save(update_fields=["is_active"])
    event_record(actor=actor, verb="framework.activate", target=target, summary=f"启用测评体系版本：{target}")
    return target


@transaction.atomic
def indicator_save(
    *, actor: User, indicator: Indicator, data: dict, site_types: Iterable | None = None
) -> Indicator:
    """Create (``indicator.pk is None``; framework and parent set) or edit an indicator. A new code
    re-paths the subtree below it."""
    framework = Framework.objects.select_for_update().get(pk=indicator.framework_id)
    _refuse_if_read_only(framework)
    creating = indicator.pk is None
    if creating:
        stored = indicator
        stored.level = stored.parent.level + 1 if stored.parent_id else Indicator.Level.AREA
        before = {}
    else:
        stored = Indicator.objects.get(pk=indicator.pk)
        before = {k: getattr(stored, k) for k in data}
    _apply(stored, data)
    if creating and not stored.sort_order:
        siblings = Indicator.objects.filter(framework=framework, parent_id=stored.parent_id)
        stored.sort_order = (siblings.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    stored.save()
    changes = diff_fields(before, data)
    if site_types is not None:
        old_types = set() if creating else set(stored.site_types.all())
        new_types = set(site_types)
        if old_types != new_types:
            stored.site_types.set(new_types)
            changes["适用点位类型"] = [_names(old_types), _names(new_types)]
    if not creating and before.get("code") != stored.code:
        _repath_children(stored)
    event_record(actor=actor, verb="indicator.create" if creating else "indicator.update", target=stored,
                 summary=f"{'新增' if creating else '修改'}{stored.get_level_display()}：{stored}", changes=changes)
    return stored


def _repath_children(node: Indicator) -> None:
    for child in node.children.all():
        child.save(update_fields=["path"])
        _repath_children(child)


@transaction.atomic
def site_save(*, actor: User, site: Site, data: dict) -> Site:
    """Create or edit a 点位 from cleaned form data, with an audit event. A refusal is a
    ValidationError keyed by the field concerned."""
    problems = _site_problems(site, data)
    if problems:
        raise ValidationError(problems)
    creating = site.pk is None
    stored = site if creating else Site.objects.get(pk=site.pk)
    before = {} if creating else {k: getattr(stored, k) for k in data}
    _apply(stored, data)
    stored.save()
    event_record(actor=actor, verb="site.create" if creating else "site.update", target=stored,
                 summary=f"{'新增' if creating else '修改'}点位：{stored.name}（{stored.site_type}）",
                 changes=diff_fields(before, data), unit=stored.adopting_unit or stored.district)
    return stored


def _site_problems(site: Site, data: dict) -> dict[str, str]:
    problems = {}
    for name, label, bounds in (("longitude", "经度", LONGITUDE_RANGE), ("latitude", "纬度", LATITUDE_RANGE)):
        value = data.get(name)
        if value is not None and not bounds[0] <= value <= bounds[1]:
            problems[name] = (f"{label}应在 {bounds[0]}～{bounds[1]} 度之间（中国境内），"
                              "请检查是否填反或多写了位数。")
    if not problems and (data.get("longitude") is None) != (data.get("latitude") is None):
        problems["latitude" if data.get("latitude") is None else "longitude"] = "经度和纬度需要同时填写，或同时留空。"
    district, street, name = data.get("district"), data.get("street"), (data.get("name") or "").strip()
    if district and street and not street.is_within(district):
        problems["street"] = f"“{street.name}”不属于{district.name}，请选择{district.name}下的街道或乡镇。"
    # Backed by the constraint site_unique_name_in_district.
    if district and name and Site.objects.filter(district=district, name=name).exclude(pk=site.pk).exists():
        problems["name"] = f"{district.name}已有名为“{name}”的点位，请换一个名称或编辑已有点位。"
    return problems


@transaction.atomic
def responsibility_save(
    *, actor: User, row: Responsibility, data: dict, responsible_units: Iterable, assisting_units: Iterable
) -> Responsibility:
    """Create or edit a row of the matrix; people newly named in it are told in their inbox."""
    indicators = [data.get("indicator") or row.indicator] + ([row.indicator] if row.pk else [])
    for framework in Framework.objects.select_for_update().filter(pk__in={i.framework_id for i in indicators}):
        _refuse_if_read_only(framework)
    assisting_units = list(assisting_units)
    problems = _responsibility_problems(row, data, assisting_units)
    if problems:
        raise ValidationError(problems)
    creating = row.pk is None
    stored = row if creating else Responsibility.objects.get(pk=row.pk)
    before = {} if creating else {k: getattr(stored, k) for k in data}
    old_units = {"责任单位": set(), "配合单位": set()} if creating else {
        "责任单位": set(stored.responsible_units.all()), "配合单位": set(stored.assisting_units.all())}
    old_people = _row_people(stored, old_units) if not creating else set()
    _apply(stored, data)
    stored.save()
    new_units = {"责任单位": set(responsible_units), "配合单位": set(assisting_units)}
    stored.responsible_units.set(new_units["责任单位"])
    stored.assisting_units.set(new_units["配合单位"])
    changes = diff_fields(before, data)
    changes.update({k: [_names(old_units[k]), _names(v)] for k, v in new_units.items() if old_units[k] != v})
    event_record(actor=actor, verb="responsibility.create" if creating else "responsibility.update",
                 target=stored, summary=f"{'新增' if creating else '修改'}责任分工：{stored}",
                 changes=changes, unit=stored.lead_unit)
    newcomers = _row_people(stored, new_units) - old_people
    notify(recipients=newcomers, title=f"责任分工调整：{stored.indicator.code} {stored.indicator.name}",
           body=f"您或您的单位已被列入该指标的责任分工（{stored.scope_label}）。",
           url=reverse("reference:indicator_detail", args=[stored.indicator_id]))
    return stored


def _responsibility_problems(row: Responsibility, data: dict, assisting_units: list) -> dict[str, str]:
    """What is wrong with a matrix row, keyed by the field concerned (the DB constraints
    responsibility_site_or_type and responsibility_unique_scope back the first and the last)."""
    problems = {}
    if data.get("site") and data.get("site_type"):
        problems["site"] = "一行分工只能限定点位类型或单个点位之一；按单个点位分工时请把“限定点位类型”留空。"
    time_limit, deadline = data.get("time_limit"), data.get("deadline")
    if time_limit and time_limit.kind == TimeLimit.Kind.DATE and not deadline:
        problems["deadline"] = "“指定日期”时限需要填写完成日期。"
    if deadline and (not time_limit or time_limit.kind != TimeLimit.Kind.DATE):
        problems["deadline"] = "只有“指定日期”时限才填写完成日期；请改选“指定日期”或清空此项。"
    lead = data.get("lead_unit")
    if lead and lead in assisting_units:
        problems["assisting_units"] = f"“{lead.name}”已是牵头单位，不能同时作为配合单位。"
    indicator = data.get("indicator") or row.indicator
    if "site" not in problems:
        taken = Responsibility.objects.filter(indicator=indicator, site_type=data.get("site_type"),
                                              site=data.get("site")).exclude(pk=row.pk)
        if taken.exists():
            other = taken.select_related("lead_unit").first()
            problems["indicator"] = (f"“{indicator.code}”在“{other.scope_label}”范围内已有一行分工（牵头单位："
                                     f"{other.lead_unit or '未定'}），请直接编辑那一行，或改选限定范围。")
    return problems


def _row_people(row: Responsibility, units: dict) -> set[User]:
    """The leader, and the heads and liaisons of every unit named in a row."""
    named = {row.lead_unit, *units["责任单位"], *units["配合单位"]} - {None}
    people = set(User.objects.filter(memberships__unit__in=named, memberships__role__in=["unit_head", "liaison"]))
    if row.leader is not None:
        people.add(row.leader)
    return people


@transaction.atomic
def responsibility_delete(*, actor: User, row: Responsibility) -> None:
    indicator = row.indicator
    _refuse_if_read_only(indicator.framework)
    label = str(row)
    row.delete()
    event_record(actor=actor, verb="responsibility.delete", target=indicator, summary=f"删除责任分工：{label}")


@transaction.atomic
def oversight_save(*, actor: User, row: Oversight, data: dict) -> Oversight:
    """Create or edit a 分管 row, with an audit event; the leader is told in their inbox."""
    creating = row.pk is None
    stored = row if creating else Oversight.objects.select_for_update().get(pk=row.pk)
    before = {} if creating else {k: getattr(stored, k) for k in data}
    _apply(stored, data)
    # Backed by the constraints oversight_end_after_start and oversight_unique_start.
    if stored.end is not None and stored.end < stored.start:
        raise ValidationError({"end": "截止日期不能早于起始日期。"})
    clash = Oversight.objects.filter(leader=stored.leader, unit=stored.unit, start=stored.start).exclude(pk=stored.pk)
    if clash.exists():
        raise ValidationError({"start": f"{stored.leader}分管{stored.unit}自 {stored.start:%Y-%m-%d} 起的记录已经存在。"})
    stored.save()
    event_record(actor=actor, verb="oversight.create" if creating else "oversight.update", target=stored,
                 summary=f"{'新增' if creating else '修改'}分管关系：{stored}（{stored.period_label}）",
                 changes=diff_fields(before, data), unit=stored.unit)
    if creating or before.get("leader") != stored.leader:
        notify(recipients=[stored.leader], title=f"分管关系：{stored.unit}",
               body=f"创文办已登记您分管{stored.unit}（{stored.period_label}），其任务、台账和统计已列入您的查看范围。",
               url=reverse("reference:oversight_list"))
    return stored


@transaction.atomic
def oversight_delete(*, actor: User, row: Oversight) -> None:
    """Remove a row entered by mistake (a relation that ended is given an end date instead)."""
    label = f"{row}（{row.period_label}）"
    event_record(actor=actor, verb="oversight.delete", target=row.leader, summary=f"删除分管关系：{label}",
                 unit=row.unit)
    row.delete()
