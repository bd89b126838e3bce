"""Reads of the tasks app: the filtered task list, its keyset pages, the to-do cards, the task page.

How the list stays fast at 100k tasks:

* **No exact count over everything.** An exact ``COUNT(*)`` over the visible set costs
  ~150–200 ms at 100k rows on these machines, on every page view. The list shows a *capped*
  count instead: ``SELECT COUNT(*) FROM (SELECT id … LIMIT 1001)`` reads at most 1,001 index
  entries and shows "1000+" beyond that. Offices that need the exact figure export the 台账 or
  open the reports, which read daily snapshots.
* **Keyset ("seek") pagination.** Pages are addressed by the sort key of the last row shown
  (``?after=…``) or of the first (``?before=…``), not by an offset: page 500 costs what page 1
  costs, and rows inserted meanwhile do not shift the pages. Each sort is backed by an index:
  ``task_list_order`` (assigned_at DESC, id DESC) and (state, due_date) for the due-date sort.
* **Constant queries.** One query for the rows (lead unit and site joined), one for the capped
  count, one for the holiday overrides of the page's date span (``WorkCalendar``), whatever the
  page size. Each row's dot and "还剩/超期" hint come together from ``due_status`` over the page's
  calendar (no query per row), so they cannot disagree; the SQL light filters and counts with
  the same rule (a test compares them).
* **Search** uses ``icontains``, which PostgreSQL serves from trigram GIN indexes on
  UPPER(number/title/description) for queries of three or more characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from campaign.models import Event, OrgUnit, Role
from campaign.models.workdays import WorkCalendar
from campaign.views.params import param_id
from tasks.models import (
    OPEN_STATES,
    WORKING_HOPS,
    ExtensionRequest,
    Hop,
    Light,
    RectificationTask,
    State,
    TaskAction,
    TaskPhoto,
    any_of,
    light_condition,
    moment,
    sees_every_task,
    visibility_branches,
)
from tasks.models.names import former_names, unit_name
from tasks.selectors import relay, seek
from tasks.selectors.seek import (  # noqa: F401
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    SORTS,
    PageCalendar,
    SeekPage,
    decode_cursor,
    encode_cursor,
)

COUNT_CAP = 1000
SORT_LABELS = {"new": "交办时间（新→旧）", "due": "整改期限（近→远）"}


# --- filters ----------------------------------------------------------------------------------


@dataclass
class TaskFilters:
    """The list's filters, parsed from the query string (bad values are ignored, not fatal)."""

    q: str = ""
    state: str = ""  # a State value, or "open" / "unfinished"
    light: str = ""
    unit: int | None = None
    leader: int | None = None
    standard: str = ""
    site_type: int | None = None
    district: int | None = None
    source: str = ""
    assigned_from: date | None = None
    assigned_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    todo: str = ""

    @classmethod
    def from_query(cls, params) -> TaskFilters:
        def number(name):
            return param_id(params, name)

        def day(name):
            try:
                return parse_date(params.get(name, "") or "")
            except ValueError:
                return None

        state = params.get("state", "")
        light = params.get("light", "")
        return cls(
            q=params.get("q", "").strip()[:100],
            state=state if state in {*State.values, "open", "unfinished"} else "",
            light=light if light in Light.values else "",
            unit=number("unit"), leader=number("leader"), site_type=number("site_type"), district=number("district"),
            standard=params.get("standard", "").strip()[:30],
            source=params.get("source", "") if params.get("source", "") in _source_values() else "",
            assigned_from=day("assigned_from"), assigned_to=day("assigned_to"),
            due_from=day("due_from"), due_to=day("due_to"),
            overdue=params.get("overdue") in {"1", "on", "true"},
            todo=params.get("todo", "") if params.get("todo", "") in TODO_FILTERS else "",
        )

    @property
    def active_count(self) -> int:
        """How many of the filters behind "更多筛选" are set (shown on its button)."""
        values = [self.unit, self.leader, self.standard, self.site_type, self.district,
                  self.source, self.assigned_from, self.assigned_to, self.due_from, self.due_to, self.overdue]
        return sum(1 for v in values if v)


def _source_values():
    from tasks.models import Source

    return set(Source.values)


def filtered_tasks(user, filters: TaskFilters, today: date) -> QuerySet:
    """The visible tasks matching the filters (unordered, unannotated)."""
    return _apply_filters(RectificationTask.objects.visible_to(user), user, filters, today)


def filtered_parts(user, filters: TaskFilters, today: date) -> list[QuerySet]:
    """The same tasks as ``filtered_tasks``, as branches whose union they are (one branch for
    those who see every task): the list pages them with ``seek_page`` (see tasks/selectors/seek.py)."""
    qs = _apply_filters(RectificationTask.objects.all(), user, filters, today)
    branches = scope_branches(user)
    return [qs] if branches is None else [qs.filter(branch) for branch in branches]


def scope_branches(user) -> list[Q] | None:
    """None for those who see every task, else the conditions whose union they see."""
    if not user.is_authenticated:
        return [Q(pk__in=[])]
    if sees_every_task(user):
        return None
    # The scope's unit ids by path prefix in Python: one small query instead of a LIKE per path.
    paths, assist_paths = user.scope_paths, user.assist_scope_paths
    rows = list(OrgUnit.objects.values_list("pk", "path"))
    units = [pk for pk, path in rows if paths and path.startswith(paths)]
    if assist_paths == paths:
        return visibility_branches(user, units)
    assisting = [pk for pk, path in rows if assist_paths and path.startswith(assist_paths)]
    return visibility_branches(user, units, assisting)


def first_visible(user, qs: QuerySet, order: list[str], limit: int) -> list[RectificationTask]:
    """The first ``limit`` tasks of ``qs`` (not yet scoped) that ``user`` may see, in ``order``
    (ending with a unique field). For a scoped user: one union of small ordered queries, one per
    visibility branch (see tasks/selectors/seek.py for why not one OR), then the rows by id."""
    branches = scope_branches(user)
    if branches is None:
        return list(qs.order_by(*order)[:limit])
    firsts = [qs.filter(branch).order_by(*order).values_list("pk", flat=True)[:limit] for branch in branches]
    ids = list(firsts[0].union(*firsts[1:])) if len(firsts) > 1 else list(firsts[0])
    return list(qs.filter(pk__in=ids).order_by(*order)[:limit]) if ids else []


def _apply_filters(qs: QuerySet, user, filters: TaskFilters, today: date) -> QuerySet:
    if filters.todo:
        qs = qs.filter(TODO_FILTERS[filters.todo](user, today))
    if filters.q:
        qs = qs.search(filters.q)
    if filters.state == "open":
        qs = qs.open()
    elif filters.state == "unfinished":
        qs = qs.unfinished()
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.light:
        qs = qs.lit(filters.light, today)
    if filters.overdue:
        qs = qs.overdue(today)
    return _filter_fields(qs, filters)


def _filter_fields(qs: QuerySet, f: TaskFilters) -> QuerySet:
    if f.unit:
        # The subtree's ids as literals (one small query): the planner then estimates the rows
        # per unit from its statistics instead of guessing through a join on the path.
        path = OrgUnit.objects.filter(pk=f.unit).values("path")[:1]
        ids = list(OrgUnit.objects.filter(path__startswith=path).values_list("pk", flat=True))
        qs = qs.filter(any_of("lead_unit_id", ids)) if ids else qs.none()
    if f.leader:
        qs = qs.filter(leader_id=f.leader)
    if f.standard:
        qs = qs.filter(Q(indicator__code=f.standard) | Q(indicator__code__startswith=f.standard.rstrip(".") + "."))
    if f.site_type:
        qs = qs.filter(site__site_type_id=f.site_type)
    if f.district:
        qs = qs.filter(site__district_id=f.district)
    if f.source:
        qs = qs.filter(source=f.source)
    ranges = {"assigned_at__date__gte": f.assigned_from, "assigned_at__date__lte": f.assigned_to,
              "due_date__gte": f.due_from, "due_date__lte": f.due_to}
    return qs.filter(**{k: v for k, v in ranges.items() if v is not None})


# --- to-do filters and cards ------------------------------------------------------------------


def _lead_units(user) -> QuerySet:
    """The units where the user is liaison or head, as a subquery (no extra query per card)."""
    return user.memberships.current().filter(role__in=[Role.LIAISON, Role.UNIT_HEAD]).values("unit_id")


def _todo_sign(user, today):
    return Q(state=State.ASSIGNED, lead_unit__in=_lead_units(user)) | relay.held_here(_lead_units(user), [Hop.ASSIGNED])


def _todo_fix(user, today):
    # A task passed down (转办) is fixed by the unit holding it, not by the lead unit.
    own = Q(state__in=[State.IN_PROGRESS, State.REWORK], lead_unit__in=_lead_units(user), front_due_date__isnull=True)
    return own | relay.held_here(_lead_units(user), WORKING_HOPS)


def _todo_due_soon(user, today):
    own = light_condition(Light.YELLOW, today) & Q(lead_unit__in=_lead_units(user))
    return own | (Q(state__in=OPEN_STATES) & relay.hop_lit_here(_lead_units(user), Light.YELLOW, today))


def _todo_my_overdue(user, today):
    own = light_condition(Light.RED, today) & Q(lead_unit__in=_lead_units(user))
    return own | (Q(state__in=OPEN_STATES) & relay.hop_lit_here(_lead_units(user), Light.RED, today))


def _todo_relay_check(user, today):
    return relay.to_check_here(_lead_units(user))


def _todo_assist(user, today):
    through = RectificationTask.assisting_units.through
    return Q(state__in=OPEN_STATES) & Q(pk__in=through.objects.filter(
        orgunit__in=_lead_units(user)).values("rectificationtask_id"))


def _managed(user) -> Q:
    """The tasks whose office the user is (``campaign.access.manages`` in SQL): all for the city
    office, those its district handed over for a 区创文办."""
    if user.is_office or not user.district_office_paths:
        return Q()
    return Q(handed_by_unit__in=OrgUnit.objects.subtree_of(*user.district_office_paths).values("pk"))


def _todo_verify(user, today):
    return Q(state=State.SUBMITTED) & (Q() if user.has_role(Role.INSPECTOR) else _managed(user))


def _todo_returns(user, today):
    return Q(state=State.RETURNED_BY_UNIT) & _managed(user)


def _todo_extensions_office(user, today):
    pending = ExtensionRequest.objects.filter(task=OuterRef("pk"), status="pending", needs_leader=False)
    return Q(state=State.EXTENSION_REQUESTED) & Q(Exists(pending)) & _managed(user)


def _todo_extensions_leader(user, today):
    pending = ExtensionRequest.objects.filter(task=OuterRef("pk"), status="pending", needs_leader=True)
    return Q(state=State.EXTENSION_REQUESTED, leader=user) & Q(Exists(pending))


def _todo_overdue(user, today):
    return light_condition(Light.RED, today)


def _todo_park_review(user, today):
    return Q(state=State.PARKED, park_review_date__lte=today) & _managed(user)


TODO_FILTERS = {
    "sign": _todo_sign,
    "fix": _todo_fix,
    "due_soon": _todo_due_soon,
    "my_overdue": _todo_my_overdue,
    "assist": _todo_assist,
    "relay_check": _todo_relay_check,
    "verify": _todo_verify,
    "returns": _todo_returns,
    "extensions": _todo_extensions_office,
    "leader_extensions": _todo_extensions_leader,
    "overdue": _todo_overdue,
    "park_review": _todo_park_review,
}

TODO_LABELS = {
    "sign": "待签收", "fix": "待整改", "due_soon": "即将到期", "my_overdue": "本单位已超期", "assist": "配合整改",
    "relay_check": "下级提交待核查", "verify": "待核查", "returns": "退回申请待处理", "extensions": "延期申请待审批",
    "leader_extensions": "延期申请待我审批", "overdue": "已超期", "park_review": "挂账到期待复核",
}
TODO_TONES = {"sign": "primary", "fix": "primary", "due_soon": "warning", "my_overdue": "danger", "assist": "primary",
              "relay_check": "primary", "verify": "primary", "returns": "warning", "extensions": "warning", "leader_extensions": "warning",
              "overdue": "danger", "park_review": "warning"}


def todo_keys_for(user) -> list[str]:
    keys = []
    if user.has_role(Role.LIAISON, Role.UNIT_HEAD):
        keys += ["sign", "fix", "due_soon", "my_overdue", "assist", "relay_check"]
    if user.is_office or user.has_role(Role.DISTRICT_OFFICE):
        keys += ["verify", "returns", "extensions", "park_review", "overdue"]
    elif user.has_role(Role.INSPECTOR):
        keys += ["verify"]
    if user.has_role(Role.LEADER):
        keys += ["leader_extensions", "overdue"]
    return list(dict.fromkeys(keys))


def todo_cards(user, today: date | None = None) -> list[dict]:
    """工作台 cards: one capped count per card, each linking to the filtered list."""
    today = today or timezone.localdate()
    cards = []
    base = reverse("tasks:index")
    visible = RectificationTask.objects.visible_to(user)
    for key in todo_keys_for(user):
        count, more = capped_count(visible.filter(TODO_FILTERS[key](user, today)))
        tone = TODO_TONES[key] if count else "success"
        cards.append({"label": TODO_LABELS[key], "count": f"{count}+" if more else count,
                      "url": f"{base}?todo={key}", "tone": tone})
    return cards


def capped_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(n, more): the number of rows up to ``cap``, and whether there are more (read ≤ cap+1 rows)."""
    cap = cap or COUNT_CAP
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


# --- keyset pages (the machinery is in tasks/selectors/seek.py) -----------------------------------------


def seek_page(qs: QuerySet | list[QuerySet], *, sort: str = "new", after: str = "", before: str = "",
              size: int = DEFAULT_PAGE_SIZE, today: date) -> SeekPage:
    """One page of ``qs`` (or of the union of the branches ``filtered_parts`` returns) by keyset."""
    return seek.seek_page(qs, sort=sort, after=after, before=before, size=size, today=today, cap=COUNT_CAP)


# --- export -----------------------------------------------------------------------------------


def export_rows(qs: QuerySet, today: date):
    """Tasks for the 整改台账 spreadsheet, streamed in chunks, with what each column needs."""
    latest_submit = TaskAction.objects.filter(task=OuterRef("pk"), action="submit").order_by("-created_at", "-id")
    return (
        qs.with_light(today)
        .annotate(work_note=Subquery(latest_submit.values("note")[:1]))
        .select_related("lead_unit", "site", "indicator", "leader")
        .prefetch_related(Prefetch("assisting_units", queryset=OrgUnit.objects.only("name", "short_name")))
        .order_by("-assigned_at", "-id")
        .iterator(chunk_size=2000)
    )


# --- the task page ----------------------------------------------------------------------------


def task_for_page(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "lead_unit", "site", "site__site_type", "site__district", "indicator", "leader", "time_limit", "created_by",
        "handed_by_unit",
        "signed_by", "rebound_of",
    )


def task_page_context(task: RectificationTask, user, today: date) -> dict:
    photos = list(task.photos.select_related("evidence", "action").order_by("added_at", "id"))
    actions = list(
        task.actions.select_related("actor", "actor_unit")
        .prefetch_related(Prefetch("photos", queryset=TaskPhoto.objects.select_related("evidence")))
        .order_by("created_at", "id")
    )
    calendar = WorkCalendar(min(today, task.due_date), max(today, task.due_date))
    status = task.due_status(calendar, moment(today))
    assisting = list(task.assisting_units.all())
    names = former_names([task])
    return {
        "task": task,
        "light": status.light,
        "deadline": status.text,
        "assisting_units": assisting,
        # A closed task names its units as they were called when it closed (机构改革 renames).
        "lead_unit_name": unit_name(task, task.lead_unit, names),
        "assisting_names": [unit_name(task, u, names) for u in assisting],
        "allowed": task.allowed_actions(user, today=today),
        "before_photos": [p for p in photos if p.kind == TaskPhoto.Kind.BEFORE],
        "after_photos": [p for p in photos if p.kind == TaskPhoto.Kind.AFTER],
        "assist_photos": [p for p in photos if p.kind == TaskPhoto.Kind.ASSIST],
        "verify_photos": [p for p in photos if p.kind == TaskPhoto.Kind.VERIFY],
        "actions": actions,
        "extensions": list(task.extension_requests.select_related("requested_by", "decided_by")),
        "rebounds": list(task.rebounds.all()),
        "chase_notices": list(task.chase_notices.order_by("issued_on", "kind")),
        "events": Event.objects.for_object(task).select_related("actor")[:50],
    }
