"""督办文书 pages: the list of chase notices, one notice, and its printable PDF."""

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from campaign.access import get_visible, require
from campaign.models import Event, OrgUnit
from campaign.views.params import param_id
from tasks.models import ChaseNotice
from tasks.services import chase


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _filtered(request, notices):
    """Apply the filter bar; returns the queryset and the values to show back in the form."""
    f = {key: request.GET.get(key, "").strip() for key in ("kind", "unit", "date_from", "date_to", "q")}
    if f["kind"] in ChaseNotice.Kind.values:
        notices = notices.filter(kind=f["kind"])
    if param_id(request.GET, "unit"):
        notices = notices.filter(task__lead_unit_id=param_id(request.GET, "unit"))
    date_from, date_to = _date(f["date_from"]), _date(f["date_to"])
    if date_from:
        notices = notices.filter(issued_on__gte=date_from)
    if date_to:
        notices = notices.filter(issued_on__lte=date_to)
    if f["q"]:
        notices = notices.filter(Q(number__icontains=f["q"]) | Q(task__number__icontains=f["q"]))
    return notices, f


def chase_list(request):
    """督办文书: 临期提醒, 催办通知 and 通报 entries of the tasks the user may see."""
    require(request.user, "tasks.chase")
    notices = ChaseNotice.objects.visible_to(request.user).select_related("task", "task__lead_unit", "task__leader")
    notices, filters = _filtered(request, notices)
    page = Paginator(notices.order_by("-issued_on", "kind", "-seq"), 50).get_page(request.GET.get("page"))
    units = OrgUnit.objects.visible_to(request.user).filter(is_active=True).exclude(
        kind__in=[OrgUnit.Kind.OFFICE, OrgUnit.Kind.CITY]
    ).order_by("path").only("pk", "name", "depth")
    context = {"page": page, "filters": filters, "kinds": ChaseNotice.Kind.choices, "units": units}
    return render(request, "tasks/chase_list.html", context)


def _notice_for(request, pk):
    require(request.user, "tasks.chase")
    queryset = ChaseNotice.objects.select_related(
        "task", "task__lead_unit", "task__leader", "task__site", "task__site__district", "task__indicator"
    )
    return get_visible(queryset, request.user, pk=pk)


def chase_detail(request, pk):
    notice = _notice_for(request, pk)
    context = chase.notice_context(notice)
    context["events"] = Event.objects.for_object(notice).select_related("actor")[:50]
    context["history"] = notice.task.chase_notices.order_by("issued_on", "id")
    return render(request, "tasks/chase_detail.html", context)


def chase_pdf(request, pk):
    """The notice as an A4 PDF (inline, so the browser shows it and prints it)."""
    notice = _notice_for(request, pk)
    response = HttpResponse(chase.notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{notice.number}.pdf")
    return response
