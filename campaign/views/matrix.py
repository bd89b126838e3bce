"""责任分工: the responsibility matrix (scoped), the office's row form, and the routing check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaign import services
from campaign.access import can, get_visible, require
from campaign.forms import add_service_errors
from campaign.forms.reference import ResponsibilityForm, RoutingCheckForm
from campaign.models import Event, Framework, OrgUnit, Responsibility, Site
from campaign.selectors import (
    RULE_LABELS,
    MatrixFilters,
    matrix_filter_choices,
    matrix_rows,
    responsibility_for,
    routing_steps,
)
from campaign.services.once import once_per_form, submit_once
from campaign.views.common import paginate, refused, selected_framework, spreadsheet_links
from campaign.views.params import param_id

UNIT_ROLES = [("", "任一角色"), ("lead", "牵头"), ("responsible", "负责"), ("assist", "配合")]


def responsibility_matrix(request):
    """Standards × roles. Everyone sees the part of the matrix in their scope; office sees all."""
    framework = selected_framework(request)
    context = {"framework": framework, "frameworks": Framework.objects.all(), "unit_roles": UNIT_ROLES,
               "can_edit": framework is not None and framework.is_active and can(request.user, "reference.edit"),
               # The office gets the 交办核对 shortcut and sees the whole matrix; others a scoped part.
               "show_routing_link": request.user.is_office, "scoped": not request.user.is_office,
               "scope_includes_oversight": request.user.has_role("leader"),
               **spreadsheet_links(request.user, framework)}
    if framework is None:
        return render(request, "campaign/responsibility_matrix.html", context)
    choices = matrix_filter_choices(request.user, framework)
    filters, raw = _filters(request, choices)
    ids = matrix_rows(request.user, framework, filters)
    page = paginate(request, ids, 50)
    by_id = Responsibility.objects.filter(pk__in=list(page.object_list)).select_related(
        "indicator", "leader", "lead_unit", "time_limit", "site", "site_type").prefetch_related(
        Prefetch("responsible_units", queryset=OrgUnit.objects.order_by("path")),
        Prefetch("assisting_units", queryset=OrgUnit.objects.order_by("path"))).in_bulk()
    filtered = any(raw.values())
    context.update(choices=choices, filters=raw, page=page, filtered=filtered,
                   rows=[by_id[pk] for pk in page.object_list if pk in by_id],
                   total_visible=len(matrix_rows(request.user, framework, MatrixFilters())) if filtered else len(ids))
    return render(request, "campaign/responsibility_matrix.html", context)


def _filters(request, choices) -> tuple[MatrixFilters, dict]:
    raw = {k: request.GET.get(k, "").strip() for k in ("unit", "role", "leader", "area", "q")}

    def pick(items, key):
        return next((o for o in items if str(o.pk) == raw[key]), None) if raw[key] else None

    filters = MatrixFilters(unit=pick(choices["units"], "unit"), unit_role=raw["role"],
                            leader=pick(choices["leaders"], "leader"), area=pick(choices["areas"], "area"),
                            query=raw["q"])
    return filters, raw


@once_per_form
def responsibility_create(request):
    require(request.user, "reference.edit")
    framework = Framework.active()
    if framework is None:
        messages.error(request, "还没有启用的测评体系版本，请先建立或启用一个版本。")
        return redirect("reference:matrix")
    initial = {}
    if param_id(request.GET, "indicator"):
        initial["indicator"] = framework.indicators.filter(pk=param_id(request.GET, "indicator")).first()
    if param_id(request.GET, "site"):
        initial["site"] = Site.objects.filter(pk=param_id(request.GET, "site")).first()
    form = ResponsibilityForm(request.POST or None, framework=framework, initial=initial)
    return _save_row(request, form, Responsibility())


@once_per_form
def responsibility_edit(request, pk):
    require(request.user, "reference.edit")
    row = get_visible(Responsibility.objects.select_related("indicator__framework"), request.user, pk=pk)
    form = ResponsibilityForm(request.POST or None, framework=row.indicator.framework, instance=row)
    if request.method == "GET" and not row.indicator.framework.is_active:
        messages.warning(request, f"这一行属于历史版本“{row.indicator.framework.name}”，仅供查阅，保存会被拒绝。")
    return _save_row(request, form, row)


def _save_row(request, form, row):
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                saved = services.responsibility_save(
                    actor=request.user, row=row, data=form.service_data(),
                    responsible_units=form.cleaned_data["responsible_units"],
                    assisting_units=form.cleaned_data["assisting_units"],
                )
                once.done(reverse("reference:indicator_detail", args=[saved.indicator_id]))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"责任分工已保存：{saved}")
            return redirect("reference:indicator_detail", saved.indicator_id)
    events = Event.objects.for_object(row).select_related("actor")[:20] if row.pk else []
    return render(request, "campaign/responsibility_form.html", {"form": form, "row": row, "events": events})


@require_POST
def responsibility_delete(request, pk):
    require(request.user, "reference.edit")
    row = get_visible(Responsibility.objects.select_related("indicator__framework"), request.user, pk=pk)
    indicator_id = row.indicator_id
    try:
        services.responsibility_delete(actor=request.user, row=row)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, "已删除这一行责任分工。")
    return redirect("reference:indicator_detail", indicator_id)


def routing_check(request):
    """Pick a standard and a site: who would a problem go to, and by which precedence rule."""
    require(request.user, "reference.route")
    framework = Framework.active()
    context = {"framework": framework, "rule_labels": RULE_LABELS}
    if framework is not None:
        form = RoutingCheckForm(request.GET if "indicator" in request.GET else None, framework=framework,
                                sites=Site.objects.visible_to(request.user).filter(is_active=True),
                                initial={"site": request.GET.get("site")})
        context["form"] = form
        if form.is_bound and form.is_valid():
            indicator, site = form.cleaned_data["indicator"], form.cleaned_data["site"]
            routing = responsibility_for(indicator, site)
            context.update(indicator=indicator, site=site, routing=routing, steps=routing_steps(routing, site))
    return render(request, "campaign/responsibility_routing.html", context)
