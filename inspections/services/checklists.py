"""Writes of checklists: create one for a site type, revise it (always as a new version)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from campaign.models import Framework, Indicator, SiteType, User
from campaign.services import event_record
from inspections.models import Checklist, ChecklistItem


def _clean_items(items: list[dict], framework: Framework) -> list[dict]:
    """Numbered 1..n in the given order; every line needs text, a standard of the framework and
    positive points. Raises one ValidationError naming every bad line."""
    if not items:
        raise ValidationError("检查表至少需要一个检查项。")
    standard_ids = set(
        Indicator.objects.filter(framework=framework, level=Indicator.Level.STANDARD,
                                 pk__in=[i.get("indicator").pk for i in items if i.get("indicator")])
        .values_list("pk", flat=True)
    )
    errors, clean = [], []
    for number, raw in enumerate(items, start=1):
        text = (raw.get("text") or "").strip()
        indicator = raw.get("indicator")
        try:
            points = Decimal(str(raw.get("points", 1)))
        except InvalidOperation:
            points = Decimal(0)
        if not text:
            errors.append(f"第 {number} 项没有填写检查内容")
        elif len(text) > 300:
            errors.append(f"第 {number} 项检查内容超过 300 字")
        if indicator is None or indicator.pk not in standard_ids:
            errors.append(f"第 {number} 项没有选择“{framework.name}”中的测评标准")
        if points <= 0 or points >= 1000:
            errors.append(f"第 {number} 项分值应大于 0 且小于 1000")
        clean.append({"number": number, "text": text, "indicator": indicator, "points": points})
    if errors:
        raise ValidationError("；".join(errors) + "。")
    return clean


def _write_items(checklist: Checklist, items: list[dict]) -> None:
    ChecklistItem.objects.bulk_create([ChecklistItem(checklist=checklist, **item) for item in items])


@transaction.atomic
def checklist_create(*, actor: User | None, site_type: SiteType, name: str, items: list[dict],
                     note: str = "", framework: Framework | None = None) -> Checklist:
    """The first checklist of a site type (version 1, active)."""
    framework = framework or Framework.active()
    if framework is None:
        raise ValidationError("还没有启用的测评体系，请先在“基础数据”中导入并启用测评体系。")
    if Checklist.objects.select_for_update().filter(site_type=site_type).exists():
        raise ValidationError(f"“{site_type.name}”已有检查表，请在原检查表上修订（会生成新版本）。")
    name = (name or "").strip() or f"{site_type.name}实地考察检查表"
    clean = _clean_items(items, framework)
    checklist = Checklist.objects.create(site_type=site_type, framework=framework, name=name, version=1,
                                         note=note, created_by=actor)
    _write_items(checklist, clean)
    event_record(actor=actor, verb="checklist.create", target=checklist,
                 summary=f"新建检查表：{checklist}，{len(clean)} 项")
    return checklist


@transaction.atomic
def checklist_revise(*, actor: User | None, checklist: Checklist, name: str, items: list[dict],
                     note: str = "") -> Checklist:
    """Editing the active version writes version N+1 and retires N. Visits already started keep
    the version (and points) they used; visits started afterwards use the new one."""
    current = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if not current.is_active:
        raise ValidationError(f"“{current}”是历史版本，不能修改；请修订现行版本。")
    framework = Framework.active()
    if framework is None:
        raise ValidationError("还没有启用的测评体系，不能修订检查表。")
    clean = _clean_items(items, framework)
    name = (name or "").strip() or current.name
    if not note.strip():
        raise ValidationError("请填写修订说明（例如：新增第 12 项“无障碍设施”）。")
    current.status = Checklist.Status.RETIRED
    current.save(update_fields=["status"])
    new = Checklist.objects.create(
        site_type=current.site_type, framework=framework, name=name, version=current.version + 1,
        replaces=current, note=note.strip(), created_by=actor,
    )
    _write_items(new, clean)
    event_record(actor=actor, verb="checklist.revise", target=new,
                 summary=f"修订检查表：{new.name} 第{current.version}版 → 第{new.version}版（{note.strip()}）",
                 changes={"版本": [current.version, new.version], "检查项数": [current.items.count(), len(clean)]})
    return new
