"""The task list (整改任务) with its filter bar, and its Excel export (整改台账)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from campaign.access import require_role
from campaign.models import OrgUnit, SiteType, User

from ..apps import LIST_ROLES
from ..export import ledger_response
from ..models import Light, Source, State
from ..selectors import (
    PAGE_SIZES,
    SORT_LABELS,
    TODO_LABELS,
    TaskFilters,
    export_rows,
    filtered_tasks,
    seek_page,
)


def task_list(request):
    """整改任务: filtered, searched, keyset-paged; constant queries whatever the page size."""
    require_role(request.user, *LIST_ROLES)
    today = timezone.localdate()
    filters = TaskFilters.from_query(request.GET)
    qs = filtered_tasks(request.user, filters, today)
    size = request.GET.get("size", "")
    page = seek_page(qs, sort=request.GET.get("sort", "new"), after=request.GET.get("after", ""),
                     before=request.GET.get("before", ""), size=int(size) if size.isdigit() else 0, today=today)
    context = {
        "page": page,
        "filters": filters,
        "sort": request.GET.get("sort", "new") if request.GET.get("sort") in SORT_LABELS else "new",
        "sorts": SORT_LABELS,
        "page_sizes": PAGE_SIZES,
        "todo_label": TODO_LABELS.get(filters.todo, ""),
        "query_without_page": _query_without(request, "after", "before"),
        "can_create": request.user.is_superuser or request.user.has_role("office"),
        **_filter_choices(request.user),
    }
    return render(request, "tasks/task_list.html", context)


def task_export(request):
    """整改台账 (.xlsx) of the filtered list, streamed in chunks."""
    require_role(request.user, *LIST_ROLES)
    today = timezone.localdate()
    filters = TaskFilters.from_query(request.GET)
    rows = export_rows(filtered_tasks(request.user, filters, today), today)
    return ledger_response(rows, today=today, user=request.user)


def _filter_choices(user) -> dict:
    return {
        "states": State.choices,
        "lights": [c for c in Light.choices if c[0] != Light.NONE],
        "sources": Source.choices,
        "units": [(u.pk, "　" * max(u.depth - 1, 0) + u.name) for u in OrgUnit.objects.visible_to(user)
                  .filter(is_active=True).exclude(kind=OrgUnit.Kind.OFFICE).only("name", "depth").order_by("path")],
        "districts": OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, is_active=True).only("name").order_by("path"),
        "site_types": SiteType.objects.only("name").order_by("sort_order", "id"),
        "leaders": User.objects.filter(is_active=True, memberships__role="leader").distinct().only("full_name",
                                                                                                   "username"),
    }


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
