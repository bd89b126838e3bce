"""Completeness of each unit's evidence, and the 测评材料提交表."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from campaign.access import get_visible, require_role, unit_for
from campaign.models import Event, Framework, Indicator, OrgUnit
from campaign.params import param_id

from .. import selectors, services
from ..forms import SubmissionFormForm
from .common import COMPLETENESS_ROLES, VIEW_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def completeness(request):
    """完整性: standard × unit, which required categories have approved evidence; the gap list;
    the same rows as a spreadsheet with ``?format=xlsx``."""
    require_role(request.user, *COMPLETENESS_ROLES)
    framework = Framework.active()
    unit = area = None
    if param_id(request.GET, "unit"):
        unit = get_visible(OrgUnit.objects.all(), request.user, pk=param_id(request.GET, "unit"))
    if framework and param_id(request.GET, "area"):
        area = get_object_or_404(framework.indicators.filter(level__lt=Indicator.Level.STANDARD),
                                 pk=param_id(request.GET, "area"))
    rows = selectors.completeness(unit, [area] if area else None, user=request.user, framework=framework)
    summary = selectors.summarise(rows)
    gaps_only = request.GET.get("gaps") == "1"
    shown = [r for r in rows if r.missing] if gaps_only else rows
    if request.GET.get("format") == "xlsx":
        title = f"台账资料完整性（{unit.name if unit else '全部单位'}，{timezone.localdate():%Y-%m-%d}）"
        response = HttpResponse(selectors.completeness_xlsx(shown, title), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('台账资料完整性.xlsx')}"
        return response
    duty_units = selectors.units_with_duties(framework) & OrgUnit.objects.visible_to(request.user)
    context = {
        "framework": framework, "unit": unit, "area": area, "gaps_only": gaps_only, "summary": summary,
        "page": Paginator(shown, 100).get_page(request.GET.get("page")),
        "units": duty_units.order_by("path"),
        "areas": framework.indicators.filter(level__lte=Indicator.Level.ITEM).order_by("path") if framework else [],
        "querystring": request.GET.urlencode(),
    }
    return render(request, "archives/completeness_report.html", context)


def _may_fill(user, unit) -> bool:
    return selectors.upload_units(user).filter(pk=unit.pk).exists()


def _form_objects(request, unit_pk, indicator_pk):
    require_role(request.user, *VIEW_ROLES)
    unit = unit_for(request.user, unit_pk)
    indicator = get_object_or_404(Indicator.objects.standards(), pk=indicator_pk)
    return unit, indicator


def submission_form(request, unit_pk, indicator_pk):
    """测评材料提交表: the materials list from approved evidence; self-assessment and conclusion."""
    unit, indicator = _form_objects(request, unit_pk, indicator_pk)
    may_fill = _may_fill(request.user, unit)
    data = selectors.submission_form_data(unit, indicator)
    form = SubmissionFormForm(request.POST or None, initial={"self_assessment": data.self_assessment,
                                                              "conclusion": data.conclusion})
    if request.method == "POST":
        if not may_fill:
            raise PermissionDenied("只有本单位的资料员、联络员、负责人或创文办可以填写提交表。")
        if form.is_valid():
            try:
                services.submission_form_save(actor=request.user, unit=unit, indicator=indicator, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "测评材料提交表已保存。")
                return redirect("archives:submission", unit_pk=unit.pk, indicator_pk=indicator.pk)
    events = Event.objects.for_object(data.form).select_related("actor")[:30] if data.form else []
    return render(request, "archives/submission_form.html",
                  {"data": data, "form": form, "may_fill": may_fill, "events": events})


def submission_print(request, unit_pk, indicator_pk):
    """The same 提交表 laid out for A4 printing."""
    unit, indicator = _form_objects(request, unit_pk, indicator_pk)
    data = selectors.submission_form_data(unit, indicator)
    return render(request, "archives/submission_print.html", {"data": data, "today": timezone.localdate()})
