"""Submitting a visit (score and findings), and raising rectification tasks from findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from campaign.access import office_over
from campaign.models import TimeLimit, User
from campaign.selectors import responsibility_for
from campaign.services import event_record
from inspections.models import Finding, InspectionRound, Result, RoundKind, Visit, VisitPhoto
from inspections.services.recheck import recheck_settle
from inspections.services.recurrence import flag_recurrence
from inspections.services.visits import _apply_answers, _check_editable
from tasks.models import UNFINISHED_STATES, RectificationTask, Source
from tasks.services import TransitionError, task_create

# The task's 问题来源 for each kind of round. A new failure seen during 回头看 is a 督查 finding;
# a 反弹 keeps the source of the task that rebounded (task_rebound copies it).
SOURCE_FOR_KIND = {
    RoundKind.SUPERVISION: Source.SUPERVISION,
    RoundKind.UNDERCOVER: Source.UNDERCOVER,
    RoundKind.PATROL: Source.PATROL,
    RoundKind.MOCK: Source.MOCK,
    RoundKind.RECHECK: Source.SUPERVISION,
}
DEFAULT_TIME_LIMIT = "5个工作日"


def _numbers(lines) -> str:
    return "、".join(str(line.number) for line in lines)


def _check_complete(visit: Visit) -> None:
    lines = list(visit.results.all())
    missing = [line for line in lines if not line.result]
    if missing:
        raise ValidationError(f"还有 {len(missing)} 项未检查（第 {_numbers(missing)} 项），请逐项选择后再提交。")
    with_photo = set(VisitPhoto.objects.filter(visit=visit).values_list("result_id", flat=True))
    bare = [line for line in lines if line.result == Result.FAILED and line.pk not in with_photo]
    if bare:
        raise ValidationError(f"不符合的项目需要拍照留证：第 {_numbers(bare)} 项还没有照片。")


@transaction.atomic
def visit_submit(*, actor: User, visit: Visit, answers: dict[int, dict] | None = None, note: str | None = None,
                 now: datetime | None = None) -> Visit:
    """Freeze a visit: every line answered, every 不符合 with a photo. Stores the score (不适用
    lines count in neither part), turns each 不符合 into a Finding carrying its photos, and in
    a 回头看 round settles each re-check (a 反弹 opens the linked task at once)."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update(of=("self",)).select_related("round", "site").get(pk=visit.pk)
    move = _check_editable(visit, actor, "submit")
    if answers:
        _apply_answers(visit, answers)
    if note is not None:
        visit.note = note.strip()[:2000]
    _check_complete(visit)
    scored = [line for line in visit.results.all() if line.item_id is not None]
    visit.points_met = sum((line.points for line in scored if line.result == Result.MET), Decimal(0))
    visit.points_applicable = sum((line.points for line in scored if line.result != Result.NA), Decimal(0))
    (visit.status,) = move.targets
    visit.submitted_at, visit.saved_at = now, now
    visit.save(update_fields=["status", "submitted_at", "saved_at", "note", "points_met", "points_applicable"])
    findings = _record_findings(visit, now)
    for finding in findings:
        if finding.result.recheck_id:
            recheck_settle(actor=actor, line=finding.result, finding=finding, now=now)
    for line in visit.results.filter(recheck__isnull=False).exclude(result=Result.FAILED):
        recheck_settle(actor=actor, line=line, finding=None, now=now)
    rate = visit.score_rate
    event_record(actor=actor, verb="visit.submit", target=visit,
                 summary=f"提交检查：{visit.site.name}，得分率 {'—' if rate is None else f'{rate:.1f}%'}，"
                         f"发现问题 {len(findings)} 个")
    return visit


def _record_findings(visit: Visit, now: datetime) -> list[Finding]:
    failed = list(visit.results.filter(result=Result.FAILED).select_related("item"))
    findings = Finding.objects.bulk_create([
        Finding(visit=visit, result=line, round=visit.round, site=visit.site, indicator_id=line.indicator_id,
                item=line.item, note=line.note, is_rebound=line.recheck_id is not None, found_at=now)
        for line in failed
    ])
    photos = VisitPhoto.objects.filter(result__in=failed).values_list("result_id", "evidence_id")
    through = Finding.photos.through
    by_line = {f.result_id: f.pk for f in findings}
    through.objects.bulk_create([through(finding_id=by_line[line_id], evidenceitem_id=ev) for line_id, ev in photos])
    return findings


# --- findings → tasks ---------------------------------------------------------------------------


def _lock_site_standard(site_id: int, indicator_id: int) -> None:
    """Serialise raising for one site × standard, so two clicks cannot open two tasks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"finding:{site_id}:{indicator_id}"])


def open_task_for(site_id: int, indicator_id: int) -> RectificationTask | None:
    """The unfinished task (open or parked) that already covers this site × standard, if any."""
    return (RectificationTask.objects.filter(site_id=site_id, indicator_id=indicator_id,
                                             state__in=UNFINISHED_STATES)
            .order_by("assigned_at", "pk").first())


def _time_limit(routing) -> tuple[TimeLimit, object]:
    """The matrix's time limit; a 指定日期 limit without a future date falls back to 5 working days."""
    limit = routing.time_limit
    if limit is not None and limit.kind != TimeLimit.Kind.DATE:
        return limit, None
    if limit is not None and routing.deadline and routing.deadline >= timezone.localdate():
        return limit, routing.deadline
    fallback = (TimeLimit.objects.filter(name=DEFAULT_TIME_LIMIT).first()
                or TimeLimit.objects.filter(kind=TimeLimit.Kind.WORKDAYS).order_by("amount").first())
    if fallback is None:
        raise ValidationError("系统中没有可用的整改时限，请先在基础数据中设置。")
    return fallback, None


def _describe(finding: Finding) -> tuple[str, str]:
    visit, site = finding.visit, finding.site
    what = finding.note or (finding.item.text if finding.item_id else finding.result.label)
    title = f"{site.name}：{what}"[:200]
    lines = [
        f"检查轮次：{finding.round.name}（{finding.round.kind}）",
        f"检查项：第 {finding.result.number} 项 {finding.result.label}",
        f"测评标准：{finding.indicator.code} {finding.indicator.name}",
        f"检查人：{visit.inspector}，{timezone.localtime(finding.found_at):%Y-%m-%d %H:%M}",
    ]
    if finding.note:
        lines.append(f"问题情况：{finding.note}")
    return title, "\n".join(lines)


def check_round_office(actor, rnd: InspectionRound) -> None:
    """A 区创文办 hands over the findings of the rounds its district ran; the city office those of
    every round (it may step in anywhere)."""
    if actor is None or actor.is_office or not actor.district_office_paths:
        return
    if rnd.run_by_unit_id is None or not office_over(actor, rnd.run_by_unit):
        raise PermissionDenied("该轮次不是本区组织的检查，其发现的问题由组织检查的创文办交办。")


@transaction.atomic
def finding_raise_task(*, actor: User, finding: Finding) -> RectificationTask:
    """Hand a finding over: link it to the unfinished task for the same site × standard if there
    is one (no duplicates), or create a task routed by the responsibility matrix, with the
    finding's photos as before-photos and the round's kind as source."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related(
        "visit__inspector", "round", "site", "indicator", "item", "result").get(pk=finding.pk)
    check_round_office(actor, finding.round)
    if finding.task_id:
        raise ValidationError(f"该问题已交办（{finding.task.number}）。")
    _lock_site_standard(finding.site_id, finding.indicator_id)
    now = timezone.now()
    existing = open_task_for(finding.site_id, finding.indicator_id)
    if existing is not None:
        finding.task, finding.linked_existing = existing, True
        finding.raised_by, finding.raised_at = actor, now
        finding.save(update_fields=["task", "linked_existing", "raised_by", "raised_at"])
        event_record(actor=actor, verb="finding.link", target=finding, unit=existing.lead_unit,
                     summary=f"同一点位、同一标准已有未办结任务 {existing.number}，问题并入该任务，不重复交办")
        event_record(actor=actor, verb="task.finding_linked", target=existing, unit=existing.lead_unit,
                     summary=f"{finding.round.name}再次发现该问题（{finding.site.name}），已并入本任务")
        return existing
    task = _create_task(actor, finding)
    finding.task, finding.raised_by, finding.raised_at = task, actor, now
    finding.save(update_fields=["task", "raised_by", "raised_at"])
    flag_recurrence(actor=actor, task=task, found_at=finding.found_at)
    event_record(actor=actor, verb="finding.raise", target=finding, unit=task.lead_unit,
                 summary=f"交办整改任务 {task.number} 给 {task.lead_unit}")
    return task


def _create_task(actor: User, finding: Finding) -> RectificationTask:
    routing = responsibility_for(finding.indicator, finding.site)
    if routing.lead_unit is None:
        raise ValidationError(
            f"没有找到“{finding.site.name}”在标准 {finding.indicator.code} 下的责任单位：请在“基础数据 → 责任分工”"
            f"中配置，或为该点位设置包保单位后再交办。")
    limit, deadline = _time_limit(routing)
    title, description = _describe(finding)
    helpers = [u for u in [*routing.responsible_units, *routing.assisting_units] if u.pk != routing.lead_unit.pk]
    try:
        return task_create(
            actor=actor, title=title, description=description, source=SOURCE_FOR_KIND[finding.round.kind],
            indicator=finding.indicator, site=finding.site, lead_unit=routing.lead_unit, assisting_units=helpers,
            leader=routing.leader, time_limit=limit, due_date=deadline if limit.kind == TimeLimit.Kind.DATE else None,
            before_photos=list(finding.photos.all()),
        )
    except TransitionError as exc:
        raise ValidationError(str(exc)) from None


@dataclass
class RaiseSummary:
    created: list[RectificationTask] = field(default_factory=list)
    linked: list[RectificationTask] = field(default_factory=list)
    failed: list[tuple[Finding, str]] = field(default_factory=list)


@transaction.atomic
def round_raise_tasks(*, actor: User, round: InspectionRound) -> RaiseSummary:
    """一键交办: raise every pending finding of a round. Each finding is handled in its own
    savepoint: one without a responsible unit is reported and left pending, the rest go ahead.
    Two findings of the same site × standard end up on one task."""
    check_round_office(actor, round)
    summary = RaiseSummary()
    pending = list(round.findings.pending().order_by("found_at", "pk"))
    if not pending:
        raise ValidationError("本轮次没有待交办的问题。")
    for finding in pending:
        try:
            with transaction.atomic():
                before = open_task_for(finding.site_id, finding.indicator_id)
                task = finding_raise_task(actor=actor, finding=finding)
        except ValidationError as exc:
            summary.failed.append((finding, "；".join(exc.messages)))
            continue
        (summary.linked if before is not None else summary.created).append(task)
    event_record(actor=actor, verb="round.raise_tasks", target=round,
                 summary=f"一键交办：新建任务 {len(summary.created)} 个，并入已有任务 {len(summary.linked)} 个，"
                         f"未能交办 {len(summary.failed)} 个")
    return summary
