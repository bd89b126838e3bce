"""工作日历: the office enters the State Council's holiday notice as overrides; a month grid shows
the working days every deadline is counted in."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaign import services
from campaign.access import require
from campaign.forms import add_service_errors
from campaign.forms.reference import CalendarDayForm
from campaign.models import CalendarDay, CalendarYear, Event
from campaign.models.workdays import missing_calendar_years, package_knows
from campaign.selectors import calendar_months
from campaign.views.common import refused
from campaign.views.params import param_int

YEAR_RANGE = (2004, 2100)
# What happens after a calendar change (the recount is a background job: tasks.recalculate_deadlines).
RECOUNT_NOTE = "未办结任务中按工作日计算的整改期限将随即按新日历重新计算，期限有变的任务会通知责任单位。"


def _year(request) -> int:
    return param_int(request.GET, "year", timezone.localdate().year, minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1])


def calendar_view(request):
    require(request.user, "calendar.edit")
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
        "confirmed": CalendarYear.objects.filter(year=year).select_related("confirmed_by").first(),
        "missing_years": missing_calendar_years(today),
        "form": form,
        "events": Event.objects.filter(target_type__in=[ContentType.objects.get_for_model(CalendarDay),
                                                        ContentType.objects.get_for_model(CalendarYear)])
        .select_related("actor")[:30],
    }
    return render(request, "campaign/calendar_year.html", context, status=status)


@require_POST
def calendar_add(request):
    require(request.user, "calendar.edit")
    form = CalendarDayForm(request.POST)
    if not form.is_valid():
        start = form.cleaned_data.get("start")
        return _render(request, start.year if start else _year(request), form, status=400)
    data = form.cleaned_data
    try:
        saved = services.calendar_days_set(actor=request.user, start=data["start"], end=data["end"] or data["start"],
                                           kind=data["kind"], note=data["note"])
    except ValidationError as error:
        add_service_errors(form, error)
        return _render(request, data["start"].year, form, status=400)
    label = CalendarDay.Kind(data["kind"]).label
    messages.success(request, f"已录入 {len(saved)} 天（{label}）。{RECOUNT_NOTE}"
                     if saved else "这些日期已是相同的设置，没有变化。")
    return redirect(f"{reverse('reference:calendar')}?year={data['start'].year}")


@require_POST
def calendar_delete(request, pk):
    require(request.user, "calendar.edit")
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.calendar_day_delete(actor=request.user, day=day)
    messages.success(request, f"已删除 {day.date:%Y-%m-%d} 的调整，该日恢复默认安排。{RECOUNT_NOTE}")
    return redirect(f"{reverse('reference:calendar')}?year={year}")


@require_POST
def calendar_confirm(request):
    """确认某年放假安排已完整录入: the year then counts as entered (the banner goes)."""
    require(request.user, "calendar.edit")
    year = param_int(request.POST, "year", None, minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1])
    if year is None:
        messages.error(request, "请选择要确认的年份。")
        return redirect("reference:calendar")
    try:
        services.calendar_year_confirm(actor=request.user, year=year)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, f"已确认 {year} 年放假安排完整录入，不再提醒录入该年节假日。")
    return redirect(f"{reverse('reference:calendar')}?year={year}")
