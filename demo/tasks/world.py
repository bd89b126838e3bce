"""What the demo tasks are made of, read once: standards, sites, the responsibility matrix, people,
time limits and the working-day calendar. No query happens per task after this."""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from campaign.models import Guardianship, Indicator, Membership, OrgUnit, Responsibility, Role, Site, TimeLimit
from campaign.models.workdays import WorkCalendar

BEIJING = ZoneInfo(settings.TIME_ZONE)
HISTORY_DAYS = 182
DEMO_USERS = ["liaison", "head"]  # demo.campaign's documented accounts of one street


@dataclass(frozen=True)
class Route:
    lead_unit_id: int
    assisting_ids: tuple[int, ...] = ()
    leader_id: int | None = None
    time_limit_id: int | None = None
    responsible_ids: tuple[int, ...] = ()
    place: bool = False  # a 属地 row: the site's street or community leads, ``lead_unit_id`` assists


@dataclass
class Standard:
    id: int
    code: str
    name: str
    chain: list[int]  # itself, then its ancestors (nearest first)
    site_type_ids: list[int]
    field_check: bool


@dataclass
class World:
    today: date
    now: datetime
    calendar: WorkCalendar
    workdays: list[date]
    standards: list[Standard]
    sites_by_type: dict[int, list[tuple]]
    all_sites: list[tuple]
    type_names: dict[int, str]
    routes: dict[tuple, Route]
    time_limits: dict[int, tuple[str, int, int]]
    limit_ids: list[int]
    liaisons: dict[int, list[int]]
    heads: dict[int, list[int]]
    office_ids: list[int]
    inspector_ids: list[int]
    leader_ids: list[int]
    fallback_unit_ids: list[int]
    unit_paths: dict[int, str]
    unit_names: dict[int, str]
    office_unit_id: int | None
    focus_unit_ids: set[int] = field(default_factory=set)  # the demo accounts' street(s)
    place_unit_ids: set[int] = field(default_factory=set)  # districts, streets and communities
    site_guardians: dict[int, int] = field(default_factory=dict)  # site id → the unit that 包保 it

    # --- the calendar, as the chase ladder sees it ---------------------------------------------

    def add(self, day: date, n: int) -> date:
        """``WorkCalendar.add`` answered from the precomputed working days (bisect, no loop)."""
        if n > 0:
            j = bisect_right(self.workdays, day) + n - 1
        elif n < 0:
            j = bisect_left(self.workdays, day) + n
        else:
            return day
        if 0 <= j < len(self.workdays) and self.workdays[0] < day < self.workdays[-1]:
            return self.workdays[j]
        return self.calendar.add(day, n)

    def is_workday(self, day: date) -> bool:
        return self.calendar.is_workday(day)

    def workday_count(self, day: date) -> int:
        """How many working days of the window fall on or before ``day`` (prefix count)."""
        return bisect_right(self.workdays, day)

    def at(self, day: date, rng: random.Random, start: time = time(8, 40), end: time = time(17, 50)) -> datetime:
        """A plausible office-hours moment on ``day`` (Beijing time)."""
        lo, hi = start.hour * 60 + start.minute, end.hour * 60 + end.minute
        minutes = rng.randint(lo, hi)
        return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, rng.randint(0, 59), tzinfo=BEIJING)

    def later(self, moment: datetime, workdays: int, rng: random.Random) -> datetime:
        """A moment ``workdays`` working days after ``moment`` (same day when 0, but later)."""
        day = moment.astimezone(BEIJING).date()
        if workdays <= 0:
            if not self.calendar.is_workday(day):
                return self.at(self.add(day, 1), rng)
            result = moment + timedelta(minutes=rng.randint(20, 240))
            return result if result.astimezone(BEIJING).hour < 19 else self.at(self.add(day, 1), rng)
        return self.at(self.add(day, workdays), rng)

    def between(self, a: date, b: date) -> int:
        """Working days in (a, b], negative when b is before a (as ``working_days_between``)."""
        if self.workdays[0] <= min(a, b) and max(a, b) <= self.workdays[-1]:
            return bisect_right(self.workdays, b) - bisect_right(self.workdays, a)
        return self.calendar.between(a, b)

    # --- routing (the same precedence as campaign.selectors.responsibility_for) ----------------

    def route(self, standard: Standard, site: tuple | None) -> Route | None:
        return self.at_site(self._row(standard, site), site)

    def _row(self, standard: Standard, site: tuple | None) -> Route | None:
        if site is not None:
            site_id, _name, site_type_id, _district, adopting = site[:5]
            row = self.routes.get((standard.id, None, site_id)) or self.routes.get((standard.id, site_type_id, None))
            if row:
                return row
        for indicator_id in standard.chain:
            row = self.routes.get((indicator_id, None, None))
            if row:
                return row
        if site is not None and site[4]:
            return Route(lead_unit_id=site[4])
        return None

    def at_site(self, row: Route | None, site: tuple | None) -> Route | None:
        """The row's answer at the site (as ``campaign.selectors._routing``): a 属地 row is led by
        the place, its department assists; units of other districts drop out."""
        if row is None or site is None:
            return row
        lead, assisting = row.lead_unit_id, row.assisting_ids
        if row.place:
            place = self.place_lead(site)
            if place is not None and place != lead:
                assisting, lead = (lead, *(u for u in assisting if u != lead)), place
        keep = [u for u in assisting if u != lead and self.concerns(u, site)]
        responsible = tuple(u for u in row.responsible_ids if u != lead and self.concerns(u, site))
        return Route(lead, tuple(keep), row.leader_id, row.time_limit_id, responsible)

    def place_lead(self, site: tuple) -> int | None:
        """As ``campaign.selectors.places.place_lead``: a 包保 unit, the adopting community, the
        street, the district."""
        _pk, _name, _type, district, adopting, street = site[:6]
        if site[0] in self.site_guardians:
            return self.site_guardians[site[0]]
        paths = self.unit_paths
        if street and adopting and adopting != street and adopting in self.place_unit_ids \
                and paths.get(adopting, "").startswith(paths[street]):
            return adopting
        return street or district

    def concerns(self, unit_id: int, site: tuple) -> bool:
        if unit_id not in self.place_unit_ids:
            return True
        anchor = self.unit_paths.get(site[5] or site[3], "")
        path = self.unit_paths.get(unit_id, "")
        return anchor.startswith(path) or path.startswith(anchor)

    def contact(self, unit_id: int, rng: random.Random) -> int | None:
        """Who acts for a unit: its liaison, else its head."""
        people = self.liaisons.get(unit_id) or self.heads.get(unit_id)
        return rng.choice(people) if people else None


def load_world(today: date, now: datetime) -> World | None:
    """None when the reference data (an active framework with standards) is missing."""
    standards = _standards()
    if not standards:
        return None
    start, end = today - timedelta(days=HISTORY_DAYS + 60), today + timedelta(days=240)
    calendar = WorkCalendar(start, end)
    workdays = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    workdays = [d for d in workdays if calendar.is_workday(d)]
    sites = list(Site.objects.filter(is_active=True).order_by("pk").values_list(
        "pk", "name", "site_type_id", "district_id", "adopting_unit_id", "street_id"))
    by_type: dict[int, list[tuple]] = {}
    for site in sites:
        by_type.setdefault(site[2], []).append(site)
    liaisons, heads, office, inspectors, leaders = _people()
    limits = {t.pk: (t.kind, t.amount, t.yellow_workdays) for t in TimeLimit.objects.all()}
    units = OrgUnit.objects.filter(is_active=True)
    return World(
        today=today, now=now, calendar=calendar, workdays=workdays, standards=standards, sites_by_type=by_type,
        all_sites=sites, type_names=dict(_site_type_names()), routes=_routes(), time_limits=limits,
        limit_ids=[pk for pk, (kind, _a, _y) in limits.items() if kind in ("workdays", "hours", "immediate")],
        liaisons=liaisons, heads=heads, office_ids=office, inspector_ids=inspectors, leader_ids=leaders,
        fallback_unit_ids=list(units.filter(kind__in=["street", "department"]).order_by("pk").values_list("pk", flat=True)),
        unit_paths=dict(units.values_list("pk", "path")),
        unit_names=dict(units.values_list("pk", "name")),
        office_unit_id=units.filter(kind=OrgUnit.Kind.OFFICE).order_by("path").values_list("pk", flat=True).first(),
        focus_unit_ids=set(Membership.objects.filter(user__username__in=DEMO_USERS, role__in=[Role.LIAISON, Role.UNIT_HEAD])
                           .values_list("unit_id", flat=True)),
        place_unit_ids=set(units.filter(kind__in=["district", "street", "community"]).values_list("pk", flat=True)),
        site_guardians=dict(Guardianship.objects.active(today).filter(site__isnull=False, unit__isnull=False)
                            .order_by("start", "pk").values_list("site_id", "unit_id")),
    )


def _standards() -> list[Standard]:
    rows = list(Indicator.objects.active().values_list("pk", "parent_id", "level", "code", "name", "methods"))
    parents = {pk: parent for pk, parent, *_rest in rows}
    types: dict[int, list[int]] = {}
    for indicator_id, type_id in Indicator.site_types.through.objects.filter(
        indicator__framework__is_active=True
    ).values_list("indicator_id", "sitetype_id"):
        types.setdefault(indicator_id, []).append(type_id)
    result = []
    for pk, _parent, level, code, name, methods in rows:
        if level != Indicator.Level.STANDARD:
            continue
        chain, node = [pk], parents.get(pk)
        while node:
            chain.append(node)
            node = parents.get(node)
        result.append(Standard(pk, code, name, chain, types.get(pk, []), "实地考察" in (methods or [])))
    return sorted(result, key=lambda s: s.id)


def _site_type_names():
    from campaign.models import SiteType

    return SiteType.objects.values_list("pk", "name")


def _routes() -> dict[tuple, Route]:
    def members(through, column):
        found: dict[int, list[int]] = {}
        for resp_id, unit_id in through.objects.order_by("pk").values_list("responsibility_id", column):
            found.setdefault(resp_id, []).append(unit_id)
        return found

    assisting = members(Responsibility.assisting_units.through, "orgunit_id")
    responsible = members(Responsibility.responsible_units.through, "orgunit_id")
    routes = {}
    for pk, ind, site_type, site, lead, leader, limit, basis in Responsibility.objects.filter(
        indicator__framework__is_active=True, lead_unit__isnull=False
    ).values_list("pk", "indicator_id", "site_type_id", "site_id", "lead_unit_id", "leader_id", "time_limit_id",
                  "basis"):
        others = tuple(u for u in assisting.get(pk, []) if u != lead)
        routes[(ind, site_type, site)] = Route(lead, others, leader, limit, tuple(responsible.get(pk, [])),
                                               place=basis == Responsibility.Basis.PLACE)
    return routes


def _people():
    liaisons: dict[int, list[int]] = {}
    heads: dict[int, list[int]] = {}
    office, inspectors, leaders = [], [], []
    # 包挂 leaders follow their communities; they are not a task's 分管领导.
    guardians = set(Guardianship.objects.filter(leader__isnull=False).values_list("leader_id", flat=True))
    rows = Membership.objects.filter(user__is_active=True).order_by("pk").values_list("unit_id", "user_id", "role")
    for unit_id, user_id, role in rows:
        if role == Role.LIAISON:
            liaisons.setdefault(unit_id, []).append(user_id)
        elif role == Role.UNIT_HEAD:
            heads.setdefault(unit_id, []).append(user_id)
        elif role == Role.OFFICE:
            office.append(user_id)
        elif role == Role.INSPECTOR:
            inspectors.append(user_id)
        elif role == Role.LEADER and user_id not in leaders and user_id not in guardians:
            leaders.append(user_id)
    return liaisons, heads, office, inspectors, leaders
