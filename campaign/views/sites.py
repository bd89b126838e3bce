"""点位: the site list with filters, one page per site, and the office's create/edit forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse

from campaign import services
from campaign.access import can, get_visible, require
from campaign.forms import add_service_errors
from campaign.forms.reference import SiteForm
from campaign.models import Event, Framework, OrgUnit, Responsibility, Site, SiteType
from campaign.services.once import once_per_form, submit_once
from campaign.views.common import paginate, spreadsheet_links
from campaign.views.params import param_id

SITE_COLUMNS = ("site_type", "district", "street", "adopting_unit")


def site_list(request):
    """Sites the user may see, filtered by type, district, adopting unit, chronic flag and words."""
    sites = Site.objects.visible_to(request.user).select_related(*SITE_COLUMNS)
    f = {k: request.GET.get(k, "").strip() for k in ("type", "district", "unit", "chronic", "q", "inactive")}
    ids = {k: param_id(request.GET, k) for k in ("type", "district", "unit")}
    if ids["type"]:
        sites = sites.filter(site_type_id=ids["type"])
    if ids["district"]:
        sites = sites.filter(district_id=ids["district"])
    if ids["unit"]:
        sites = sites.filter(adopting_unit_id=ids["unit"])
    if f["chronic"] == "1":
        sites = sites.filter(is_chronic=True)
    if f["inactive"] != "1":
        sites = sites.filter(is_active=True)
    if f["q"]:
        sites = sites.filter(Q(name__icontains=f["q"]) | Q(address__icontains=f["q"]))
    visible = Site.objects.visible_to(request.user)
    context = {
        "page": paginate(request, sites.order_by("district__path", "site_type__sort_order", "name"), 50),
        "filters": f,
        "site_types": SiteType.objects.all(),
        "districts": OrgUnit.objects.filter(pk__in=visible.values("district")).order_by("path"),
        "units": OrgUnit.objects.filter(pk__in=visible.values("adopting_unit")).order_by("path"),
        "can_edit": can(request.user, "reference.edit"),
        **spreadsheet_links(request.user),
    }
    return render(request, "campaign/site_list.html", context)


def site_detail(request, pk):
    site = get_visible(Site.objects.select_related(*SITE_COLUMNS), request.user, pk=pk)
    rows = Responsibility.objects.visible_to(request.user).filter(indicator__framework__is_active=True).select_related(
        "indicator", "leader", "lead_unit", "time_limit", "site_type").prefetch_related(
        "responsible_units", "assisting_units")
    framework = Framework.active()
    context = {
        "site": site,
        "site_rows": rows.filter(site=site),
        "type_rows": rows.filter(site_type=site.site_type_id),
        "n_standards": framework.indicators.standards().filter(site_types=site.site_type_id).count() if framework else 0,
        "framework": framework,
        "can_edit": can(request.user, "reference.edit"),
        "can_route": can(request.user, "reference.route"),
        "events": Event.objects.for_object(site).select_related("actor")[:30],
    }
    return render(request, "campaign/site_detail.html", context)


@once_per_form
def site_create(request):
    require(request.user, "reference.edit")
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                site = services.site_save(actor=request.user, site=Site(), data=form.service_data())
                once.done(reverse("reference:site_detail", args=[site.pk]))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已新增点位“{site.name}”。")
            return redirect("reference:site_detail", site.pk)
    return render(request, "campaign/site_form.html", {"form": form, "site": None})


def site_edit(request, pk):
    require(request.user, "reference.edit")
    site = get_visible(Site.objects.all(), request.user, pk=pk)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_save(actor=request.user, site=site, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "点位信息已保存。")
            return redirect("reference:site_detail", site.pk)
    return render(request, "campaign/site_form.html", {"form": form, "site": site})
