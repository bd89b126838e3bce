"""The task list (整改任务) with its filter bar, and its Excel export (整改台账)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from campaign.access import can, require
from campaign.models import OrgUnit, SiteType, User
from campaign.views.params import param_int
from tasks.models import Light, Priority, Source, State
from tasks.models.names import former_names, unit_name
from tasks.selectors import (
    PAGE_SIZES,
    SORT_LABELS,
    TODO_LABELS,
    TaskFilters,
    export_rows,
    filtered_parts,
    filtered_tasks,
    seek_page,
)
from tasks.services.export import ledger_response
from tasks.views.relay import relay_rows


def task_list(request):
    """整改任务: filtered, searched, keyset-paged; constant queries whatever the page size."""
    require(request.user, "tasks.list")
    today = timezone.localdate()
    filters = TaskFilters.from_query(request.GET)
    parts = filtered_parts(request.user, filters, today)
    page = seek_page(parts, sort=request.GET.get("sort", "new"), after=request.GET.get("after", ""),
                     before=request.GET.get("before", ""), size=param_int(request.GET, "size", 0), today=today)
    _prepare_rows(page.rows)
    relay_rows(page.rows, request.user, today)  # 转办: the holder, and a tier's own hop deadline
    context = {
        "page": page,
        "filters": filters,
        "sort": request.GET.get("sort", "new") if request.GET.get("sort") in SORT_LABELS else "new",
        "sorts": SORT_LABELS,
        "page_sizes": PAGE_SIZES,
        "todo_label": TODO_LABELS.get(filters.todo, ""),
        "query_without_page": _query_without(request, "after", "before"),
        "can_create": can(request.user, "tasks.create"),
        **_filter_choices(request.user, filters.unit),
    }
    return render(request, "tasks/task_list.html", context)


def task_export(request):
    """整改台账 (.xlsx) of the filtered list, streamed in chunks."""
    require(request.user, "tasks.list")
    today = timezone.localdate()
    filters = TaskFilters.from_query(request.GET)
    rows = export_rows(filtered_tasks(request.user, filters, today), today)
    return ledger_response(rows, today=today, user=request.user)


LIGHT_TITLES = {Light.RED: "红灯：已超期", Light.YELLOW: "黄灯：临近期限", Light.GREEN: "绿灯：正常",
                Light.NONE: "不亮灯（已销号、挂账或反弹）"}
DEADLINE_CLASSES = {Light.RED: "text-danger", Light.YELLOW: "text-warning-emphasis"}


def _prepare_rows(rows) -> None:
    """Everything a row shows, computed once here rather than looked up and filtered per cell in
    the template (50–100 rows a page: this halves the list's rendering time)."""
    url = reverse("tasks:detail", args=[0]).removesuffix("0/") + "{}/"
    states = dict(State.choices)
    priorities = dict(Priority.choices)
    names = former_names(rows, assisting=False)  # one query, and only if a row is finished
    for t in rows:
        t.url = url.format(t.pk)
        t.light_title = LIGHT_TITLES.get(t.light_code, LIGHT_TITLES[Light.NONE])
        t.deadline_class = DEADLINE_CLASSES.get(t.light_code, "text-muted")
        t.state_label = states.get(t.state, t.state)
        t.priority_label = priorities.get(t.priority, "") if t.priority > Priority.NORMAL else ""
        t.due_text = t.due_label
        t.unit_name = unit_name(t, t.lead_unit, names)
        t.site_name = t.site.name if t.site_id else "—"
        t.place = f"{t.unit_name} · {t.site_name}" if t.site_id else t.unit_name


def _filter_choices(user, selected_unit) -> dict:
    """The filter bar's lists. Units and districts come from ONE query over the active units (the
    unit list is narrowed to the user's scope by path in Python; districts are listed to all)."""
    everything = user.is_office
    paths = () if everything else user.scope_paths
    units, districts = [], []
    for unit in OrgUnit.objects.filter(is_active=True).only("name", "depth", "kind", "path").order_by("path"):
        if unit.kind == OrgUnit.Kind.DISTRICT:
            districts.append(unit)
        if unit.kind != OrgUnit.Kind.OFFICE and (everything or unit.path.startswith(paths)):
            units.append(unit)
    return {
        "states": State.choices,
        "lights": [c for c in Light.choices if c[0] != Light.NONE],
        "sources": Source.choices,
        # The longest list of the filter bar (150+ units), joined once instead of a template loop.
        "unit_options": mark_safe("".join(  # every label is escaped here
            f'<option value="{u.pk}"{" selected" if u.pk == selected_unit else ""}>'
            f'{escape("　" * max(u.depth - 1, 0) + u.name)}</option>' for u in units)),
        "districts": districts,
        "site_types": SiteType.objects.only("name").order_by("sort_order", "id"),
        "leaders": User.objects.filter(is_active=True, memberships__role="leader").distinct().only("full_name",
                                                                                                   "username"),
    }


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
