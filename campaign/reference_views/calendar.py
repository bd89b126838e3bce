"""工作日历: the office enters the State Council's holiday notice as overrides; a month grid shows
the working days every deadline is counted in."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import services
from ..access import require_role
from ..forms_reference import CalendarDayForm
from ..models import CalendarDay, Event, Role
from ..params import param_int
from ..selectors import calendar_months
from ..workdays import missing_calendar_years, package_knows
from .common import refused

YEAR_RANGE = (2004, 2100)


def _year(request) -> int:
    return param_int(request.GET, "year", timezone.localdate().year, minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1])


def calendar_view(request):
    require_role(request.user, Role.OFFICE)
    year = _year(request)
    return _render(request, year, CalendarDayForm(initial={"start": f"{year}-01-01"}))


def _render(request, year, form, status=200):
    today = timezone.localdate()
    context = {
        "year": year,
        "today": today,
        "months": calendar_months(year),
        "overrides": CalendarDay.objects.filter(date__year=year).select_related("created_by"),
        "package_knows": package_knows(year),
        "missing_years": missing_calendar_years(today),
        "form": form,
        "events": Event.objects.filter(target_type=ContentType.objects.get_for_model(CalendarDay))
        .select_related("actor")[:30],
    }
    return render(request, "campaign/calendar_year.html", context, status=status)


@require_POST
def calendar_add(request):
    require_role(request.user, Role.OFFICE)
    form = CalendarDayForm(request.POST)
    if not form.is_valid():
        start = form.cleaned_data.get("start")
        return _render(request, start.year if start else _year(request), form, status=400)
    data = form.cleaned_data
    try:
        saved = services.calendar_days_set(actor=request.user, start=data["start"], end=data["end"] or data["start"],
                                           kind=data["kind"], note=data["note"])
    except ValidationError as error:
        refused(request, error)
    else:
        label = CalendarDay.Kind(data["kind"]).label
        messages.success(request, f"已录入 {len(saved)} 天（{label}），期限计算立即按新日历执行。"
                         if saved else "这些日期已是相同的设置，没有变化。")
    return redirect(f"{reverse('reference:calendar')}?year={data['start'].year}")


@require_POST
def calendar_delete(request, pk):
    require_role(request.user, Role.OFFICE)
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.calendar_day_delete(actor=request.user, day=day)
    messages.success(request, f"已删除 {day.date:%Y-%m-%d} 的调整，该日恢复默认安排。")
    return redirect(f"{reverse('reference:calendar')}?year={year}")
