"""Who 包挂/包保 the place of a task: the leaders told when its light turns red."""

from __future__ import annotations

from datetime import date

from campaign.models import Guardianship, OrgUnit, Site


def guardian_leaders(pairs: set[tuple[int | None, int | None]], day: date | None = None) -> dict[tuple, list[int]]:
    """(site id, lead unit id) → ids of the leaders who 包保 that site or 包挂 the community it
    lies in (the community that adopted the site, or the lead unit's own community). Three queries
    whatever the number of pairs."""
    rows = list(Guardianship.objects.active(day).filter(leader__isnull=False, leader__is_active=True)
                .values_list("leader_id", "site_id", "community__path"))
    if not rows or not pairs:
        return {}
    by_site: dict[int, list[int]] = {}
    by_community: list[tuple[str, int]] = []
    for leader_id, site_id, path in rows:
        if site_id:
            by_site.setdefault(site_id, []).append(leader_id)
        elif path:
            by_community.append((path, leader_id))
    site_paths = dict(Site.objects.filter(pk__in={s for s, _u in pairs if s}, adopting_unit__isnull=False)
                      .values_list("pk", "adopting_unit__path"))
    unit_paths = dict(OrgUnit.objects.filter(pk__in={u for _s, u in pairs if u}).values_list("pk", "path"))
    result = {}
    for site_id, unit_id in pairs:
        places = [p for p in (site_paths.get(site_id), unit_paths.get(unit_id)) if p]
        leaders = list(by_site.get(site_id, []))
        leaders += [leader for path, leader in by_community if any(p.startswith(path) for p in places)]
        if leaders:
            result[(site_id, unit_id)] = list(dict.fromkeys(leaders))
    return result
