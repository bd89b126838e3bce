"""机构改革 pages (city office): rename, move, merge and split units, and the list of changes made.
Merge and split show what will move first; the confirmation carries out exactly what was shown
(the form's fingerprint must match the preview's) and answers a repeated post once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from campaign.access import require, unit_for
from campaign.forms import add_service_errors
from campaign.forms.reorg import MergeForm, MoveForm, RenameForm, SplitForm
from campaign.models import UnitChange
from campaign.services import reorg
from campaign.services.once import once_per_form, submit_once
from campaign.views.params import parse_id

CAPABILITY = "reference.edit"
CHANGED = "填写内容与预览时不同，请核对下面新的预览后再确认。"


def change_list(request):
    require(request.user, CAPABILITY)
    changes = UnitChange.objects.select_related("by").prefetch_related("from_units", "to_units")
    page = Paginator(changes, 30).get_page(request.GET.get("page"))
    return render(request, "campaign/reorg_list.html", {"page": page})


@once_per_form
def unit_rename(request, pk):
    require(request.user, CAPABILITY)
    unit = unit_for(request.user, pk)
    form = RenameForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        done = _run(request, form, lambda d: reorg.orgunit_rename(actor=request.user, unit=unit, **d), unit)
        if done:
            messages.success(request, f"已登记更名：“{done.before['name']}”改为“{done.after['name']}”。")
            return redirect("campaign:unit_detail", pk=unit.pk)
    return render(request, "campaign/reorg_form.html", {"form": form, "unit": unit, "title": "更名"})


@once_per_form
def unit_move(request, pk):
    require(request.user, CAPABILITY)
    unit = unit_for(request.user, pk)
    form = MoveForm(request.POST or None, initial={"parent": unit.parent_id})
    if request.method == "POST" and form.is_valid():
        done = _run(request, form, lambda d: reorg.orgunit_move(actor=request.user, unit=unit, **d), unit)
        if done:
            messages.success(request, f"已调整隶属：“{unit.name}”调整到“{done.after['parent']}”下。")
            return redirect("campaign:unit_detail", pk=unit.pk)
    return render(request, "campaign/reorg_form.html", {"form": form, "unit": unit, "title": "调整隶属"})


def _run(request, form, call, unit):
    """Call the service once per posted form; its refusal goes onto the form. The change, or None."""
    try:
        with submit_once(request) as once:
            if once.earlier:
                return None
            change = call(dict(form.cleaned_data))
            once.done(reverse("campaign:unit_detail", args=[unit.pk]))
            return change
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@once_per_form
def unit_merge(request):
    require(request.user, CAPABILITY)
    initial = {"units": [pk]} if (pk := parse_id(request.GET.get("unit", ""))) else {}
    form = MergeForm(request.POST or None, initial=initial)
    context = {"form": form, "title": "合并单位"}
    if request.method == "POST" and form.is_valid():
        args = _merge_args(form.cleaned_data)
        try:
            context["plan"] = reorg.merge_plan(**args)
        except ValidationError as error:
            add_service_errors(form, error)
            return render(request, "campaign/reorg_merge.html", context)
        context["fingerprint"] = form.fingerprint()
        if "confirm" in request.POST:
            if request.POST.get("fingerprint") != context["fingerprint"]:
                messages.warning(request, CHANGED)
            else:
                change = _confirm(request, form, lambda: reorg.orgunit_merge(
                    actor=request.user, note=form.cleaned_data["note"], **args))
                if change is not None:
                    successor = change.to_units.get()
                    messages.success(request, f"合并已完成：{reorg.moved_words(change.moved)}。")
                    return redirect("campaign:unit_detail", pk=successor.pk)
    return render(request, "campaign/reorg_merge.html", context)


def _merge_args(data) -> dict:
    new = None
    if (data.get("new_name") or "").strip():
        new = reorg.NewUnit(data["new_name"], data["new_kind"], data["new_parent"])
    return {"units": list(data["units"]), "successor": data.get("successor"), "new_unit": new, "day": data["day"]}


def _confirm(request, form, call):
    try:
        with submit_once(request) as once:
            if once.earlier:
                return None
            change = call()
            once.done(reverse("campaign:reorg_list"))
            return change
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@once_per_form
def unit_split(request, pk):
    require(request.user, CAPABILITY)
    unit = unit_for(request.user, pk)
    form = SplitForm(request.POST or None)
    context = {"form": form, "unit": unit, "title": "拆分单位"}
    if request.method == "POST" and form.is_valid():
        try:
            successors = reorg.split_successors(unit=unit, existing=list(form.cleaned_data["existing"]),
                                                new_names=form.names())
        except ValidationError as error:
            add_service_errors(form, error)
            return render(request, "campaign/reorg_split.html", context)
        groups = reorg.split_items(unit)
        context.update(successors=successors, groups=_chosen(request.POST, groups),
                       fingerprint=form.fingerprint())
        if "confirm" in request.POST:
            if request.POST.get("fingerprint") != context["fingerprint"]:
                messages.warning(request, CHANGED)
            else:
                change = _confirm(request, form, lambda: reorg.orgunit_split(
                    actor=request.user, unit=unit, existing=list(form.cleaned_data["existing"]),
                    new_names=form.names(), assignments=_assignments(request.POST, groups),
                    day=form.cleaned_data["day"], note=form.cleaned_data["note"]))
                if change is not None:
                    messages.success(request, f"拆分已完成：“{unit.name}”分设为"
                                              f"“{'、'.join(change.after['successors'])}”。")
                    return redirect("campaign:reorg_list")
    return render(request, "campaign/reorg_split.html", context)


def _field(key: str, pk: int) -> str:
    return f"to-{key}-{pk}"


def _chosen(post, groups):
    """Each row with its field name and the successor chosen so far (for redrawing the page)."""
    return [
        {"label": g.holding.label, "rows": [{"field": _field(g.holding.key, pk), "words": words,
                                              "chosen": post.get(_field(g.holding.key, pk), "")}
                                             for pk, words in g.rows]}
        for g in groups
    ]


def _assignments(post, groups) -> dict[str, dict[int, int]]:
    """{holding key: {row id: successor index}} from the page's choices; a row with no (or no
    number as) choice is left out, which the service refuses as unassigned."""
    out: dict[str, dict[int, int]] = {}
    for g in groups:
        chosen = out.setdefault(g.holding.key, {})
        for pk, _ in g.rows:
            value = post.get(_field(g.holding.key, pk), "")
            if value.isdigit():
                chosen[pk] = int(value)
    return out
