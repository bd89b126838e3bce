"""Round pages: list, create, detail (coverage, who visits what), distribute, assign, close."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaign.access import can, require
from campaign.models import Event, User
from campaign.services.once import once_per_form
from campaign.views.common import create_once
from campaign.views.params import param_id
from inspections import selectors, services
from inspections.forms import RoundForm
from inspections.models import Finding, InspectionRound, RoundKind, RoundSite, Visit
from inspections.views.common import refused, round_for


def round_list(request):
    """检查轮次: the rounds the user may see, newest first, with progress and score rate."""
    require(request.user, "inspections.view")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    rounds = InspectionRound.objects.visible_to(request.user)
    if kind in RoundKind.values:
        rounds = rounds.filter(kind=kind)
    if status in InspectionRound.Status.values:
        rounds = rounds.filter(status=status)
    page = Paginator(rounds.order_by("-start_date", "-pk"), 30).get_page(request.GET.get("page"))
    ids = [r.pk for r in page]
    rates = selectors.round_rates(ids, request.user)
    planned = _counts(RoundSite.objects.filter(round__in=ids))
    visited = _counts(Visit.objects.filter(round__in=ids, status=Visit.Status.SUBMITTED))
    pending = _counts(Finding.objects.filter(round__in=ids, task__isnull=True))
    for rnd in page:
        rnd.rate = rates.get(rnd.pk)
        rnd.n_planned, rnd.n_visited, rnd.n_pending = planned.get(rnd.pk, 0), visited.get(rnd.pk, 0), pending.get(rnd.pk, 0)
    return render(request, "inspections/round_list.html", {
        "page": page, "kind": kind, "status": status, "kinds": RoundKind.choices,
        "statuses": InspectionRound.Status.choices, "can_manage": can(request.user, "inspections.manage"),
        "my_rounds": selectors.my_open_rounds(request.user) if request.user.has_role("inspector", "assessor") else [],
    })


def _counts(qs) -> dict[int, int]:
    """Rows per round, in one grouped query (no join fan-out across planned × visits × findings)."""
    return dict(qs.order_by().values_list("round_id").annotate(n=Count("pk")))


@once_per_form
def round_create(request):
    require(request.user, "inspections.manage")
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rnd, earlier = create_once(request, form, lambda: services.round_create(
            actor=request.user, name=data["name"], kind=data["kind"], start_date=data["start_date"],
            end_date=data["end_date"], inspectors=data["inspectors"], assessors=data["assessors"],
            note=data["note"], sample_mode=data["sample_mode"], site_types=data["site_types"],
            districts=data["districts"], per_type=data["per_type"], seed=data["seed"],
            sites=data["sites_text"],
        ), lambda made: reverse("inspections:round_detail", args=[made.pk]))
        if earlier:
            return earlier
        if rnd:
            messages.success(request, f"已创建轮次“{rnd.name}”，计划检查 {rnd.planned.count()} 个点位。")
            return redirect("inspections:round_detail", rnd.pk)
    waiting = services.recheck_share()
    return render(request, "inspections/round_form.html", {"form": form, "recheck_share": waiting})


def round_detail(request, pk):
    """The round: coverage by type and district, who visits what, findings, actions."""
    require(request.user, "inspections.view")
    rnd = round_for(request.user, pk)
    planned = selectors.planned_in_scope(rnd, request.user)
    who, district = request.GET.get("who", ""), request.GET.get("district", "")
    if who == "none":
        planned = planned.filter(assignee__isnull=True)
    elif param_id(request.GET, "who"):
        planned = planned.filter(assignee_id=param_id(request.GET, "who"))
    if param_id(request.GET, "district"):
        planned = planned.filter(site__district_id=param_id(request.GET, "district"))
    planned = planned.order_by("site__district__path", "site__site_type__sort_order", "site__name")
    page = Paginator(planned, 100).get_page(request.GET.get("page"))
    visits = selectors.visits_by_site(rnd, [p.site_id for p in page])
    for row in page:
        row.visit = visits.get(row.site_id)
    members = sorted({u.pk: u for u in [*rnd.inspectors.all(), *rnd.assessors.all()]}.values(), key=str)
    findings = rnd.findings.visible_to(request.user)
    context = {
        "round": rnd, "page": page, "coverage": selectors.round_coverage(rnd, request.user),
        "members": members, "who": who, "district": district,
        "districts": sorted({(p.site.district_id, p.site.district.name) for p in selectors.planned_in_scope(rnd, request.user)},
                            key=lambda d: d[1]),
        "n_findings": findings.count(), "n_pending": findings.filter(task__isnull=True).count(),
        "is_member": rnd.is_member(request.user), "can_manage": can(request.user, "inspections.manage"),
        "events": Event.objects.for_object(rnd).select_related("actor")[:30] if can(request.user, "inspections.manage") else [],
        "recheck_count": rnd.rechecks.count() if rnd.is_recheck else 0,
    }
    return render(request, "inspections/round_detail.html", context)


@require_POST
def round_distribute(request, pk):
    require(request.user, "inspections.manage")
    rnd = round_for(request.user, pk)
    try:
        count = services.round_distribute(actor=request.user, round=rnd)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, f"已把 {count} 个未分配的点位平均分配给本轮次的检查人员。")
    return redirect("inspections:round_detail", rnd.pk)


@require_POST
def roundsite_assign(request, pk, planned_pk):
    require(request.user, "inspections.manage")
    rnd = round_for(request.user, pk)
    planned = get_object_or_404(RoundSite.objects.select_related("site", "round"), round=rnd, pk=planned_pk)
    value = param_id(request.POST, "assignee")
    assignee = get_object_or_404(User, pk=value) if value else None
    try:
        services.roundsite_assign(actor=request.user, planned=planned, assignee=assignee)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, f"“{planned.site.name}”的检查人已改为 {assignee or '未分配'}。")
    return redirect("inspections:round_detail", rnd.pk)


@require_POST
def round_close(request, pk):
    require(request.user, "inspections.manage")
    rnd = round_for(request.user, pk)
    try:
        services.round_close(actor=request.user, round=rnd)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, f"轮次“{rnd.name}”已结束。")
    return redirect("inspections:round_detail", rnd.pk)
