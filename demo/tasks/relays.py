"""Demo tasks passed down the tree (转办), so the chain can be seen: the city hands a problem to a
district, which passes it to the street where it lies, which passes it to one of its communities;
some came back up through every check (逐级核查) and were closed, some wait for a tier's check, some
are still being fixed below, and one was returned by a community to its street.

Written through the real services (a handful of tasks), after the bulk history: the chains are
dated today, with deadlines a few weeks out, on units that exist in the demo city at the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef

from campaign.models import Membership, OrgUnit, Role, TimeLimit, User
from tasks.models import RectificationTask, TaskPhoto
from tasks.services import task_create, task_transition
from tasks.services.relay import relay_act

# How far each demo chain gets: "closed" (down, back up, closed by the office), "office" (back up,
# waiting for the office), "street" (the community submitted, the street checks), "community"
# (being fixed at the community), "returned" (the community returned it to the street).
ENDINGS = ["closed", "closed", "office", "street", "community", "returned"]


@dataclass
class Tier:
    """One chain: a street-led demo problem at a site in the street, handed instead to the site's
    district, which passes it to that street, which passes it to one of its communities."""

    district: OrgUnit
    street: OrgUnit
    community: OrgUnit
    people: dict  # unit id → the liaison acting for it
    problem: RectificationTask  # the catalogue problem whose text, standard, site and photos it reuses
    evidence: object  # an after-photo of that problem


def seed_chains(today: date) -> int:
    """Hand, pass down and bring back up one task per ending; returns how many were written."""
    tiers = _tiers(len(ENDINGS))
    office = User.objects.filter(is_active=True, memberships__role=Role.OFFICE).order_by("username").first()
    limit = TimeLimit.objects.filter(kind=TimeLimit.Kind.DATE).first()
    if not tiers or office is None or limit is None:
        return 0
    for tier, ending in zip(tiers, ENDINGS, strict=False):
        _chain(tier, ending, office=office, limit=limit, today=today)
    return len(tiers)


def _tiers(count: int) -> list[Tier]:
    """Place-bound problems led by the street they lie in, one per street, whose district, street
    and one community of the street each have a liaison; taken from the districts in turn."""
    liaisons = {}
    for m in Membership.objects.filter(role=Role.LIAISON, user__is_active=True).select_related("user").order_by("pk"):
        liaisons.setdefault(m.unit_id, m.user)
    communities = {}
    for c in OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNITY, is_active=True, pk__in=list(liaisons)).order_by("path"):
        communities.setdefault(c.parent_id, c)
    after = TaskPhoto.objects.filter(kind=TaskPhoto.Kind.AFTER, task=OuterRef("pk"))
    problems = (RectificationTask.objects.filter(lead_unit__kind=OrgUnit.Kind.STREET, site__street=F("lead_unit"),
                                                 site__district=F("lead_unit__parent"), rebound_of__isnull=True)
                .filter(Exists(after)).select_related("lead_unit__parent", "indicator", "site").order_by("number"))
    by_district: dict[int, list[Tier]] = {}
    streets = set()
    for problem in problems.iterator():
        street, district = problem.lead_unit, problem.lead_unit.parent
        community = communities.get(street.pk)
        if street.pk in streets or community is None or street.pk not in liaisons or district.pk not in liaisons:
            continue
        streets.add(street.pk)
        people = {u.pk: liaisons[u.pk] for u in (district, street, community)}
        evidence = problem.photos.filter(kind=TaskPhoto.Kind.AFTER).select_related("evidence").first().evidence
        by_district.setdefault(district.pk, []).append(Tier(district, street, community, people, problem, evidence))
        if len(streets) >= 4 * count:
            break
    found = []
    while len(found) < count and any(by_district.values()):
        for tiers in by_district.values():
            if tiers and len(found) < count:
                found.append(tiers.pop(0))
    return found


def _chain(tier: Tier, ending: str, *, office, limit, today: date) -> None:
    d, s, c, problem = tier.district, tier.street, tier.community, tier.problem
    who = tier.people
    task = task_create(
        actor=office, title=problem.title, description=problem.description, source=problem.source,
        indicator=problem.indicator, site=problem.site, lead_unit=d, time_limit=limit,
        due_date=today + timedelta(days=21),
    )
    task_transition(task=task, actor=who[d.pk], action="sign")
    relay_act(task=task, actor=who[d.pk], action="relay_pass", to_unit=s, due_date=today + timedelta(days=15),
              note=f"问题位于{s.name}辖区，请街道牵头整改。")
    relay_act(task=task, actor=who[s.pk], action="relay_sign")
    relay_act(task=task, actor=who[s.pk], action="relay_pass", to_unit=c, due_date=today + timedelta(days=10),
              note=f"请{c.name}组织网格员整改。")
    relay_act(task=task, actor=who[c.pk], action="relay_sign")
    if ending == "community":
        return
    if ending == "returned":
        relay_act(task=task, actor=who[c.pk], action="relay_return", note="点位不在本社区网格内，请街道另行安排。")
        return
    relay_act(task=task, actor=who[c.pk], action="relay_submit", note="已组织清理整治，现场恢复整洁。",
              photos=[tier.evidence])
    if ending == "street":
        return
    relay_act(task=task, actor=who[s.pk], action="relay_approve", note="街道现场核查属实。")
    relay_act(task=task, actor=who[d.pk], action="relay_approve", note="区里复核通过，提交市创文办销号。")
    if ending == "closed":
        task_transition(task=task, actor=office, action="approve", note="核查通过，予以销号。")
