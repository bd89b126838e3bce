"""The demo city's 包挂/包保: every community has one 包挂 leader ("每个社区一名包挂领导": one leader
per street looks after the street's communities), and in every street one 小区 is 包保 by the
community it lies in, so a 属地 problem there goes to that community rather than the street."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from campaign.models import Guardianship, OrgUnit, Role, Site

GUARDIAN_TITLE = "包挂领导"


def guardian_username(number: int) -> str:
    return f"bg{number:02d}"


def seed_guardian_leaders(s) -> int:
    """One 包挂 leader per street (a post in the street's district), 包挂 each of its communities
    since the start of last year. Idempotent: returns how many rows it added."""
    start = _start()
    added = 0
    streets = OrgUnit.objects.filter(kind=OrgUnit.Kind.STREET).select_related("parent").order_by("path")
    for number, street in enumerate(streets, start=1):
        communities = list(street.children.filter(kind=OrgUnit.Kind.COMMUNITY).order_by("path"))
        if not communities:
            continue
        leader = s.user(guardian_username(number))
        s.member(leader, street.parent, Role.LEADER, GUARDIAN_TITLE)
        for community in communities:
            _, created = Guardianship.objects.get_or_create(
                leader=leader, community=community, start=start,
                defaults={"note": f"{street.name}社区包挂"})
            added += created
    return added


def seed_site_guardians() -> int:
    """In every street, its first 小区 is 包保 by the street's first community."""
    start = _start()
    added = 0
    for street in OrgUnit.objects.filter(kind=OrgUnit.Kind.STREET).order_by("path"):
        community = street.children.filter(kind=OrgUnit.Kind.COMMUNITY).order_by("path").first()
        estate = Site.objects.filter(street=street, site_type__name="小区").order_by("pk").first()
        if community is None or estate is None:
            continue
        _, created = Guardianship.objects.get_or_create(
            unit=community, site=estate, start=start, defaults={"note": "小区所在社区包保"})
        added += created
    return added


def _start() -> date:
    return date(timezone.localdate().year - 1, 1, 1)
