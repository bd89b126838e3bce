"""单位组与别名: the group names (各区人民政府 → the districts) and other names of units that the
spreadsheet imports understand. Office only (reference.edit)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaign.access import require
from campaign.forms import add_service_errors
from campaign.forms.names import UnitAliasForm, UnitGroupForm
from campaign.models import Event, UnitAlias, UnitGroup
from campaign.services.names import unit_alias_delete, unit_alias_save, unit_group_delete, unit_group_save
from campaign.services.once import once_per_form, submit_once


def names(request):
    require(request.user, "reference.edit")
    groups = list(UnitGroup.objects.prefetch_related("units"))
    for group in groups:
        group.member_list = group.members()
    aliases = UnitAlias.objects.select_related("unit", "unit__parent", "created_by")
    query = request.GET.get("q", "").strip()
    if query:
        aliases = aliases.filter(name__icontains=query) | aliases.filter(unit__name__icontains=query)
    page = Paginator(aliases, 50).get_page(request.GET.get("page"))
    return render(request, "campaign/unit_names.html", {"groups": groups, "page": page, "query": query})


@once_per_form
def group_create(request):
    require(request.user, "reference.edit")
    return _save_group(request, UnitGroup())


@once_per_form
def group_edit(request, pk):
    require(request.user, "reference.edit")
    return _save_group(request, get_object_or_404(UnitGroup, pk=pk))


def _save_group(request, group):
    form = UnitGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                saved = unit_group_save(actor=request.user, group=group, **form.cleaned_data)
                once.done(reverse("reference:names"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"单位组已保存：{saved.name}")
            return redirect("reference:names")
    events = Event.objects.for_object(group).select_related("actor")[:20] if group.pk else []
    return render(request, "campaign/unit_name_form.html",
                  {"form": form, "row": group, "what": "单位组", "events": events,
                   "delete_url": reverse("reference:unit_group_delete", args=[group.pk]) if group.pk else ""})


@require_POST
def group_delete(request, pk):
    require(request.user, "reference.edit")
    group = get_object_or_404(UnitGroup, pk=pk)
    unit_group_delete(actor=request.user, group=group)
    messages.success(request, f"已删除单位组：{group.name}")
    return redirect("reference:names")


@once_per_form
def alias_create(request):
    require(request.user, "reference.edit")
    return _save_alias(request, UnitAlias())


@once_per_form
def alias_edit(request, pk):
    require(request.user, "reference.edit")
    return _save_alias(request, get_object_or_404(UnitAlias.objects.select_related("unit"), pk=pk))


def _save_alias(request, alias):
    form = UnitAliasForm(request.POST or None, instance=alias)
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                saved = unit_alias_save(actor=request.user, alias=alias, **form.cleaned_data)
                once.done(reverse("reference:names"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"单位别名已保存：{saved.name} → {saved.unit.name}")
            return redirect("reference:names")
    return render(request, "campaign/unit_name_form.html",
                  {"form": form, "row": alias, "what": "单位别名", "events": [],
                   "delete_url": reverse("reference:unit_alias_delete", args=[alias.pk]) if alias.pk else ""})


@require_POST
def alias_delete(request, pk):
    require(request.user, "reference.edit")
    alias = get_object_or_404(UnitAlias.objects.select_related("unit"), pk=pk)
    unit_alias_delete(actor=request.user, alias=alias)
    messages.success(request, f"已删除单位别名：{alias.name}")
    return redirect("reference:names")
