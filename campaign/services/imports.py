"""Spreadsheet imports of the indicator system and the site list, all or nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from campaign.models import (
    Framework,
    User,
)
from campaign.services.audit import event_record
from campaign.services.reference import framework_activate


@transaction.atomic
def framework_import(
    *, actor: User, parsed, filename: str, framework: Framework | None = None, name: str = "",
    year: int | None = None, activate: bool = False,
) -> Framework:
    """Create the indicator tree and responsibility matrix of a checked 目标任务分解表 (a
    ``spreadsheets.FrameworkImport`` without errors), all or nothing. The rows go into a NEW
    edition (``name``/``year``), or into ``framework`` if that edition has no indicators yet: an
    import never mixes with an edition's existing rows. ``activate`` makes the new edition the
    active one (the previous one becomes read-only)."""
    from campaign.models import Framework as FrameworkModel
    from campaign.services.spreadsheets.load import create_indicators, create_responsibilities, write_answers

    if not parsed.is_valid:
        raise ValidationError("文件中还有错误，不能导入。请修改后重新上传。")
    if framework is None:
        framework = FrameworkModel.objects.create(name=name, year=year, is_active=False, note=f"由《{filename}》导入")
        event_record(actor=actor, verb="framework.create", target=framework, summary=f"新建测评体系版本：{framework}")
    else:
        framework = FrameworkModel.objects.select_for_update().get(pk=framework.pk)
        if framework.indicators.exists():
            raise ValidationError(f"“{framework}”已经有指标，导入只能新建版本或填入没有指标的空版本。")
    for verb, target, summary in write_answers(parsed, actor=actor):
        event_record(actor=actor, verb=verb, target=target, summary=summary)
    by_code = create_indicators(framework, parsed)
    duties = create_responsibilities(parsed, by_code)
    counts = "、".join(f"{label} {n}" for label, n in parsed.counts().items() if label != "责任分工")
    event_record(
        actor=actor, verb="framework.import", target=framework,
        summary=f"导入目标任务分解表《{filename}》到“{framework}”：{counts}，责任分工 {len(duties)} 条",
    )
    if activate:
        framework = framework_activate(actor=actor, framework=framework)
    return framework


@transaction.atomic
def framework_update_import(*, actor: User, parsed, filename: str, framework: Framework) -> tuple[int, int]:
    """Update the active edition in place from an edited sheet (a ``FrameworkImport`` parsed with
    ``update=framework``, without errors): new indicators and rows added, changed ones updated,
    the rest untouched, all or nothing. Returns (created, updated)."""
    from campaign.services.spreadsheets.load import update_framework, write_answers

    if not parsed.is_valid or parsed.differences is None:
        raise ValidationError("文件中还有错误，不能导入。请修改后重新上传。")
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if not framework.is_active:
        raise ValidationError(f"“{framework}”已不是当前启用版本，不能按表格更新。")
    for verb, target, summary in write_answers(parsed, actor=actor):
        event_record(actor=actor, verb=verb, target=target, summary=summary)
    created, updated = update_framework(framework, parsed)
    if created or updated:
        event_record(actor=actor, verb="framework.import", target=framework,
                     summary=f"按《{filename}》更新“{framework}”：新增 {created} 条，修改 {updated} 条，"
                             f"{parsed.differences.unchanged} 条无变化")
    return created, updated


@transaction.atomic
def site_list_import(*, actor: User, parsed, filename: str) -> tuple[int, int]:
    """Create and update sites from a checked 点位清单 (a ``spreadsheets.SiteImport`` without
    errors), matched by district and name, all or nothing. Returns (created, updated)."""
    from campaign.services.spreadsheets.load import upsert_sites

    if not parsed.is_valid:
        raise ValidationError("文件中还有错误，不能导入。请修改后重新上传。")
    created, updated = upsert_sites(parsed)
    unchanged = len(parsed.rows) - created - updated
    event_record(
        actor=actor, verb="site.import", target=actor,
        summary=f"导入点位清单《{filename}》：新增 {created} 个，更新 {updated} 个，无变化 {unchanged} 个",
    )
    return created, updated
