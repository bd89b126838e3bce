"""测评体系: the indicator tree, one page per indicator, and the office's edit forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaign import services
from campaign.access import can, get_visible, require
from campaign.forms.reference import FrameworkForm, IndicatorForm
from campaign.models import Event, Framework, Indicator, Site
from campaign.selectors import RULE_LABELS, indicator_rows, indicator_search, indicator_tree
from campaign.services.once import once_per_form, submit_once
from campaign.views.common import paginate, refused, selected_framework, spreadsheet_links
from campaign.views.params import param_id


def indicator_tree_view(request):
    """The edition as a collapsible tree (or search results), with an edition switcher."""
    framework = selected_framework(request)
    query = request.GET.get("q", "").strip()
    context = {"framework": framework, "frameworks": Framework.objects.all(), "query": query,
               "can_edit": _can_edit(request.user, framework), "can_manage_editions": can(request.user, "reference.edit"),
               **spreadsheet_links(request.user, framework)}
    if framework is not None:
        if query:
            context["results"] = indicator_search(framework, query)
        else:
            context["tree"] = indicator_tree(framework, request.user)
    return render(request, "campaign/indicator_tree.html", context)


def indicator_detail(request, pk):
    indicator = get_visible(Indicator.objects.select_related("framework", "parent"), request.user, pk=pk)
    site_types = list(indicator.site_types.all())
    sites = Site.objects.visible_to(request.user).filter(site_type__in=site_types, is_active=True)
    sites = sites.select_related("site_type", "district", "street", "adopting_unit").order_by(
        "site_type__sort_order", "district__path", "name")
    context = {
        "indicator": indicator,
        "ancestors": list(reversed(indicator.ancestors())),
        "children": indicator.children.order_by("sort_order", "code"),
        "site_types": site_types,
        "page": paginate(request, sites, 20) if site_types else None,
        "rows": indicator_rows(indicator, request.user),
        "rule_labels": RULE_LABELS,
        "can_edit": _can_edit(request.user, indicator.framework),
        # The office gets the 交办核对 shortcut and sees every duty row (others only their scope's).
        "show_routing_link": request.user.is_office, "scoped": not request.user.is_office,
        "events": Event.objects.for_object(indicator).select_related("actor")[:30],
    }
    return render(request, "campaign/indicator_detail.html", context)


@once_per_form
def indicator_create(request, framework_pk):
    """A new 版块 (no parent) or a child of ?parent=<id> in an active edition."""
    require(request.user, "reference.edit")
    framework = get_object_or_404(Framework, pk=framework_pk)
    parent = None
    if param_id(request.GET, "parent"):
        parent = get_object_or_404(framework.indicators, pk=param_id(request.GET, "parent"))
    if parent is not None and parent.is_standard:
        messages.error(request, "测评标准是最末一级，不能再添加下级指标。")
        return redirect("reference:indicator_detail", parent.pk)
    level = parent.level + 1 if parent else Indicator.Level.AREA
    form = IndicatorForm(request.POST or None, framework=framework, level=level, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                indicator = services.indicator_save(
                    actor=request.user, indicator=Indicator(framework=framework, parent=parent),
                    data=form.service_data(), site_types=form.cleaned_data.get("site_types"),
                )
                once.done(reverse("reference:indicator_detail", args=[indicator.pk]))
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, f"已新增{indicator.get_level_display()}“{indicator}”。")
            return redirect("reference:indicator_detail", indicator.pk)
    return render(request, "campaign/indicator_form.html", {
        "form": form, "framework": framework, "parent": parent, "level_label": Indicator.Level(level).label,
    })


def indicator_edit(request, pk):
    require(request.user, "reference.edit")
    indicator = get_visible(Indicator.objects.select_related("framework", "parent"), request.user, pk=pk)
    form = IndicatorForm(request.POST or None, framework=indicator.framework, level=indicator.level,
                         parent=indicator.parent, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(actor=request.user, indicator=indicator, data=form.service_data(),
                                    site_types=form.cleaned_data.get("site_types"))
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, "指标已保存。")
            return redirect("reference:indicator_detail", indicator.pk)
    elif not indicator.framework.is_active:
        messages.warning(request, f"“{indicator.framework.name}”是历史版本，仅供查阅，保存会被拒绝。")
    return render(request, "campaign/indicator_form.html", {
        "form": form, "framework": indicator.framework, "indicator": indicator, "parent": indicator.parent,
        "level_label": indicator.get_level_display(),
    })


def framework_list(request):
    require(request.user, "reference.edit")
    frameworks = Framework.objects.annotate(
        n_standards=Count("indicators", filter=Q(indicators__level=Indicator.Level.STANDARD)))
    return render(request, "campaign/indicator_framework_list.html", {
        "frameworks": frameworks,
        "events": Event.objects.filter(verb__startswith="framework.").select_related("actor")[:20],
    })


@once_per_form
def framework_create(request):
    require(request.user, "reference.edit")
    form = FrameworkForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        with submit_once(request) as once:
            if once.earlier:
                return once.earlier
            framework = services.framework_create(actor=request.user, **form.cleaned_data)
            once.done(reverse("reference:framework_list"))
        messages.success(request, f"已新建“{framework.name}”（未启用）。核对无误后可在版本列表中启用。")
        return redirect("reference:framework_list")
    return render(request, "campaign/indicator_framework_form.html", {"form": form, "framework": None})


def framework_edit(request, pk):
    require(request.user, "reference.edit")
    framework = get_object_or_404(Framework, pk=pk)
    initial = {"name": framework.name, "year": framework.year, "note": framework.note}
    form = FrameworkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_update(actor=request.user, framework=framework, data=form.cleaned_data)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, "版本信息已保存。")
            return redirect("reference:framework_list")
    return render(request, "campaign/indicator_framework_form.html", {"form": form, "framework": framework})


@require_POST
def framework_activate(request, pk):
    require(request.user, "reference.edit")
    framework = services.framework_activate(actor=request.user, framework=get_object_or_404(Framework, pk=pk))
    messages.success(request, f"已启用“{framework.name}”，其他版本转为只读的历史版本。")
    return redirect("reference:framework_list")


def _can_edit(user, framework) -> bool:
    return framework is not None and framework.is_active and can(user, "reference.edit")
