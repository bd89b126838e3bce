"""Checklist pages (office only): list by site type, one version, create, revise."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from campaign.access import get_visible, require
from campaign.models import Event, Framework, SiteType
from campaign.services.once import once_per_form, submit_once
from campaign.views.params import param_int
from inspections import services
from inspections.forms import ChecklistForm, item_formset, standard_choices
from inspections.models import Checklist


def checklist_list(request):
    """检查表: one row per site type with its current version."""
    require(request.user, "inspections.checklists")
    current = Checklist.objects.visible_to(request.user).active().annotate(n_items=Count("items"),
                                                                           total=Sum("items__points"))
    types = SiteType.objects.annotate(n_versions=Count("checklists")).prefetch_related(
        Prefetch("checklists", queryset=current, to_attr="current"))
    rows = [(t, t.current[0] if t.current else None) for t in types]
    return render(request, "inspections/checklist_list.html", {
        "rows": rows, "framework": Framework.active(), "missing": sum(1 for _t, c in rows if c is None),
    })


def checklist_detail(request, pk):
    require(request.user, "inspections.checklists")
    checklist = get_visible(Checklist.objects.select_related("site_type", "framework", "created_by"), request.user, pk=pk)
    items = checklist.items.select_related("indicator").order_by("number")
    versions = (Checklist.objects.visible_to(request.user).filter(site_type=checklist.site_type)
                .annotate(n_items=Count("items", distinct=True), n_visits=Count("visits", distinct=True))
                .select_related("created_by").order_by("-version"))
    return render(request, "inspections/checklist_detail.html", {
        "checklist": checklist, "items": items, "versions": versions,
        "total": sum(i.points for i in items), "events": Event.objects.for_object(checklist).select_related("actor")[:20],
    })


def _edit(request, *, site_type: SiteType, checklist: Checklist | None):
    standards = standard_choices(site_type)
    initial_items = []
    if checklist is not None:
        initial_items = [{"text": i.text, "indicator": i.indicator_id, "points": i.points, "ORDER": i.number}
                         for i in checklist.items.order_by("number")]
    wanted = param_int(request.GET, "extra")
    extra = min(wanted, 30) if wanted is not None else (3 if checklist else 10)
    formset_class = item_formset(extra)
    form = ChecklistForm(request.POST or None, initial={
        "name": checklist.name if checklist else f"{site_type.name}实地考察检查表"})
    formset = formset_class(request.POST or None, initial=initial_items, standards=standards, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                if checklist is None:
                    saved = services.checklist_create(actor=request.user, site_type=site_type,
                                                      name=form.cleaned_data["name"], items=formset.items(),
                                                      note=form.cleaned_data["note"])
                else:
                    saved = services.checklist_revise(actor=request.user, checklist=checklist,
                                                      name=form.cleaned_data["name"], items=formset.items(),
                                                      note=form.cleaned_data["note"])
                once.done(reverse("inspections:checklist_detail", args=[saved.pk]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存“{saved}”，共 {saved.items.count()} 项。此后开始的检查使用该版本。")
            return redirect("inspections:checklist_detail", saved.pk)
    return render(request, "inspections/checklist_form.html", {
        "form": form, "formset": formset, "site_type": site_type, "checklist": checklist,
        "framework": Framework.active(),
    })


@once_per_form
def checklist_create(request, site_type_pk):
    require(request.user, "inspections.checklists")
    site_type = get_object_or_404(SiteType, pk=site_type_pk)
    existing = Checklist.objects.active().filter(site_type=site_type).first()
    if existing is not None:
        messages.info(request, f"“{site_type.name}”已有检查表，请在现行版本上修订。")
        return redirect("inspections:checklist_edit", existing.pk)
    return _edit(request, site_type=site_type, checklist=None)


@once_per_form
def checklist_edit(request, pk):
    require(request.user, "inspections.checklists")
    checklist = get_visible(Checklist.objects.select_related("site_type"), request.user, pk=pk)
    if not checklist.is_active:
        messages.error(request, "历史版本不能修改，已为您打开现行版本。")
        current = Checklist.objects.active().filter(site_type=checklist.site_type).first()
        return redirect("inspections:checklist_edit", current.pk) if current else redirect("inspections:checklist_list")
    return _edit(request, site_type=checklist.site_type, checklist=checklist)
