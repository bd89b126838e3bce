"""督查通报: the list, the preview of a selection (the task list's filters) and its request, the
request from the chase ladder's 通报 entries, a 通报's page and files."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaign.access import can, get_visible, require
from campaign.models import Event, OrgUnit, User
from campaign.services.once import once_per_form, submit_once
from reports.models import Bulletin
from reports.services.bulletins.data import MAX_TASKS, preview_rows, uncirculated_notices
from reports.services.bulletins.services import (
    BulletinError,
    bulletin_request_chase,
    bulletin_request_selection,
    selection_task_ids,
)
from reports.views.summaries import files_context, generated_file_response
from tasks.models import Source
from tasks.selectors import TaskFilters

FILTER_KEYS = ("unit", "district", "leader", "source", "assigned_from", "assigned_to", "due_from", "due_to", "light",
               "state", "q", "standard", "site_type", "overdue")


def bulletin_list(request):
    require(request.user, "reports.bulletins")
    bulletins = Bulletin.objects.visible_to(request.user).select_related("run", "requested_by")
    page = Paginator(bulletins, 30).get_page(request.GET.get("page"))
    office = can(request.user, "reports.publish")
    context = {"page": page, "can_issue": office, "max_tasks": MAX_TASKS,
               "waiting": uncirculated_notices().count() if office else 0}
    return render(request, "reports/bulletin_list.html", context)


def _params(data) -> dict:
    return {k: data.get(k) for k in FILTER_KEYS if data.get(k)}


@once_per_form
def bulletin_new(request):
    """Preview which tasks of a selection would be circulated (GET); request the 通报 (POST)."""
    require(request.user, "reports.publish")
    today = timezone.localdate()
    if request.method == "POST":
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                bulletin = bulletin_request_selection(user=request.user, params=_params(request.POST), today=today)
                once.done(reverse("reports:bulletin_detail", args=[bulletin.pk]))
        except BulletinError as exc:
            messages.error(request, str(exc))
            return redirect(f"{request.path}?{urlencode(_params(request.POST))}")
        messages.success(request, "已提交生成申请，生成完成后会通知您。")
        return redirect("reports:bulletin_detail", pk=bulletin.pk)
    params = _params(request.GET)
    shown = bool(params) or "preview" in request.GET
    ids = selection_task_ids(request.user, params, today) if shown else []
    preview = preview_rows(ids[:50])
    context = {"params": params, "shown": shown, "filters": TaskFilters.from_query(request.GET), "count": len(ids),
               "too_many": len(ids) > MAX_TASKS, "preview": preview, "max_tasks": MAX_TASKS, "today": today,
               "units": OrgUnit.objects.filter(is_active=True).exclude(kind__in=["office", "city"]).order_by("path"),
               "districts": OrgUnit.objects.filter(kind="district", is_active=True).order_by("path"),
               "leaders": User.objects.filter(is_active=True, memberships__role="leader").distinct(),
               "sources": Source.choices}
    return render(request, "reports/bulletin_new.html", context)


@once_per_form
@require_POST
def bulletin_from_chase(request):
    require(request.user, "reports.publish")
    try:
        with submit_once(request) as once:
            if once.earlier:
                return once.earlier
            bulletin = bulletin_request_chase(user=request.user)
            once.done(reverse("reports:bulletin_detail", args=[bulletin.pk]))
    except BulletinError as exc:
        messages.error(request, str(exc))
        return redirect("reports:bulletin_list")
    messages.success(request, "已提交生成申请，生成完成后会通知您。")
    return redirect("reports:bulletin_detail", pk=bulletin.pk)


def _bulletin_for(request, pk) -> Bulletin:
    require(request.user, "reports.bulletins")
    return get_visible(Bulletin.objects.select_related("run", "requested_by"), request.user, pk=pk)


def bulletin_detail(request, pk):
    bulletin = _bulletin_for(request, pk)
    context = files_context(bulletin, "bulletin")
    context.update({
        "bulletin": bulletin,
        "tasks": bulletin.tasks.select_related("lead_unit", "site").order_by("lead_unit__path", "due_date"),
        "notices": bulletin.chase_notices.select_related("task").order_by("issued_on", "seq"),
        "events": Event.objects.for_object(bulletin).select_related("actor")[:50],
    })
    template = "reports/_bulletin_page.html" if request.GET.get("partial") else "reports/bulletin_detail.html"
    return render(request, template, context)


def bulletin_download(request, pk, fmt):
    bulletin = _bulletin_for(request, pk)
    return generated_file_response(bulletin, fmt, bulletin.number or bulletin.title)
