"""The life of a stored item: caption, submit, review (approve / return with a reason), correct
(supersede), and the unit's 测评材料提交表. Every change writes an audit event."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from archives.models import EvidenceItem, SubmissionForm, category_choices, category_problem
from archives.services.orphans import evidence_atomic
from archives.services.store import _indicator_ids, evidence_store
from campaign.access import can
from campaign.models import Indicator, OrgUnit, User
from campaign.services import diff_fields, event_record, notify

Status = EvidenceItem.Status
CAPTION_FIELDS = ("taken_at", "place", "people", "subject", "reason", "formed_on", "category", "year",
                  "archive_number")


def _label(field: str) -> str:
    return str(EvidenceItem._meta.get_field(field).verbose_name)


def _fresh(item: EvidenceItem) -> EvidenceItem:
    """The row again, locked: two clerks acting on one item see each other's change."""
    return EvidenceItem.objects.select_for_update(of=("self",)).select_related("unit", "uploader").get(pk=item.pk)


def _superseded(item: EvidenceItem) -> bool:
    return EvidenceItem.objects.filter(supersedes=item).exists()


def _codes(item: EvidenceItem) -> str:
    return "、".join(sorted(item.indicators.values_list("code", flat=True))) or ""


@transaction.atomic
def evidence_update_caption(*, actor: User, item: EvidenceItem, data: dict, indicators=None) -> EvidenceItem:
    """Change caption fields (any of CAPTION_FIELDS) and, if given, the linked standards.
    Approved or superseded items are locked: a correction is a new version (evidence_supersede)."""
    item = _fresh(item)
    item.check_move("caption", superseded=_superseded(item))
    unknown = set(data) - set(CAPTION_FIELDS)
    if unknown:
        raise ValueError(f"not caption fields: {sorted(unknown)}")
    if "category" in data and data["category"] not in dict(category_choices()):
        raise ValidationError(f"未知的资料类别：{data['category']}")
    problem = category_problem(item.kind, data["category"], item.original_name) if "category" in data else ""
    if problem:
        raise ValidationError(problem)
    before = {_label(k): getattr(item, k) for k in data}
    for key, value in data.items():
        setattr(item, key, value.strip() if isinstance(value, str) else value)
    # The category was checked above against the framework's categories too, not just the fixed list.
    item.clean_fields(exclude=[f.name for f in EvidenceItem._meta.fields if f.name not in data or f.name == "category"])
    item.save(update_fields=list(data))
    changes = diff_fields(before, {_label(k): getattr(item, k) for k in data})
    if indicators is not None:
        old_codes = _codes(item)
        item.indicators.set(_indicator_ids(indicators))
        if _codes(item) != old_codes:
            changes["测评标准"] = [old_codes, _codes(item)]
    if changes:
        event_record(actor=actor, verb="evidence.caption", target=item, unit=item.unit, summary="修改资料说明",
                     changes=changes)
    return item


def _check_submittable(item: EvidenceItem) -> None:
    item.check_move("submit", superseded=_superseded(item))
    gaps = item.caption_gaps()
    if gaps:
        raise ValidationError(f"《{item.title}》请先填写：{'、'.join(gaps)}。")


@transaction.atomic
def evidence_submit(*, actor: User, item: EvidenceItem) -> EvidenceItem:
    """草稿 / 退回 → 已提交 (``EVIDENCE_MOVES``), once the caption is complete."""
    item = _fresh(item)
    _check_submittable(item)
    previous = item.get_status_display()
    item.status, item.return_reason = Status.SUBMITTED, ""
    item.save(update_fields=["status", "return_reason"])
    event_record(actor=actor, verb="evidence.submit", target=item, unit=item.unit, summary="提交审核",
                 changes={"状态": [previous, item.get_status_display()]})
    return item


@transaction.atomic
def evidence_submit_many(*, actor: User, items: Iterable[EvidenceItem]) -> list[EvidenceItem]:
    """Submit several items: all of them, or none with every problem listed."""
    items = list(items)
    problems = []
    for item in items:
        try:
            _check_submittable(_fresh(item))
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    return [evidence_submit(actor=actor, item=item) for item in items]


def _require_office(actor: User) -> None:
    if not can(actor, "archives.review"):
        raise PermissionDenied("只有创文办工作人员可以审核资料。")


@transaction.atomic
def evidence_review(*, actor: User, item: EvidenceItem, approve: bool, reason: str = "") -> EvidenceItem:
    """已提交 → 已审核, or → 退回 with a reason (``EVIDENCE_MOVES``; the uploader is told why)."""
    _require_office(actor)
    item = _fresh(item)
    reason = (reason or "").strip()
    move = item.check_move("approve" if approve else "return", superseded=_superseded(item))
    if not approve and not reason:
        raise ValidationError("退回时必须填写退回原因，告诉资料员需要怎样修改。")
    if len(reason) > 500:
        raise ValidationError("退回原因不能超过 500 字。")
    (item.status,) = move.targets
    item.return_reason = "" if approve else reason
    item.reviewed_by, item.reviewed_at = actor, timezone.now()
    item.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    summary = "审核通过" if approve else f"退回：{reason}"
    event_record(actor=actor, verb="evidence.approve" if approve else "evidence.return", target=item, unit=item.unit,
                 summary=summary, changes={"状态": ["已提交", item.get_status_display()]})
    if not approve:
        notify(recipients=_people_to_tell(item), title=f"台账资料被退回：{item.title}"[:200],
               body=f"退回原因：{reason}", url=reverse("archives:detail", args=[item.pk]))
    return item


def _people_to_tell(item: EvidenceItem) -> list[User]:
    if item.uploader is not None and item.uploader.is_active:
        return [item.uploader]
    return list(User.objects.filter(memberships__unit=item.unit, memberships__role="archivist", is_active=True))


@transaction.atomic
def evidence_approve_many(*, actor: User, items: Iterable[EvidenceItem]) -> int:
    """Bulk 审核通过: all selected items, or none if any is not awaiting review."""
    _require_office(actor)
    items = [_fresh(item) for item in items]
    wrong = [f"《{i.title}》当前为“{i.get_status_display()}”" for i in items if not i.allows("approve")]
    if wrong:
        raise ValidationError(["只能审核已提交的资料：", *wrong])
    for item in items:
        evidence_review(actor=actor, item=item, approve=True)
    return len(items)


@transaction.atomic
def evidence_supersede(*, actor: User, old: EvidenceItem, new: EvidenceItem) -> EvidenceItem:
    """``new`` replaces ``old`` (a corrected version). The old item stays, marked as superseded,
    and leaves the ledger's current view; the new one takes over its standards."""
    old, new = _fresh(old), _fresh(new)
    if old.pk == new.pk:
        raise ValidationError("更正版本与原资料是同一个文件，无需替代。")
    if old.unit_id != new.unit_id:
        raise ValidationError("只能用本单位的资料替代本单位的资料。")
    old.check_move("supersede", superseded=_superseded(old))
    if new.supersedes_id or _superseded(new):
        raise ValidationError(f"《{new.title}》已在另一条更正链中，不能再用来替代。")
    new.supersedes = old
    new.save(update_fields=["supersedes"])
    new.indicators.add(*old.indicators.all())
    event_record(actor=actor, verb="evidence.supersede", target=new, unit=new.unit,
                 summary=f"作为《{old.title}》的更正版本（原资料编号 {old.pk}）")
    event_record(actor=actor, verb="evidence.superseded", target=old, unit=old.unit,
                 summary=f"被更正版本《{new.title}》替代（新资料编号 {new.pk}），原资料保留")
    return new


@evidence_atomic()
def evidence_store_correction(*, actor: User, old: EvidenceItem, file, name: str | None = None) -> EvidenceItem:
    """Upload a corrected file for ``old``: stored with old's caption, then superseding it."""
    caption = {f: getattr(old, f) for f in CAPTION_FIELDS}
    caption["taken_at"] = caption["taken_at"] or None
    new = evidence_store(file=file, uploader=actor, unit=old.unit, name=name, **caption)
    if new.pk == old.pk:
        raise ValidationError("上传的文件与原资料完全相同，请选择更正后的文件。")
    return evidence_supersede(actor=actor, old=old, new=new)


@transaction.atomic
def submission_form_save(*, actor: User, unit: OrgUnit, indicator: Indicator, self_assessment: str,
                         conclusion: str) -> SubmissionForm:
    """Write the unit's self-assessment and conclusion for one standard."""
    if not indicator.is_standard:
        raise ValidationError("测评材料提交表只针对测评标准（第四级指标）填写。")
    if conclusion and conclusion not in SubmissionForm.Conclusion.values:
        raise ValidationError(f"未知的自评结论：{conclusion}")
    form = SubmissionForm.objects.select_for_update().filter(unit=unit, indicator=indicator).first()
    creating = form is None
    form = form or SubmissionForm(unit=unit, indicator=indicator)
    before = {"自评情况": form.self_assessment, "自评结论": form.conclusion}
    form.self_assessment, form.conclusion, form.updated_by = self_assessment.strip(), conclusion, actor
    form.save()
    changes = diff_fields(before, {"自评情况": form.self_assessment, "自评结论": form.conclusion})
    if creating or changes:
        event_record(actor=actor, verb="submission.save", target=form, unit=unit, changes=changes,
                     summary=f"{'填写' if creating else '修改'}测评材料提交表：{indicator.code}")
    return form
