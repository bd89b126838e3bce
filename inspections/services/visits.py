"""Writes of visits: start (or resume), save a draft, add and remove photos, submit."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from archives.services import evidence_store
from campaign.models import Membership, OrgUnit, Site, User
from campaign.models.moves import Move
from campaign.services import event_record
from inspections.models import (
    Checklist,
    InspectionRound,
    RecheckItem,
    Result,
    RoundSite,
    Visit,
    VisitPhoto,
    VisitResult,
)

MAX_PHOTOS_PER_LINE = 9
ANSWERS = {"", *Result.values}


def _check_member(rnd: InspectionRound, actor: User) -> None:
    if not rnd.is_member(actor):
        raise PermissionDenied("您不是本轮次的检查人员。")


def _check_editable(visit: Visit, actor: User, action: str = "edit") -> Move:
    """Only the visit's own inspector, while the visit (``VISIT_MOVES``) and its round
    (``ROUND_MOVES``) allow ``action``."""
    if visit.inspector_id != actor.pk:
        raise PermissionDenied(f"这份检查由 {visit.inspector} 填写，只有本人可以修改。")
    move = visit.check_move(action)
    visit.round.check_move("fill_visit")
    return move


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        return None
    return number if abs(number) <= 180 else None


@transaction.atomic
def visit_start(*, actor: User, round: InspectionRound, site: Site, latitude=None, longitude=None,
                now: datetime | None = None) -> Visit:
    """Open the visit of a planned site, or hand back the actor's own draft to resume it.

    The lines are copied from the site type's current checklist (a 回头看 round: from the closed
    tasks planned for this site), so later checklist revisions never change this visit."""
    now = now or timezone.now()
    _check_member(round, actor)
    planned = RoundSite.objects.select_for_update().filter(round=round, site=site).first()
    if planned is None:
        raise ValidationError(f"“{site.name}”不在本轮次的检查计划中。")
    existing = Visit.objects.filter(round=round, site=site).select_related("inspector").first()
    if existing is not None:
        if existing.inspector_id == actor.pk:
            return existing
        raise ValidationError(f"“{site.name}”已由 {existing.inspector} 检查（{existing.get_status_display()}）。")
    round.check_move("start_visit")
    if timezone.localdate(now) < round.start_date:
        raise ValidationError(f"本轮次 {round.start_date:%Y-%m-%d} 开始，届时再检查。")
    checklist, lines = _lines_for(round, site)
    visit = Visit.objects.create(round=round, site=site, checklist=checklist, inspector=actor, started_at=now,
                                 latitude=_decimal(latitude), longitude=_decimal(longitude))
    for line in lines:
        line.visit = visit
    VisitResult.objects.bulk_create(lines)
    if planned.assignee_id is None:
        planned.assignee = actor
        planned.save(update_fields=["assignee"])
    event_record(actor=actor, verb="visit.start", target=visit,
                 summary=f"开始检查：{site.name}（{round.name}，{len(lines)} 项）")
    return visit


def _lines_for(rnd: InspectionRound, site: Site) -> tuple[Checklist | None, list[VisitResult]]:
    if rnd.is_recheck:
        items = (RecheckItem.objects.filter(round=rnd, site=site).select_related("task", "indicator")
                 .order_by("task__assigned_at", "pk"))
        lines = [
            VisitResult(recheck=r, number=n, label=f"复查 {r.task.number}：{r.task.title}"[:300],
                        indicator=r.indicator, points=Decimal(1))
            for n, r in enumerate(items, start=1)
        ]
        if not lines:
            raise ValidationError(f"“{site.name}”在本轮次没有待复查的问题。")
        return None, lines
    checklist = Checklist.objects.active().filter(site_type=site.site_type_id).first()
    if checklist is None:
        raise ValidationError(f"“{site.site_type}”还没有现行检查表，请联系创文办先编制检查表。")
    lines = [
        VisitResult(item=i, number=i.number, label=i.text, indicator_id=i.indicator_id, points=i.points)
        for i in checklist.items.order_by("number")
    ]
    return checklist, lines


def _apply_answers(visit: Visit, answers: dict[int, dict]) -> int:
    """Write the given lines' result and note; unknown line ids or values are refused."""
    lines = {line.pk: line for line in visit.results.all()}
    unknown = [pk for pk in answers if pk not in lines]
    if unknown:
        raise ValidationError("提交的检查项与这份检查不符，请刷新页面后重试。")
    changed = []
    for pk, answer in answers.items():
        line = lines[pk]
        result = answer.get("result", line.result) or ""
        note = (answer.get("note", line.note) or "").strip()
        if result not in ANSWERS:
            raise ValidationError(f"第 {line.number} 项的检查结果无效。")
        if len(note) > 500:
            raise ValidationError(f"第 {line.number} 项的情况说明超过 500 字，请精简。")
        if (result, note) != (line.result, line.note):
            line.result, line.note = result, note
            changed.append(line)
    if changed:
        VisitResult.objects.bulk_update(changed, ["result", "note"])
    return len(changed)


@transaction.atomic
def visit_save(*, actor: User, visit: Visit, answers: dict[int, dict], note: str | None = None,
               autosave: bool = False) -> Visit:
    """Save a draft (the phone page does this by itself every few seconds). Automatic saves are
    not written to the audit trail one by one; the explicit 保存 and the submission are."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("round", "site").get(pk=visit.pk)
    _check_editable(visit, actor)
    changed = _apply_answers(visit, answers)
    if note is not None:
        visit.note = note.strip()[:2000]
    visit.saved_at = timezone.now()
    visit.save(update_fields=["note", "saved_at"])
    if not autosave:
        done = visit.results.exclude(result="").count()
        event_record(actor=actor, verb="visit.save", target=visit,
                     summary=f"保存检查草稿：{visit.site.name}（已检查 {done}/{visit.results.count()} 项，本次改动 {changed} 项）")
    return visit


def evidence_unit(actor: User) -> OrgUnit:
    """Visit photos are filed as evidence of the inspector's own unit (the office, or the assessors'
    group): they are the inspectors' record. The responsible unit gets them as the task's
    before-photos when a task is raised."""
    membership = (Membership.objects.filter(user=actor, role__in=["inspector", "assessor", "office", "district_office"])
                  .select_related("unit").order_by("pk").first())
    if membership is None:
        membership = Membership.objects.filter(user=actor).select_related("unit").order_by("pk").first()
    if membership is not None:
        return membership.unit
    office = OrgUnit.objects.filter(kind=OrgUnit.Kind.OFFICE).order_by("path").first()
    if office is None:
        raise ValidationError("您还没有所属单位，照片无法归档。请联系创文办为您添加任职。")
    return office


def visit_add_photo(*, actor: User, visit: Visit, line: VisitResult, file) -> VisitPhoto:
    """Store one photo (checked, hashed, EXIF time and GPS read, rendition queued) and attach it to
    a line. Each photo is uploaded on its own as soon as it is taken, so large phone photos
    never pile up into one slow submission."""
    visit = Visit.objects.select_related("round", "site").get(pk=visit.pk)
    _check_editable(visit, actor)
    if line.visit_id != visit.pk:
        raise ValidationError("照片对应的检查项不属于这份检查。")
    if line.photos.count() >= MAX_PHOTOS_PER_LINE:
        raise ValidationError(f"第 {line.number} 项最多上传 {MAX_PHOTOS_PER_LINE} 张照片。")
    site = visit.site
    item = evidence_store(
        file=file, uploader=actor, unit=evidence_unit(actor), category="照片", indicators=[line.indicator_id],
        place=f"{site.name}{'（' + site.address + '）' if site.address else ''}"[:200],
        people=actor.get_full_name()[:200],
        subject=f"{visit.round.name}·{site.name} 第{line.number}项"[:200],
        reason=f"{visit.round.kind}：{line.label}"[:500],
        photos_only=True,
    )
    with transaction.atomic():
        photo, created = VisitPhoto.objects.get_or_create(
            result=line, evidence=item, defaults={"visit": visit, "uploaded_by": actor})
        if created:
            event_record(actor=actor, verb="visit.photo_add", target=visit,
                         summary=f"上传照片：{site.name} 第{line.number}项（{item.original_name}）")
    return photo


@transaction.atomic
def visit_remove_photo(*, actor: User, photo: VisitPhoto) -> None:
    """Take a photo off a draft. The stored evidence item stays in the archive as the inspector's
    draft (files are never deleted behind the archive's back)."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("round", "site").get(pk=photo.visit_id)
    _check_editable(visit, actor)
    number = photo.result.number
    photo.delete()
    event_record(actor=actor, verb="visit.photo_remove", target=visit,
                 summary=f"删除照片：{visit.site.name} 第{number}项")
