"""The demo leaders' 分管 (``Oversight``): which units each oversees. Kept apart from the
organisation seeding so the two can change independently."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from campaign.models import OrgUnit, Oversight, User

# username → short names of the units the leader oversees (the documented demo accounts first).
DEMO_OVERSIGHT = {
    "leader": ["市城管局", "市住建局", "市交通局", "市园林局", "东湖区"],
    "ld01": ["市文明办"],
    "ld02": ["市住建局"],
    "ld03": ["市公安局"],
}


def seed_oversight() -> int:
    """Create the demo leaders' 分管 rows, in force since the start of last year (the demo's
    history reaches back months). Idempotent: returns how many rows it added."""
    start = date(timezone.localdate().year - 1, 1, 1)
    leaders = {u.username: u for u in User.objects.filter(username__in=DEMO_OVERSIGHT)}
    units = {u.short_name or u.name: u for u in OrgUnit.objects.filter(
        short_name__in={s for names in DEMO_OVERSIGHT.values() for s in names})}
    added = 0
    for username, shorts in DEMO_OVERSIGHT.items():
        leader = leaders.get(username)
        for short in shorts:
            if leader is None or short not in units:
                continue
            _, created = Oversight.objects.get_or_create(leader=leader, unit=units[short], start=start)
            added += created
    return added
