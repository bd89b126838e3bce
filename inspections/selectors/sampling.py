"""Drawing a round's site sample: reproducible from its seed."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable

from campaign.models import OrgUnit, Site, SiteType


def sample_sites(*, site_types: Iterable[SiteType], districts: Iterable[OrgUnit] = (), per_type: int,
                 seed: int) -> list[int]:
    """Ids of ``per_type`` active sites drawn at random from each type (within the districts, if
    any). Types are visited in their fixed order and candidates sorted by id, so the same seed and
    inputs draw the same sites; a type with fewer sites contributes all of them."""
    types = sorted(site_types, key=lambda t: (t.sort_order, t.pk))
    candidates = Site.objects.filter(is_active=True, site_type__in=types)
    districts = list(districts)
    if districts:
        candidates = candidates.filter(district__in=districts)
    by_type: dict[int, list[int]] = defaultdict(list)
    for pk, type_id in candidates.order_by("pk").values_list("pk", "site_type_id"):
        by_type[type_id].append(pk)
    rng = random.Random(seed)
    chosen: list[int] = []
    for site_type in types:
        ids = by_type[site_type.pk]
        chosen.extend(sorted(rng.sample(ids, min(per_type, len(ids)))))
    return chosen
