"""Findings: the list, raising a task from one, raising a whole round's, and the 回头看 list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaign.access import can, require
from inspections import services
from inspections.forms import FindingFilterForm
from inspections.models import Finding, RecheckItem, VisitPhoto
from inspections.views.common import refused, round_for


def finding_list(request):
    """发现问题: every finding the user may see; the office raises tasks from here."""
    require(request.user, "inspections.view")
    form = FindingFilterForm(request.GET or None, user=request.user)
    findings = Finding.objects.visible_to(request.user)
    if form.is_valid():
        state, rnd = form.cleaned_data["state"], form.cleaned_data["round"]
        if state == "pending":
            findings = findings.filter(task__isnull=True)
        elif state == "raised":
            findings = findings.filter(task__isnull=False, linked_existing=False)
        elif state == "linked":
            findings = findings.filter(linked_existing=True)
        if rnd is not None:
            findings = findings.filter(round=rnd)
    findings = findings.select_related(
        "round", "site", "site__site_type", "site__district", "indicator", "result", "task", "visit__inspector",
    ).prefetch_related(Prefetch("result__photos", queryset=VisitPhoto.objects.order_by("pk")))
    page = Paginator(findings.order_by("-found_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "inspections/finding_list.html", {
        "page": page, "form": form, "can_manage": can(request.user, "inspections.manage"),
        "n_pending": Finding.objects.visible_to(request.user).pending().count(),
    })


def _back(request, fallback: str):
    target = request.POST.get("back", "")
    return redirect(target if target.startswith("/inspections/") else fallback)


@require_POST
def finding_raise(request, pk):
    """One click: raise a task from the finding (or link it to the open one)."""
    require(request.user, "inspections.manage")
    finding = get_object_or_404(Finding.objects.visible_to(request.user), pk=pk)
    try:
        task = services.finding_raise_task(actor=request.user, finding=finding)
    except ValidationError as error:
        refused(request, error)
    else:
        finding.refresh_from_db()
        if finding.linked_existing:
            messages.info(request, f"该点位、该标准已有未办结任务 {task.number}，问题已并入该任务，未重复交办。")
        else:
            messages.success(request, f"已交办整改任务 {task.number}，牵头单位：{task.lead_unit}。")
    return _back(request, "/inspections/findings/")


@require_POST
def round_raise(request, pk):
    """一键交办 for a whole round."""
    require(request.user, "inspections.manage")
    rnd = round_for(request.user, pk)
    try:
        summary = services.round_raise_tasks(actor=request.user, round=rnd)
    except ValidationError as error:
        refused(request, error)
        return redirect("inspections:round_detail", rnd.pk)
    messages.success(request, f"一键交办完成：新建整改任务 {len(summary.created)} 个，"
                              f"并入已有未办结任务 {len(summary.linked)} 个。")
    for finding, reason in summary.failed[:10]:
        messages.warning(request, f"未能交办：{finding.site.name} {finding.indicator.code}——{reason}")
    if len(summary.failed) > 10:
        messages.warning(request, f"另有 {len(summary.failed) - 10} 个问题未能交办，请在“发现问题”中筛选“待交办”查看。")
    return redirect("inspections:round_detail", rnd.pk)


def recheck_list(request):
    """回头看清单: closed tasks waiting for a re-check, and the results of past ones."""
    require(request.user, "inspections.manage")
    status = request.GET.get("status", RecheckItem.Status.QUEUED)
    items = RecheckItem.objects.visible_to(request.user).exclude(status=RecheckItem.Status.SKIPPED)
    if status in RecheckItem.Status.values:
        items = items.filter(status=status)
    items = items.select_related("task", "task__lead_unit", "site", "site__district", "indicator", "round",
                                 "rebound_task")
    counts = dict(RecheckItem.objects.visible_to(request.user).values_list("status").annotate(n=Count("pk")).order_by())
    page = Paginator(items.order_by("-decided_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "inspections/recheck_list.html", {
        "page": page, "status": status, "share": services.recheck_share(), "days": services.recurrence_days(),
        "statuses": [(v, label, counts.get(v, 0)) for v, label in RecheckItem.Status.choices if v != "skipped"],
    })
