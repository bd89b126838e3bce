"""Completeness of each unit's evidence, and the 测评材料提交表."""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from archives import selectors, services
from archives.forms import SubmissionFormForm
from campaign.access import get_visible, require
from campaign.models import Event, Framework, Indicator, OrgUnit
from campaign.views.params import param_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def completeness(request):
    """完整性: standard × unit, which required categories have approved evidence; the gap list;
    the same rows as a spreadsheet with ``?format=xlsx``."""
    require(request.user, "archives.completeness")
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
    # A unit's own people may also pick it when it only supplies material to a unit above it.
    own_units = OrgUnit.objects.filter(path__in=request.user.unit_paths)
    context = {
        "framework": framework, "unit": unit, "area": area, "gaps_only": gaps_only, "summary": summary,
        "page": Paginator(shown, 100).get_page(request.GET.get("page")),
        "units": (duty_units | own_units).distinct().order_by("path"),
        "areas": framework.indicators.filter(level__lte=Indicator.Level.ITEM).order_by("path") if framework else [],
        "querystring": request.GET.urlencode(),
    }
    return render(request, "archives/completeness_report.html", context)


def _may_fill(user, unit) -> bool:
    return selectors.upload_units(user).filter(pk=unit.pk).exists()


@dataclass
class FormView:
    """Whose 提交表 the user opens, and how much of it they may see."""

    unit: OrgUnit
    indicator: Indicator
    data: selectors.SubmissionData
    # The user's units that supply material to a unit above them (read-only view); empty when
    # the user sees the unit itself. Then other units' materials are counted, not named.
    suppliers: list[OrgUnit] = field(default_factory=list)
    others: int = 0

    @property
    def home(self) -> OrgUnit:
        """The unit whose ledger and lists the user can open from this page."""
        return self.suppliers[0] if self.suppliers else self.unit


def _form_view(request, unit_pk, indicator_pk) -> FormView:
    """The 提交表 of a unit the user sees; or, read-only, of a unit above the user's own that must
    prove the standard (the user's unit supplies material to it); else 404."""
    require(request.user, "archives.view")
    indicator = get_object_or_404(Indicator.objects.standards(), pk=indicator_pk)
    unit = OrgUnit.objects.filter(pk=unit_pk).first()
    visible = unit is not None and OrgUnit.objects.visible_to(request.user).filter(pk=unit.pk).exists()
    suppliers = [] if visible or unit is None else selectors.supplying_units(request.user, unit, indicator)
    if not visible and not suppliers:
        raise Http404("没有找到该单位。")
    view = FormView(unit=unit, indicator=indicator, data=selectors.submission_form_data(unit, indicator),
                    suppliers=suppliers)
    if suppliers:
        paths = tuple(s.path for s in suppliers)
        view.others = sum(1 for m in view.data.materials if not m.unit.path.startswith(paths))
        view.data.materials = [m for m in view.data.materials if m.unit.path.startswith(paths)]
    return view


def submission_form(request, unit_pk, indicator_pk):
    """测评材料提交表: the materials list from approved evidence; self-assessment and conclusion."""
    view = _form_view(request, unit_pk, indicator_pk)
    unit, indicator, data = view.unit, view.indicator, view.data
    may_fill = not view.suppliers and _may_fill(request.user, unit)
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
                  {"data": data, "form": form, "may_fill": may_fill, "events": events, "view": view})


def submission_print(request, unit_pk, indicator_pk):
    """The same 提交表 laid out for A4 printing."""
    view = _form_view(request, unit_pk, indicator_pk)
    return render(request, "archives/submission_print.html",
                  {"data": view.data, "today": timezone.localdate(), "view": view})
