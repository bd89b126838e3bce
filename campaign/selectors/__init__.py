"""Non-trivial reads of the base app. ``responsibility_for`` is how every later part routes a problem."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from campaign.models import CalendarDay, Indicator, OrgUnit, Responsibility, Site, TimeLimit, User
from campaign.selectors.places import place_lead, relevant_units


@dataclass
class Routing:
    """Who answers for a problem under a standard at a site, and how the answer was found."""

    lead_unit: OrgUnit | None
    responsible_units: list[OrgUnit] = field(default_factory=list)
    assisting_units: list[OrgUnit] = field(default_factory=list)
    leader: User | None = None
    time_limit: TimeLimit | None = None
    deadline: object = None
    source: Responsibility | None = None
    rule: str = ""  # site / site_type / standard / ancestor / adopting_unit / none
    basis: str = ""  # the source row's 属地/行业/指定 (Responsibility.Basis), "" without a row
    explanation: str = ""  # "属地：湖滨街道（点位所在街道）；行业配合：市城管局"


RULE_LABELS = {
    "site": "按点位指定",
    "site_type": "按点位类型",
    "standard": "按测评标准",
    "ancestor": "按上级指标",
    "adopting_unit": "点位包保单位（兜底）",
    "none": "未找到责任单位",
}


def responsibility_for(indicator: Indicator, site: Site | None = None) -> Routing:
    """Precedence: a row for this single site > a row for the site's type > a row for the standard
    itself > a row of the nearest ancestor indicator; if none, the site's adopting unit."""
    chain = [indicator, *indicator.ancestors()]
    rows = (
        Responsibility.objects.filter(indicator__in=chain)
        .select_related("lead_unit", "leader", "time_limit", "indicator")
        .prefetch_related("responsible_units", "assisting_units")
    )
    by_key = {(r.indicator_id, r.site_type_id, r.site_id): r for r in rows}
    if site is not None:
        row = by_key.get((indicator.pk, None, site.pk))
        if row:
            return _routing(row, "site", site)
        row = by_key.get((indicator.pk, site.site_type_id, None))
        if row:
            return _routing(row, "site_type", site)
    row = by_key.get((indicator.pk, None, None))
    if row:
        return _routing(row, "standard", site)
    for ancestor in chain[1:]:
        row = by_key.get((ancestor.pk, None, None))
        if row:
            return _routing(row, "ancestor", site)
    if site is not None and site.adopting_unit_id:
        return Routing(lead_unit=site.adopting_unit, rule="adopting_unit",
                       explanation=f"点位包保单位：{site.adopting_unit.display_name}（责任分工未列此标准）")
    return Routing(lead_unit=None, rule="none")


def _routing(row: Responsibility, rule: str, site: Site | None) -> Routing:
    """The row's answer at this site: a 属地 row hands the lead to the place (its named 牵头单位
    joins as 行业配合); units of other districts named on the row are left out."""
    responsible, cut = relevant_units(list(row.responsible_units.all()), site)
    assisting, cut_too = relevant_units(list(row.assisting_units.all()), site)
    lead, parts = row.lead_unit, []
    if row.basis == Responsibility.Basis.PLACE and site is not None:
        place, why = place_lead(site)
        if place is not None:
            lead = place
            parts.append(f"属地：{place.display_name}（{why}）")
            if row.lead_unit is not None and row.lead_unit != place:
                assisting = [row.lead_unit, *[u for u in assisting if u != row.lead_unit]]
                parts.append(f"行业配合：{row.lead_unit.display_name}")
    if not parts and lead is not None:
        parts.append(_lead_part(row, site))
    responsible = [u for u in responsible if u != lead]
    assisting = [u for u in assisting if u != lead]
    if cut or cut_too:
        parts.append(f"配合单位只列点位所在的{site.district.display_name}")
    return Routing(
        lead_unit=lead,
        responsible_units=responsible,
        assisting_units=assisting,
        leader=row.leader,
        time_limit=row.time_limit,
        deadline=row.deadline,
        source=row,
        rule=rule,
        basis=row.basis,
        explanation="；".join(parts),
    )


def _lead_part(row: Responsibility, site: Site | None) -> str:
    if row.basis == Responsibility.Basis.PLACE:
        return f"属地：未指定点位，由{row.lead_unit.display_name}牵头"
    if row.basis == Responsibility.Basis.TRADE:
        return f"行业：{row.lead_unit.display_name}（行业主管部门）"
    return f"指定：{row.lead_unit.display_name}（责任分工指定）"


# --- Reference pages: indicator tree, matrix, routing explanation, calendar -----------------------

RULE_ORDER = ["site", "site_type", "standard", "ancestor", "adopting_unit"]


def code_key(code: str) -> tuple:
    """Natural order of indicator codes: 2.10 after 2.9, letters before numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.replace("/", ".").split(".") if p)


def path_key(path: str) -> tuple:
    return tuple(code_key(part) for part in path.split("/") if part)


@dataclass
class TreeNode:
    indicator: Indicator
    children: list[TreeNode] = field(default_factory=list)
    row: Responsibility | None = None  # the general row that applies (own or inherited)
    inherited: bool = False
    narrowed: int = 0  # rows narrowed to a site type or a single site
    n_standards: int = 0


def indicator_tree(framework, user) -> list[TreeNode]:
    """The whole edition as nested nodes, each standard with the 牵头单位 that applies to it (its own
    general row or the nearest ancestor's), read through the user's matrix scope."""
    nodes = {i.pk: TreeNode(i) for i in framework.indicators.all()}
    rows = Responsibility.objects.visible_to(user).filter(indicator__framework=framework)
    for row in rows.select_related("lead_unit", "leader"):
        node = nodes.get(row.indicator_id)
        if node is None:
            continue
        if row.site_id or row.site_type_id:
            node.narrowed += 1
        else:
            node.row = row
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.indicator.parent_id)
        (parent.children if parent else roots).append(node)
    _finish(roots, None)
    return roots


def _finish(nodes: list[TreeNode], inherited_row) -> int:
    nodes.sort(key=lambda n: (n.indicator.sort_order, code_key(n.indicator.code)))
    total = 0
    for node in nodes:
        if node.row is None and inherited_row is not None:
            node.row, node.inherited = inherited_row, True
        own = node.row if not node.inherited else inherited_row
        node.n_standards = _finish(node.children, own) + (1 if node.indicator.is_standard else 0)
        total += node.n_standards
    return total


def indicator_search(framework, query: str) -> list[tuple[Indicator, str]]:
    """Indicators whose code starts with the query or whose name or text contains it, each with
    the names of its ancestors ("A 公共文明 › 5 公共秩序 › 5.1 …")."""
    matches = framework.indicators.filter(
        Q(code__istartswith=query) | Q(name__icontains=query) | Q(text__icontains=query)
    ).prefetch_related("site_types")
    branches = {i.pk: i for i in framework.indicators.exclude(level=Indicator.Level.STANDARD)}
    result = []
    for indicator in sorted(matches, key=lambda i: path_key(i.path)):
        chain, parent_id = [], indicator.parent_id
        while parent_id in branches:
            chain.append(branches[parent_id])
            parent_id = branches[parent_id].parent_id
        result.append((indicator, " › ".join(str(a) for a in reversed(chain))))
    return result


def indicator_rows(indicator: Indicator, user) -> dict:
    """The responsibility rows that decide routing for one indicator, as the user may see them:
    its own rows (general, per site type, per site) and, if it has no general row, the nearest
    ancestor's general row that it inherits."""
    visible = Responsibility.objects.visible_to(user).select_related(
        "lead_unit", "leader", "time_limit", "site", "site_type", "indicator"
    ).prefetch_related("responsible_units", "assisting_units")
    own = sorted(visible.filter(indicator=indicator),
                 key=lambda r: (r.site_id is not None, r.site_type_id is not None, str(r.site or r.site_type or "")))
    general = next((r for r in own if not r.site_id and not r.site_type_id), None)
    inherited = None
    if general is None:
        ancestors = indicator.ancestors()
        rows = {r.indicator_id: r for r in visible.filter(indicator__in=ancestors, site__isnull=True,
                                                          site_type__isnull=True)}
        inherited = next((rows[a.pk] for a in ancestors if a.pk in rows), None)
    return {"own": own, "general": general, "inherited": inherited, "table": ([inherited] if inherited else []) + own}


@dataclass
class MatrixFilters:
    unit: OrgUnit | None = None
    unit_role: str = ""  # lead / responsible / assist / "" (any)
    leader: User | None = None
    area: Indicator | None = None
    query: str = ""


def matrix_rows(user, framework, filters: MatrixFilters) -> list[int]:
    """Ids of the matrix rows the user may see, filtered, in indicator-tree order."""
    rows = Responsibility.objects.visible_to(user).filter(indicator__framework=framework)
    unit = filters.unit
    if unit is not None:
        by_role = {"lead": Q(lead_unit=unit), "responsible": Q(responsible_units=unit),
                   "assist": Q(assisting_units=unit)}
        rows = rows.filter(by_role.get(filters.unit_role, Q(lead_unit=unit) | Q(responsible_units=unit)
                                       | Q(assisting_units=unit)))
    if filters.leader is not None:
        rows = rows.filter(leader=filters.leader)
    if filters.area is not None:
        rows = rows.filter(indicator__path__startswith=filters.area.path)
    if filters.query:
        q = filters.query
        rows = rows.filter(Q(indicator__code__istartswith=q) | Q(indicator__name__icontains=q)
                           | Q(indicator__text__icontains=q))
    keyed = set(rows.values_list("pk", "indicator__path", "site_type_id", "site_id"))
    ordered = sorted(keyed, key=lambda r: (path_key(r[1]), r[3] is not None, r[2] is not None, r[0]))
    return [r[0] for r in ordered]


def matrix_filter_choices(user, framework) -> dict:
    """Units, leaders and 版块 that occur in the user's part of the matrix."""
    rows = Responsibility.objects.visible_to(user).filter(indicator__framework=framework).values("pk")
    units = OrgUnit.objects.filter(
        Q(led_responsibilities__in=rows) | Q(responsible_for__in=rows) | Q(assisting_in__in=rows)
    ).distinct().order_by("path")
    leaders = User.objects.filter(overseen_responsibilities__in=rows).distinct().order_by("full_name")
    areas = framework.indicators.filter(level=Indicator.Level.AREA).order_by("sort_order", "code")
    return {"units": units, "leaders": leaders, "areas": areas}


def routing_steps(routing: Routing, site: Site | None) -> list[dict]:
    """The precedence ladder with the rule that answered marked, for the routing check page."""
    state, steps = "checked", []
    for rule in RULE_ORDER:
        applicable = site is not None or rule in ("standard", "ancestor")
        if rule == routing.rule:
            state = "matched"
        steps.append({"rule": rule, "label": RULE_LABELS[rule],
                      "state": state if applicable else "not_applicable"})
        if state == "matched":
            state = "unused"
    return steps


@dataclass
class DayCell:
    day: date
    in_month: bool
    workday: bool
    override: CalendarDay | None
    weekend: bool


def calendar_months(year: int) -> list[dict]:
    """Twelve month grids (weeks Monday first) of the working-day calendar as the engine sees it."""
    from campaign.models.workdays import WorkCalendar

    start, end = date(year, 1, 1), date(year, 12, 31)
    engine = WorkCalendar(start - timedelta(days=7), end + timedelta(days=7))
    overrides = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = date(year, month, monthrange(year, month)[1])
        weeks, day = [], first - timedelta(days=first.weekday())
        while day <= last:
            week = []
            for _ in range(7):
                week.append(DayCell(day, day.month == month, engine.is_workday(day), overrides.get(day),
                                    day.weekday() >= 5))
                day += timedelta(days=1)
            weeks.append(week)
        workdays = sum(1 for w in weeks for c in w if c.in_month and c.workday)
        months.append({"month": month, "weeks": weeks, "workdays": workdays})
    return months
