"""Writes of the periodic summaries (简报/周报/月报): request an issue, schedule the periodic ones,
and build and publish an issue (the ReportRun job body).

Numbering (第N期, per series and year, no gaps): the number is taken with ``NumberSequence.take``
in the same transaction that renders the files and marks the issue published. A build that fails
rolls its number back; concurrent builds of a series queue on the sequence row's lock. An issue
that already has a number keeps it when it is rebuilt.

Idempotence: a periodic issue is unique per (series, scope, period) in the database, so running
the weekly or monthly beat job twice for the same period makes one issue; the second run only
re-requests a build if the first one failed.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaign.models import OrgUnit, Oversight, Role, User
from campaign.services import event_record, notify
from reports.models import ReportRun, ScopeKind, Summary
from reports.selectors.metrics.periods import Period
from reports.selectors.metrics.scopes import Scope, city_name, city_scope, leader_scope, unit_scope
from reports.services import runs
from reports.services.summaries.cases import typical_cases
from reports.services.summaries.data import collect
from reports.services.summaries.document import MASTHEADS, build_issue
from reports.services.summaries.render import write_docx, write_pdf
from tasks.models import NumberSequence

log = logging.getLogger(__name__)

def office_name() -> str:
    name = OrgUnit.objects.filter(kind=OrgUnit.Kind.OFFICE).order_by("path").values_list("name", flat=True).first()
    return name or f"{settings.CITY_NAME}创建全国文明城市工作办公室"


def subject_of(scope: Scope) -> str:
    return {ScopeKind.CITY: "全市各级各部门", ScopeKind.LEADER: f"{scope.name}同志分管领域各责任单位"}.get(
        scope.kind, scope.name)


def headline_of(scope: Scope, period: Period) -> str:
    who = city_name() if scope.kind == ScopeKind.CITY else scope.label
    return f"{who}{period.short_label}创建文明城市工作情况"


def _title(kind: str, scope: Scope, period: Period) -> str:
    who = city_name() if scope.kind == ScopeKind.CITY else scope.label
    return f"{MASTHEADS[kind]}（{who} {period.short_label}）"[:200]


def _new_run(summary: Summary, user: User | None) -> ReportRun:
    unit = OrgUnit.objects.filter(pk=summary.scope_id).first() if summary.scope_kind in (
        ScopeKind.UNIT, ScopeKind.DISTRICT) else None
    run = runs.report_run_request(kind=ReportRun.Kind.SUMMARY, parameters={"summary_id": summary.pk}, user=user,
                                  title=summary.title, unit=unit)
    runs.detach_requester(run)
    Summary.objects.filter(pk=summary.pk).update(run=run)
    summary.run = run
    return run


@transaction.atomic
def summary_request(*, kind: str, scope: Scope, period: Period, user: User | None = None,
                    periodic: bool = False) -> Summary:
    """Record an issue and queue its build (on demand: any period and scope)."""
    summary = Summary.objects.create(
        kind=kind, scope_kind=scope.kind, scope_id=scope.id, scope_name=scope.name[:100],
        period_start=period.start, period_end=period.end, is_periodic=periodic, requested_by=user,
        title=_title(kind, scope, period),
    )
    event_record(actor=user, verb="summary.request", target=summary,
                 summary=f"申请生成{summary.get_kind_display()}：{summary.title}")
    _new_run(summary, user)
    return summary


def previous_period(kind: str, today: date) -> Period:
    """The last complete week (Monday–Sunday) or month before ``today``."""
    if kind == Summary.Kind.WEEKLY:
        return Period.week(today - timedelta(days=7))
    return Period.month(today.replace(day=1) - timedelta(days=1))


def summaries_schedule(*, kind: str, today: date | None = None) -> Summary:
    """The beat job: the city's issue for the last complete week or month. Running it again for
    the same period makes no second issue; it re-queues the build only if the last one failed."""
    today = today or timezone.localdate()
    period = previous_period(kind, today)
    scope = city_scope()
    key = {"kind": kind, "scope_kind": scope.kind, "scope_id": scope.id, "period_start": period.start,
           "period_end": period.end, "is_periodic": True}
    existing = Summary.objects.filter(**key).select_related("run").first()
    if existing is None:
        try:
            return summary_request(kind=kind, scope=scope, period=period, periodic=True)
        except IntegrityError:  # a concurrent beat run created it first
            existing = Summary.objects.select_related("run").get(**key)
    if not existing.pdf_file and (existing.run is None or existing.run.status == ReportRun.Status.FAILED):
        with transaction.atomic():
            _new_run(existing, None)
    return existing


# --- the job (reports/services/pipeline.py runs it) -----------------------------------------


def summary_announce_failure(run: ReportRun) -> None:
    summary = Summary.objects.filter(pk=run.parameters.get("summary_id")).select_related("requested_by").first()
    if summary is not None and summary.requested_by is not None:
        notify(recipients=[summary.requested_by], title=f"{summary.get_kind_display()}生成失败：{summary.title}",
               body=run.error, url=reverse("reports:summary_detail", args=[summary.pk]))


def scope_of(summary: Summary) -> Scope:
    if summary.scope_kind == ScopeKind.CITY:
        return city_scope(summary.scope_name)
    if summary.scope_kind == ScopeKind.LEADER:
        person = User.objects.filter(pk=summary.scope_id).first()
        if person is None:
            raise runs.ReportError("该分管领导账号已不存在，无法生成。")
        return leader_scope(person)
    unit = OrgUnit.objects.filter(pk=summary.scope_id).first()
    if unit is None:
        raise runs.ReportError("该单位已不存在，无法生成。")
    return unit_scope(unit)


def summary_build(run: ReportRun, work: Path) -> None:
    summary = Summary.objects.filter(pk=run.parameters.get("summary_id")).first()
    if summary is None:
        raise runs.ReportError("对应的简报记录已删除。")
    scope = scope_of(summary)
    period = Period.infer(summary.period_start, summary.period_end)
    today = timezone.localdate()
    runs.report_run_progress(run=run, progress=5, stage="统计数据")
    data = collect(scope, period, today=today)
    runs.report_run_progress(run=run, progress=40, stage="选取典型案例与照片")
    cases = typical_cases(scope, period)
    runs.report_run_progress(run=run, progress=60, stage="排版并编号印发")
    _publish(run, summary, data, cases, work, today)


def _end_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@transaction.atomic
def _publish(run: ReportRun, summary: Summary, data, cases, work: Path, today: date) -> None:
    year, number = summary.year, summary.issue_no
    if number is None:
        year = today.year
        number = NumberSequence.take(f"summary_{summary.kind}", year, 1)[0]
    issue = build_issue(data, kind=summary.kind, issue_label=f"{year}年第{number}期", office_name=office_name(),
                        subject=subject_of(data.scope), published=today,
                        headline=headline_of(data.scope, data.period), cases=cases)
    end = _end_text(data.period.end)
    pages = write_pdf(issue, work / "summary.pdf", period_end=end)
    write_docx(issue, work / "summary.docx", work_dir=work, period_end=end)
    pdf_name = f"reports/summaries/{summary.pk}/summary-{summary.pk}.pdf"
    docx_name = f"reports/summaries/{summary.pk}/summary-{summary.pk}.docx"
    Summary.objects.filter(pk=summary.pk).update(
        year=year, issue_no=number, pdf_file=pdf_name, docx_file=docx_name, figures=figures_of(data),
        published_at=timezone.now(), run=run)
    runs.report_run_publish(run=run, files={pdf_name: work / "summary.pdf", docx_name: work / "summary.docx"},
                            pages=pages, notes=f"{year}年第{number}期，另有 Word 版")
    summary.refresh_from_db()
    event_record(actor=None, verb="summary.publish", target=summary,
                 summary=f"印发{summary.get_kind_display()}{summary.issue_label}：{summary.title}")
    _announce(summary)


def recipients(summary: Summary) -> list[User]:
    """创文办 staff and the leaders of the scope (all leaders for the city)."""
    office = list(User.objects.filter(is_active=True, memberships__role=Role.OFFICE).distinct())
    leaders = User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct()
    if summary.scope_kind == ScopeKind.LEADER:
        chosen = list(leaders.filter(pk=summary.scope_id))
    elif summary.scope_kind == ScopeKind.CITY:
        chosen = list(leaders)
    else:
        unit = OrgUnit.objects.filter(pk=summary.scope_id).first()
        over = Oversight.objects.active().covering(unit).values("leader_id") if unit else []
        chosen = list(leaders.filter(pk__in=over))
    return office + chosen


def _announce(summary: Summary) -> None:
    people = recipients(summary) + ([summary.requested_by] if summary.requested_by_id else [])
    notify(recipients=people, title=f"{summary.get_kind_display()}{summary.issue_label}已印发：{summary.title}",
           body="可在线查看，并下载 PDF 和 Word 版。", url=reverse("reports:summary_detail", args=[summary.pk]))


def figures_of(data) -> dict:
    """The computed figures kept with the issue (the page shows them; tests compare them)."""
    return {
        "period": data.flows.as_dict(), "end": data.end.as_dict(), "previous": data.prev_flows.as_dict(),
        "previous_end": data.prev_end.as_dict(),
        "rates": {name: str(getattr(data.end, name)) if getattr(data.end, name) is not None else None
                  for name in ("rectification_rate", "sign_on_time_rate", "close_on_time_rate", "first_pass_rate",
                               "rebound_rate")},
        "period_rates": {name: str(getattr(data.flows, name)) if getattr(data.flows, name) is not None else None
                         for name in ("sign_on_time_rate", "close_on_time_rate", "first_pass_rate")},
        "ranking": [{"rank": u.rank, "name": u.name, "rate": str(u.rate) if u.rate is not None else None,
                     "red": u.counts.red} for u in data.ranking],
        "visits": data.visits, "rounds": data.rounds, "chase": data.chase,
    }
