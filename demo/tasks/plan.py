"""Planning the demo tasks (what, where, who, when) and replaying the chase ladder over their past."""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from demo.campaign.reference import problems
from demo.campaign.reference.problems import FieldKind, MaterialKind
from demo.tasks.story import Spec, Story
from demo.tasks.texts import DETAILS
from demo.tasks.world import BEIJING, HISTORY_DAYS, Route, Standard, World
from tasks.models import ChaseNotice, Priority, sign_due_for
from tasks.services.chase import CHASE_STATES, bulletin_workdays, reminder_workdays

SOURCES = [("督查", 30), ("暗访", 15), ("巡查", 20), ("模拟测评", 10), ("领导交办", 5), ("群众投诉", 8),
           ("12345", 7), ("自查", 5)]
SOURCE_NAMES, SOURCE_WEIGHTS = [s for s, _w in SOURCES], list(accumulate(w for _s, w in SOURCES))
PRIORITIES, PRIORITY_WEIGHTS = [Priority.NORMAL, Priority.URGENT, Priority.CRITICAL], [80, 95, 100]
RUN_AT = time(8, 30)  # when beat runs the ladder
# Share of field problems found in the demo accounts' own street (湖滨街道), so that the
# documented liaison and head see a full desk when they log in.
FOCUS_SHARE = 0.08
MISROUTE_SHARE, MISROUTE_AGE = 0.03, 21  # share of trade problems first sent to the street; only older ones


@dataclass
class Catalogue:
    """The problem kinds the demo can use in this world: field kinds whose site type has sites,
    with their standard and candidate sites, and material kinds whose standard routes to a unit."""

    field: list[tuple[FieldKind, Standard, list[tuple], list[tuple]]]  # kind, standard, sites, focus sites
    material: list[tuple[MaterialKind, Standard, Route]]

    @classmethod
    def of(cls, world: World) -> Catalogue:
        by_code = {s.code: s for s in world.standards}
        type_ids = {name: pk for pk, name in world.type_names.items()}
        field = []
        for kind in problems.field_kinds():
            sites = world.sites_by_type.get(type_ids.get(kind.site_type), [])
            if kind.code in by_code and sites:
                field.append((kind, by_code[kind.code], sites, [s for s in sites if s[5] in world.focus_unit_ids]))
        material = []
        for code, kind in problems.material_kinds().items():
            route = world.route(by_code[code], None) if code in by_code else None
            if route is not None:
                material.append((kind, by_code[code], route))
        return cls(field, material)


def plan(world: World, rng: random.Random, count: int) -> list[Spec]:
    """``count`` tasks handed over on working days of the last six months, each lived to "now"
    (plus the linked tasks born of 回头看 rebounds)."""
    first = world.today - timedelta(days=HISTORY_DAYS)
    days = [d for d in world.workdays if first <= d <= world.today]
    # Activity grows towards the assessment: recent weeks hand over about three times as much.
    weights = list(accumulate(1 + 2 * i / len(days) for i in range(len(days))))
    catalogue = Catalogue.of(world)
    specs = []
    waiting = False  # one recent task always waits on the office's answer to its 申请退回
    for _ in range(count):
        day = rng.choices(days, cum_weights=weights)[0]
        spec = _new_spec(world, rng, day, catalogue)
        if not waiting and spec.misrouted_to is None and world.add(day, 4) <= world.today <= world.add(day, 8):
            spec.awaits_return = waiting = True
        specs.append(spec)
        child = Story(spec, world, rng).live()
        if child is not None:
            _deadlines(child, world, rng)
            Story(child, world, rng).live()
            specs.append(child)
    return specs


def _new_spec(world: World, rng, day, catalogue: Catalogue) -> Spec:
    """A problem drawn from the catalogue: a field problem at a site of its kind's type (routed
    like ``responsibility_for``: matrix row, else the site's 包保单位), or a gap in a unit's 台账."""
    at = world.at(day, rng)
    if at > world.now:
        at = world.at(world.add(world.today, -1), rng)
    if catalogue.field and (rng.random() < 0.8 or not catalogue.material):
        kind, standard, sites, focus = rng.choice(catalogue.field)
        site = rng.choice(focus if focus and rng.random() < FOCUS_SHARE else sites)
        route = world.route(standard, site)
        title = f"{site[1]}：{rng.choice(kind.problems)}"
    else:
        kind, standard, route = rng.choice(catalogue.material)
        site = None
        title = f"{standard.name}：{rng.choice(kind.problems)}"
    if route.leader_id is None and world.leader_ids:
        route = Route(route.lead_unit_id, route.assisting_ids, rng.choice(world.leader_ids), route.time_limit_id)
    spec = Spec(
        assigned_at=at, standard=standard, site=site, route=route, motif=kind.motif,
        time_limit_id=route.time_limit_id or rng.choice(world.limit_ids or list(world.time_limits)),
        title=title[:200], description=rng.choice(DETAILS).format(n=rng.randint(1, 3)),
        source=rng.choices(SOURCE_NAMES, cum_weights=SOURCE_WEIGHTS)[0],
        priority=rng.choices(PRIORITIES, cum_weights=PRIORITY_WEIGHTS)[0],
        creator_id=rng.choice(world.office_ids) if world.office_ids else None,
    )
    if site is not None and not kind.place_bound and world.now - at > timedelta(days=MISROUTE_AGE):
        # Now and then a trade problem is first handed to the street where it lies; the street asks
        # to return it and the office re-assigns it to the department (the story plays this out).
        place = site[5] or site[3]
        if place and place != route.lead_unit_id and rng.random() < MISROUTE_SHARE:
            spec.misrouted_to = place
    _deadlines(spec, world, rng)
    return spec


def _deadlines(spec: Spec, world: World, rng) -> None:
    """The due date from the time limit through the working-day engine (as ``TimeLimit.due_date``
    and ``due_at``), and the sign-by date from it (``sign_due_for``)."""
    kind, amount, _yellow = world.time_limits[spec.time_limit_id]
    local = spec.assigned_at.astimezone(BEIJING)
    day = local.date()
    if kind == "immediate":
        due = day
    elif kind == "hours":
        spec.due_at = local + timedelta(hours=amount)
        due = spec.due_at.date()
    elif kind == "workdays":
        due = world.add(day, amount)
        spec.clock = (day, amount)
    else:
        due = world.add(day, rng.randint(10, 30))
    spec.due_date = spec.original_due_date = due
    spec.sign_due = sign_due_for(day, due, world)


# --- the chase ladder over the past ------------------------------------------------------------


def chase_history(specs: list[Spec], world: World) -> list[tuple[Spec, str, date, date]]:
    """(task, kind, due date, issued on) for every notice the daily ladder would have issued before
    today, given each task's real history: on the first working day at 08:30 when the task, in a
    state the unit owes, crossed the step's threshold for the due date it had then."""
    reminder_days, bulletin_days = reminder_workdays(), bulletin_workdays()
    found = []
    for spec in specs:
        done = set()
        for start, end, state, due in _intervals(spec, world.now):
            if state not in CHASE_STATES or due is None:
                continue
            count = world.workday_count(due)  # working days on or before the due date
            first_run = _first_run_index(world, start)
            steps = ((ChaseNotice.Kind.REMINDER, count - reminder_days - 1, count - 1),
                     (ChaseNotice.Kind.URGE, count, None), (ChaseNotice.Kind.BULLETIN, count + bulletin_days, None))
            for kind, first, last in steps:
                index = max(first, first_run)
                if (kind, due) in done or index >= len(world.workdays) or (last is not None and index > last):
                    continue
                day = world.workdays[index]
                if day < world.today and datetime.combine(day, RUN_AT, BEIJING) < end:
                    done.add((kind, due))
                    found.append((spec, kind, due, day))
    return found


def _intervals(spec: Spec, now: datetime):
    """(from, to, state, due) for each stretch of the task's timeline with a constant state and due date."""
    points = sorted(spec.timeline, key=lambda p: p[0])
    for i, (at, state, due) in enumerate(points):
        end = points[i + 1][0] if i + 1 < len(points) else now + timedelta(days=1)
        if end > at:
            yield at, end, state, due


def _first_run_index(world: World, moment: datetime) -> int:
    """Index (in world.workdays) of the first 08:30 run at or after ``moment``."""
    local = moment.astimezone(BEIJING)
    index = bisect_left(world.workdays, local.date())
    if index < len(world.workdays) and world.workdays[index] == local.date() and local.time() > RUN_AT:
        index += 1
    return index

