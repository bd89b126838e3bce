"""包挂/包保: the office keeps who looks after each community and site."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from campaign.models import Guardianship, OrgUnit, User
from campaign.services.audit import diff_fields, event_record
from campaign.services.notices import notify

FIELDS = ("leader", "unit", "community", "site", "start", "end", "note")


def guardianship_problems(data: dict) -> dict[str, str]:
    """What is wrong with a row, keyed by field (the table's check constraints back the first three)."""
    problems = {}
    if bool(data.get("leader")) == bool(data.get("unit")):
        problems["leader"] = "请在“包挂领导”和“包保单位”中选择一项（只能选一项）。"
    if bool(data.get("community")) == bool(data.get("site")):
        problems["community"] = "请在“包挂社区”和“包保点位”中选择一项（只能选一项）。"
    community = data.get("community")
    if community is not None and community.kind != OrgUnit.Kind.COMMUNITY:
        problems["community"] = f"{community}不是社区/村，包挂对象请选择社区或点位。"
    if data.get("end") and data.get("start") and data["end"] < data["start"]:
        problems["end"] = "截止日期不能早于起始日期。"
    return problems


def _overlap(row: Guardianship):
    """Another row of the same guardian and target whose period meets this one."""
    others = Guardianship.objects.filter(leader=row.leader, unit=row.unit, community=row.community,
                                         site=row.site).exclude(pk=row.pk)
    if row.end is not None:
        others = others.filter(start__lte=row.end)
    return others.exclude(end__lt=row.start).first()


@transaction.atomic
def guardianship_save(*, actor: User, row: Guardianship, data: dict) -> Guardianship:
    """Create or edit a 包挂/包保 row with an audit event; a leader newly named is told in his inbox."""
    problems = guardianship_problems(data)
    if problems:
        raise ValidationError(problems)
    creating = row.pk is None
    stored = row if creating else Guardianship.objects.select_for_update().get(pk=row.pk)
    before = {} if creating else {k: getattr(stored, k) for k in data}
    for key, value in data.items():
        setattr(stored, key, value)
    clash = _overlap(stored)
    if clash is not None:
        raise ValidationError({"start": f"已有同一包挂关系：{clash}（{clash.period_label}），有效期不能重叠。"})
    stored.save()
    event_record(actor=actor, verb="guardianship.create" if creating else "guardianship.update", target=stored,
                 summary=f"{'新增' if creating else '修改'}包挂包保：{stored}（{stored.period_label}）",
                 changes=diff_fields(before, data), unit=stored.community or stored.unit)
    if stored.leader_id and (creating or before.get("leader") != stored.leader):
        notify(recipients=[stored.leader], title=f"包挂：{stored.target}",
               body=f"创文办已登记您包挂{stored.target}（{stored.period_label}），其整改任务和红灯提醒将同步给您。",
               url=reverse("reference:guardianship_list"))
    return stored


@transaction.atomic
def guardianship_delete(*, actor: User, row: Guardianship) -> None:
    """Remove a row entered by mistake (a relation that ended gets an end date instead)."""
    event_record(actor=actor, verb="guardianship.delete", target=row.leader or row.unit,
                 summary=f"删除包挂包保：{row}（{row.period_label}）", unit=row.community or row.unit)
    row.delete()
